"""The personal layer that profiles adds to the content pages of careers."""

from __future__ import annotations

from dataclasses import dataclass

from . import gap
from .mentorship import skill_feedback
from .models import Profile, SkillProgress, Status
from .tracks import track_progress


@dataclass(frozen=True)
class SkillMarks:
    """How one skill stands on the roadmap: a next step, or blocked by prerequisites."""

    slug: str
    next: bool
    blocked_by: tuple[str, ...]


def skill_marks(track: gap.TrackInfo, report: gap.GapReport) -> dict[str, SkillMarks]:
    """The marks of every skill in the report's track, by slug."""
    next_slugs = {item.slug for item in report.next_steps}
    blocked = {item.slug: item for item in report.blocked}
    slugs = [link.slug for step in track.steps for link in step.skills]
    return {
        slug: SkillMarks(
            slug=slug,
            next=slug in next_slugs,
            blocked_by=tuple(b.name for b in blocked[slug].blockers) if slug in blocked else (),
        )
        for slug in slugs
    }


def track_layer(request, context: dict) -> dict:
    """Statuses, progress, next steps and blocked skills on a track's roadmap."""
    if not request.user.is_authenticated:
        return {}
    weekly_hours = (
        Profile.objects.filter(user=request.user).values_list("weekly_hours", flat=True).first()
    )
    found = track_progress(request.user, context["track"].slug, weekly_hours)
    if found is None:
        return {}
    step_reports = {step.slug: step for step in found.report.steps}
    marks = skill_marks(found.track, found.report)
    # A mentor's verification shows wherever a status does: one query for the slugs.
    verified = set(
        SkillProgress.objects.filter(
            user=request.user, status=Status.DONE, verified_at__isnull=False
        ).values_list("skill__slug", flat=True)
    )
    for item in context["steps"]:
        item["report"] = step_reports.get(item["step"].slug)
        for link in item["core"] + item["optional"]:
            link.status = found.statuses.get(link.skill.slug, Status.NONE)
            link.marks = marks.get(link.skill.slug)
            link.verified = link.skill.slug in verified
    return {"report": found.report, "personal": True}


def skill_layer(request, context: dict) -> dict:
    """The signed-in user's status, note and evidence on a skill's page."""
    if not request.user.is_authenticated:
        return {}
    progress = (
        SkillProgress.objects.filter(user=request.user, skill=context["skill"])
        .select_related("verified_by")
        .first()
    )
    return {
        "personal": True,
        "progress": progress,
        "status": progress.status if progress else Status.NONE,
        "mentor_notes": skill_feedback(request.user, context["skill"]),
    }
