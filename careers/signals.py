"""Content signals: prerequisites stay acyclic; cached structures are invalidated on change."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .catalogue import content_changed
from .graph import describe_cycle
from .models import Resource, RoadmapStep, Skill, StepSkill, Track, Transition
from .prerequisites import cycle_if_added

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


# Inside a batch (one import), saves do not schedule their own invalidation: the batch
# schedules one for all of them.
_in_batch: ContextVar[bool] = ContextVar("careers_content_batch", default=False)


@contextmanager
def one_invalidation(using=None):
    """Invalidate cached structures once, after the commit, for every write in the block."""
    token = _in_batch.set(True)
    try:
        yield
    finally:
        _in_batch.reset(token)
    transaction.on_commit(content_changed, using=using)


def invalidate_cached_structure(sender, using=None, **kwargs):
    if _in_batch.get():
        return
    # After commit, so a page rendered meanwhile cannot cache the old content.
    transaction.on_commit(content_changed, using=using)


# Connected per content model: a receiver without a sender runs for every model, and
# then Django cannot fast-delete anything (deleting a user would load their whole log).
for model in CONTENT_MODELS:
    post_save.connect(
        invalidate_cached_structure, sender=model, dispatch_uid=f"careers-saved-{model.__name__}"
    )
    post_delete.connect(
        invalidate_cached_structure, sender=model, dispatch_uid=f"careers-deleted-{model.__name__}"
    )
m2m_changed.connect(
    invalidate_cached_structure,
    sender=Skill.prerequisites.through,
    dispatch_uid="careers-prerequisites-changed",
)
