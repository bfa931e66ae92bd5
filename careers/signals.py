"""Database-level guard: skill prerequisites must stay acyclic, however they are edited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .graph import describe_cycle
from .models import Resource, RoadmapStep, Skill, StepSkill, Track, Transition
from .prerequisites import cycle_if_added
from .structure import content_changed

CONTENT_MODELS = {Track, RoadmapStep, Skill, StepSkill, Resource, Transition}


@receiver(m2m_changed, sender=Skill.prerequisites.through)
def refuse_prerequisite_cycles(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        edges = [(pk, instance.pk) for pk in pk_set]
    else:
        edges = [(instance.pk, pk) for pk in pk_set]
    cycle = cycle_if_added(edges)
    if cycle:
        raise ValidationError(f"Prerequisites would form a cycle: {describe_cycle(cycle)}")


@receiver(post_save, dispatch_uid="careers-content-saved")
@receiver(post_delete, dispatch_uid="careers-content-deleted")
@receiver(m2m_changed, sender=Skill.prerequisites.through, dispatch_uid="careers-prereq-changed")
def invalidate_cached_structure(sender, **kwargs):
    if sender in CONTENT_MODELS or sender is Skill.prerequisites.through:
        # After commit, so a page rendered meanwhile cannot cache the old content.
        transaction.on_commit(content_changed)
