"""Everything SkillPath holds about one person, as plain data for a JSON download."""

from __future__ import annotations

from typing import Any

from careers.catalogue import catalogue

from .models import (
    DigestSent,
    JobPosting,
    MentorNote,
    Mentorship,
    PlanSettings,
    Profile,
    SkillProgress,
    StatusChange,
)


def _time(value) -> str | None:
    return value.isoformat() if value else None


def export_user_data(user) -> dict[str, Any]:
    """The person's account, profile, progress, status log, mentors and their notes."""
    profile = Profile.objects.select_related("target_track").get(user=user)
    # Plain rows, each skill's name and merge from the catalogue (which holds archived
    # skills too): a progress row with its skill, that skill's survivor and the verifier as
    # model instances was four tables' worth of columns a row.
    progress = (
        SkillProgress.objects.filter(user=user)
        .order_by("skill__slug")
        .values_list(
            "skill__slug",
            "status",
            "note",
            "evidence_url",
            "started_at",
            "completed_at",
            "updated_at",
            "verified_by__username",
            "verified_at",
        )
    )
    skills = catalogue().skills
    mentorships = (
        Mentorship.objects.filter(mentee=user).select_related("mentor").order_by("started_at")
    )
    notes = (
        MentorNote.objects.filter(mentorship__mentee=user)
        .select_related("mentorship__mentor", "skill")
        .order_by("created_at", "id")
    )
    # Plain rows: the log is a person's longest list, and a model instance for each change
    # and its skill cost most of the export.
    log = (
        StatusChange.objects.filter(user=user)
        .order_by("changed_at", "id")
        .values_list("skill__slug", "from_status", "to_status", "changed_at")
    )
    postings = JobPosting.objects.filter(owner=user).order_by("created_at", "id")
    plan = PlanSettings.objects.filter(user=user).first()
    digests = DigestSent.objects.filter(user=user).order_by("sent_at", "id")
    return {
        "format": "skillpath-export/1",
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
        },
        "profile": {
            "display_name": profile.display_name,
            "target_track": profile.target_track.slug if profile.target_track else None,
            "background": profile.background,
            "weekly_hours": profile.weekly_hours,
            "visibility": profile.visibility,
            "language": profile.language,
            "target_job": profile.target_job_id,
        },
        "progress": [
            {
                "skill": slug,
                "skill_name": skills[slug].name if slug in skills else slug,
                "status": status,
                # An archived skill merged into another: this progress counts for that skill.
                "merged_into": skills[slug].replaced_by if slug in skills else None,
                "note": note,
                "evidence_url": evidence_url,
                "started_at": _time(started_at),
                "completed_at": _time(completed_at),
                "updated_at": _time(updated_at),
                "verified_by": verifier,
                "verified_at": _time(verified_at),
            }
            for (
                slug,
                status,
                note,
                evidence_url,
                started_at,
                completed_at,
                updated_at,
                verifier,
                verified_at,
            ) in progress
        ],
        "mentors": [
            {
                "mentor": mentorship.mentor.get_username(),
                "started_at": _time(mentorship.started_at),
                "ended_at": _time(mentorship.ended_at),
            }
            for mentorship in mentorships
        ],
        "mentor_notes": [
            {
                "mentor": note.mentorship.mentor.get_username(),
                "skill": note.skill.slug if note.skill else None,
                "text": note.text,
                "at": _time(note.created_at),
            }
            for note in notes
        ],
        "job_postings": [
            {
                "id": posting.pk,
                "title": posting.title,
                "text": posting.text,
                "saved_at": _time(posting.created_at),
            }
            for posting in postings
        ],
        # The calendar token is a secret: the export says whether there is one, not what it is.
        "plan": {
            "start_date": plan.start_date.isoformat() if plan.start_date else None,
            "study_days": plan.study_days,
            "pins": plan.pins,
            "lost_weeks": plan.lost_weeks,
            "baseline_finish": _time(plan.baseline_finish),
            "plan_for_job": plan.job_id,
            "calendar_feed": bool(plan.ical_token),
            "time_zone": plan.time_zone,
            "weekly_digest": plan.weekly_digest,
            "mentor_digest": plan.mentor_digest,
            "digests_sent": [{"week": row.week, "at": _time(row.sent_at)} for row in digests],
        }
        if plan
        else None,
        "status_log": [
            {"skill": slug, "from": from_status, "to": to_status, "at": _time(changed_at)}
            for slug, from_status, to_status, changed_at in log
        ],
    }
