"""Fields that exist in English and Simplified Chinese (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Resource, RoadmapStep, Skill, Track, Transition


@register(Track)
class TrackTranslation(TranslationOptions):
    fields = ("name", "tagline", "description", "suits", "entry", "first_tasks", "credits")
    required_languages = {"en": ("name", "tagline", "description", "suits", "entry", "first_tasks")}


@register(RoadmapStep)
class RoadmapStepTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "outcome",
        "project_build",
        "project_data",
        "project_check",
        "project_no_gpu",
    )
    required_languages = {"en": ("title",)}


@register(Skill)
class SkillTranslation(TranslationOptions):
    fields = ("name", "summary", "description")
    required_languages = {"en": ("name", "summary", "description")}


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"en": ("title",)}


@register(Transition)
class TransitionTranslation(TranslationOptions):
    fields = ("why",)
    required_languages = {"en": ("why",)}
