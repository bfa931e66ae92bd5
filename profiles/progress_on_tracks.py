"""A person's statuses and where they stand on a published track of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from careers.catalogue import catalogue
from careers.content_types import TrackInfo

from . import gap
from .models import SkillProgress, Status


def user_statuses(user) -> dict[str, str]:
    """The user's recorded statuses by skill slug, in one query."""
    rows = SkillProgress.objects.filter(user=user).exclude(status=Status.NONE)
    return dict(rows.values_list("skill__slug", "status"))


def statuses_and_verified(user, slugs=None) -> tuple[dict[str, str], set[str]]:
    """The user's recorded statuses by slug and their mentor-verified done skills, in one query
    (only of the given skills when slugs are given)."""
    rows = SkillProgress.objects.filter(user=user).exclude(status=Status.NONE)
    if slugs is not None:
        rows = rows.filter(skill__slug__in=slugs)
    rows = rows.values_list("skill__slug", "status", "verified_at")
    statuses, verified = {}, set()
    for slug, status, verified_at in rows:
        statuses[slug] = status
        if status == Status.DONE and verified_at is not None:
            verified.add(slug)
    return statuses, verified


@dataclass(frozen=True)
class TrackProgress:
    """A person's statuses (merged skills credited to their survivor) and gap report on a track."""

    track: TrackInfo
    statuses: dict[str, str]
    report: gap.GapReport


def track_progress(
    user, track_slug: str, weekly_hours: int | None = None, statuses: dict | None = None
) -> TrackProgress | None:
    """The user's progress on a published track, or None if there is no such track."""
    data = catalogue()
    track = data.tracks.get(track_slug)
    if track is None:
        return None
    if statuses is None:
        statuses = user_statuses(user)
    # The roadmap shows what counts: a survivor of a merge carries the learner's credit.
    statuses = dict(gap.credited_statuses(data.skills, statuses))
    return TrackProgress(track, statuses, gap.analyse(track, data.skills, statuses, weekly_hours))
