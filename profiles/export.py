"""Everything SkillPath holds about one person, as plain data for a JSON download."""

from __future__ import annotations

from typing import Any

from .models import Profile, SkillProgress, StatusChange


def _time(value) -> str | None:
    return value.isoformat() if value else None


def export_user_data(user) -> dict[str, Any]:
    """The person's account, profile, progress, notes and status log."""
    profile = Profile.objects.select_related("target_track").get(user=user)
    progress = (
        SkillProgress.objects.filter(user=user).select_related("skill").order_by("skill__slug")
    )
    log = (
        StatusChange.objects.filter(user=user).select_related("skill").order_by("changed_at", "id")
    )
    return {
        "format": "skillpath-export/1",
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
        },
        "profile": {
            "target_track": profile.target_track.slug if profile.target_track else None,
            "background": profile.background,
            "weekly_hours": profile.weekly_hours,
            "visibility": profile.visibility,
            "language": profile.language,
        },
        "progress": [
            {
                "skill": row.skill.slug,
                "skill_name": row.skill.name,
                "status": row.status,
                "note": row.note,
                "evidence_url": row.evidence_url,
                "started_at": _time(row.started_at),
                "completed_at": _time(row.completed_at),
                "updated_at": _time(row.updated_at),
            }
            for row in progress
        ],
        "status_log": [
            {
                "skill": change.skill.slug,
                "from": change.from_status,
                "to": change.to_status,
                "at": _time(change.changed_at),
            }
            for change in log
        ],
    }
