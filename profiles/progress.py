"""Recording a person's progress on skills: one row per user and skill, and a log of changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from careers.models import Skill

from .models import SkillProgress, Status, StatusChange

UNCHANGED = object()


@dataclass(frozen=True)
class ProgressUpdate:
    progress: SkillProgress
    status_changed: bool


def _locked_row(user, skill: Skill) -> SkillProgress:
    """The user's row for skill, locked for this transaction; created if missing."""
    # get_or_create recovers by itself when a concurrent request inserts the row first.
    return SkillProgress.objects.select_for_update().get_or_create(user=user, skill=skill)[0]


def set_progress(
    user, skill: Skill, *, status=UNCHANGED, note=UNCHANGED, evidence_url=UNCHANGED
) -> ProgressUpdate:
    """Set an explicit state; repeating the same call changes nothing and logs nothing."""
    with transaction.atomic():
        progress = _locked_row(user, skill)
        previous = progress.status
        fields = []
        if note is not UNCHANGED and note != progress.note:
            progress.note = note
            fields.append("note")
        if evidence_url is not UNCHANGED and evidence_url != progress.evidence_url:
            progress.evidence_url = evidence_url
            fields.append("evidence_url")
        if status is not UNCHANGED and status != previous:
            now = timezone.now()
            progress.status = status
            fields.append("status")
            if status in (Status.LEARNING, Status.DONE) and progress.started_at is None:
                progress.started_at = now
                fields.append("started_at")
            progress.completed_at = now if status == Status.DONE else None
            fields.append("completed_at")
            # A mentor verified the skill as done: that no longer holds once it is not done.
            if previous == Status.DONE and progress.verified_at is not None:
                progress.verified_by = None
                progress.verified_at = None
                fields += ["verified_by", "verified_at"]
            StatusChange.objects.create(
                user=user, skill=skill, from_status=previous, to_status=status
            )
        if fields:
            progress.save(update_fields=[*fields, "updated_at"])
    return ProgressUpdate(progress, status is not UNCHANGED and status != previous)
