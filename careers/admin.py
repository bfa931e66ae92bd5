from collections.abc import Sequence

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from .catalogue import content_changed
from .closure import Link, closure_problems
from .graph import describe_cycle
from .job_matching import normalise
from .models import Importance, Resource, RoadmapStep, Skill, StepSkill, Track, Transition
from .prerequisites import cycle_if_added


def _update_and_say(
    model_admin: admin.ModelAdmin,
    request,
    queryset: models.QuerySet,
    message: str,
    **values,
) -> None:
    """An admin action's bulk change: update, drop cached content, say how many changed."""
    count = queryset.update(**values)
    # queryset.update() sends no signals, so invalidate cached structures here.
    transaction.on_commit(content_changed)
    model_admin.message_user(request, message % count, messages.SUCCESS)


class RoadmapStepInline(TranslationStackedInline):
    model = RoadmapStep
    extra = 0
    fields = ["order", "slug", "title", "summary", "outcome"]
    show_change_link = True


class TransitionInline(TranslationTabularInline):
    model = Transition
    fk_name = "from_track"
    extra = 0
    fields = ["order", "to_track", "why"]


@admin.register(Track)
class TrackAdmin(TranslationAdmin):
    list_display = ["name", "slug", "published", "order", "entry_difficulty"]
    list_editable = ["published", "order"]
    list_filter = ["published"]
    search_fields = ["slug", "name_en", "name_zh_hans"]
    inlines = [RoadmapStepInline, TransitionInline]
    # A track learners target is unpublished, not deleted (the database refuses).
    actions = ["unpublish", "publish"]

    @admin.action(description=_("Unpublish selected tracks"), permissions=["change"])
    def unpublish(self, request, queryset):
        _update_and_say(
            self,
            request,
            queryset,
            ngettext_lazy("Unpublished %d track.", "Unpublished %d tracks."),
            published=False,
        )

    @admin.action(description=_("Publish selected tracks"), permissions=["change"])
    def publish(self, request, queryset):
        _update_and_say(
            self,
            request,
            queryset,
            ngettext_lazy("Published %d track.", "Published %d tracks."),
            published=True,
        )


def _track_links(
    track_id: int, step: RoadmapStep | None = None, step_links: Sequence[Link] = ()
) -> list[Link]:
    """The track's links in roadmap order, with step (as edited, saved or new) holding step_links.

    The step sits where its edited order puts it, so moving a step is checked like editing it.
    """
    steps = [
        s for s in RoadmapStep.objects.filter(track_id=track_id) if step is None or s.pk != step.pk
    ]
    if step is not None:
        steps.append(step)
    # The database orders by (order, id); a step not saved yet comes last among its equals.
    steps.sort(key=lambda s: (s.order, s.pk if s.pk is not None else float("inf")))
    stored = StepSkill.objects.filter(track_id=track_id).select_related("skill", "step")
    by_step: dict[int, list[Link]] = {}
    for link in stored.order_by("order", "id"):
        by_step.setdefault(link.step_id, []).append(
            Link(link.skill.slug, link.step.slug, link.is_core, link.first_job)
        )
    links: list[Link] = []
    for each in steps:
        links += list(step_links) if each is step else by_step.get(each.pk, [])
    return links


def _closure_problems(
    links: list[Link], skill: str | None = None, prerequisites: list[str] = ()
) -> list[str]:
    """The closure problems of links, with skill's prerequisites replaced when it is given."""
    through = Skill.prerequisites.through
    graph: dict[str, list[str]] = {skill: list(prerequisites)} if skill else {}
    for from_slug, to_slug in through.objects.values_list("from_skill__slug", "to_skill__slug"):
        if from_slug != skill:
            graph.setdefault(from_slug, []).append(to_slug)
    archived = Skill.objects.filter(archived=True).values_list("slug", flat=True)
    return closure_problems(links, graph, archived)


class StepSkillFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.track_id:
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("skill") and not form.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda data: data.get("order") or 0)
        step = self.instance
        step_links = [
            Link(
                data["skill"].slug,
                step.slug,
                data.get("importance") == Importance.CORE,
                bool(data.get("first_job")),
            )
            for data in kept
        ]
        # Only what this edit breaks: older problems are the importer's to report.
        before = set(_closure_problems(_track_links(step.track_id)))
        after = _closure_problems(_track_links(step.track_id, step, step_links))
        problems = [problem for problem in after if problem not in before]
        if problems:
            raise forms.ValidationError(problems)


class StepSkillInline(admin.TabularInline):
    model = StepSkill
    formset = StepSkillFormSet
    extra = 0
    fields = ["order", "skill", "importance", "first_job"]
    autocomplete_fields = ["skill"]
    ordering = ["order", "id"]


