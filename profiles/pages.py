"""The personal layer that profiles adds to the content pages of careers."""

from __future__ import annotations

from . import gap
from .models import Profile, SkillProgress, Status
from .tracks import catalogue, user_statuses


def track_layer(request, context: dict) -> dict:
    """Statuses, progress, next steps and blocked skills on a track's roadmap."""
    if not request.user.is_authenticated:
        return {}
    track = context["track"]
    data = catalogue()
    info = data.tracks.get(track.slug)
    if info is None:
        return {}
    statuses = user_statuses(request.user)
    weekly_hours = (
        Profile.objects.filter(user=request.user).values_list("weekly_hours", flat=True).first()
    )
    report = gap.analyse(info, data.skills, statuses, weekly_hours)
    step_reports = {step.slug: step for step in report.steps}
    next_slugs = {item.slug for item in report.next_steps}
    blocked = {item.slug: item for item in report.blocked}
    for item in context["steps"]:
        item["report"] = step_reports.get(item["step"].slug)
        for link in item["core"] + item["optional"]:
            slug = link.skill.slug
            link.status = statuses.get(slug, Status.NONE)
            link.is_next = slug in next_slugs
            link.blocked_by = (
                [data.skills[p].name if p in data.skills else p for p in blocked[slug].blocking]
                if slug in blocked
                else []
            )
    return {"report": report, "personal": True}


def skill_layer(request, context: dict) -> dict:
    """The signed-in user's status, note and evidence on a skill's page."""
    if not request.user.is_authenticated:
        return {}
    progress = SkillProgress.objects.filter(user=request.user, skill=context["skill"]).first()
    return {
        "personal": True,
        "progress": progress,
        "status": progress.status if progress else Status.NONE,
    }