@admin.register(RoadmapStep)
class RoadmapStepAdmin(TranslationAdmin):
    list_display = ["title", "track", "order", "slug"]
    list_filter = ["track"]
    list_select_related = ["track"]
    search_fields = ["slug", "title_en", "title_zh_hans", "track__slug"]
    inlines = [StepSkillInline]


# An address typed without a scheme becomes https:// (Django 6's default; forms.URLField's
# supported option, instead of the deprecated FORMS_URLFIELD_ASSUME_HTTPS setting).
ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ResourceInline(TranslationTabularInline):
    model = Resource
    formfield_overrides = ASSUME_HTTPS
    extra = 0
    fields = ["order", "title", "url", "kind", "language"]


def _keyword_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SkillForm(forms.ModelForm):
    keywords_en = forms.CharField(
        label=_("keywords (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: the names, tools and phrases an English job posting uses."),
    )
    keywords_zh = forms.CharField(
        label=_("keywords (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: the phrases a Chinese job posting uses."),
    )

    class Meta:
        model = Skill
        fields = [
            "slug",
            "name",
            "summary",
            "description",
            "hours",
            "prerequisites",
            "archived",
            "replaced_by",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keywords = self.instance.keywords or {}
        self.fields["keywords_en"].initial = "\n".join(keywords.get("en", []))
        self.fields["keywords_zh"].initial = "\n".join(keywords.get("zh", []))

    def clean(self):
        cleaned = super().clean()
        keywords = {
            "en": _keyword_lines(cleaned.get("keywords_en") or ""),
            "zh": _keyword_lines(cleaned.get("keywords_zh") or ""),
        }
        mine = {normalise(word) for words in keywords.values() for word in words}
        # Keywords this skill already shares (through shared_keywords in skills.yaml) stay.
        before = {
            normalise(word) for words in (self.instance.keywords or {}).values() for word in words
        }
        others = Skill.objects.exclude(pk=self.instance.pk).exclude(keywords={})
        for other in others.only("slug", "keywords"):
            for words in other.keywords.values():
                for word in words:
                    key = normalise(word)
                    if key in mine and key not in before:
                        self.add_error(
                            None,
                            _("The keyword “%(keyword)s” already names the skill %(skill)s.")
                            % {"keyword": word, "skill": other.slug},
                        )
                        mine.discard(key)
        self.instance.keywords = keywords if any(keywords.values()) else {}
        return cleaned

    def clean_prerequisites(self):
        prerequisites = self.cleaned_data["prerequisites"]
        if self.instance.pk:
            if any(p.pk == self.instance.pk for p in prerequisites):
                raise forms.ValidationError(_("A skill cannot be its own prerequisite."))
            edges = [(self.instance.pk, p.pk) for p in prerequisites]
            cycle = cycle_if_added(edges, replace_for=self.instance.pk)
            if cycle:
                raise forms.ValidationError(
                    _("These prerequisites would form a cycle: %(cycle)s"),
                    params={"cycle": describe_cycle(cycle)},
                )
            problems = []
            slugs = [p.slug for p in prerequisites]
            for track_id in StepSkill.objects.filter(skill=self.instance).values_list(
                "track_id", flat=True
            ):
                links = _track_links(track_id)
                before = set(_closure_problems(links))
                after = _closure_problems(links, self.instance.slug, slugs)
                problems += [problem for problem in after if problem not in before]
            if problems:
                raise forms.ValidationError(problems)
        return prerequisites


@admin.register(Skill)
class SkillAdmin(TranslationAdmin):
    form = SkillForm
    # Listed, so that the form's keyword boxes (not model fields) are shown after the hours.
    fields = [
        "slug",
        "name",
        "summary",
        "description",
        "hours",
        "keywords_en",
        "keywords_zh",
        "prerequisites",
        "archived",
    ]
    list_display = ["name", "slug", "hours", "archived"]
    list_filter = ["archived", "step_skills__track"]
    search_fields = ["slug", "name_en", "name_zh_hans", "summary_en"]
    autocomplete_fields = ["prerequisites"]
    inlines = [ResourceInline]
    actions = ["archive", "unarchive"]

    @admin.action(description=_("Archive selected skills"), permissions=["change"])
    def archive(self, request, queryset):
        _update_and_say(
            self,
            request,
            queryset,
            ngettext_lazy("Archived %d skill.", "Archived %d skills."),
            archived=True,
        )

    @admin.action(description=_("Restore selected skills"), permissions=["change"])
    def unarchive(self, request, queryset):
        _update_and_say(
            self,
            request,
            queryset,
            ngettext_lazy("Restored %d skill.", "Restored %d skills."),
            archived=False,
        )


@admin.register(Resource)
class ResourceAdmin(TranslationAdmin):
    formfield_overrides = ASSUME_HTTPS
    list_display = ["title", "skill", "kind", "language"]
    list_filter = ["kind", "language"]
    list_select_related = ["skill"]
    search_fields = ["title_en", "url", "skill__slug"]
    autocomplete_fields = ["skill"]
