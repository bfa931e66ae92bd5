"""Everything the dashboard and the profile page show, loaded in a fixed number of queries."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta

from django.utils import timezone

from . import charts, gap
from . import transcript as transcript_data
from .models import SkillProgress, Status, StatusChange
from .tracks import catalogue, user_statuses

CALENDAR_WEEKS = 26
RECENT_DAYS = 7


def build(user, profile, full: bool = True) -> dict:
    """The context for a person's dashboard (full) or public profile (not full)."""
    data = catalogue()
    statuses = user_statuses(user)
    weekly = profile.weekly_hours
    target = data.tracks.get(profile.target_track.slug) if profile.target_track else None
    report = gap.analyse(target, data.skills, statuses, weekly) if target else None
    fit = gap.rank_tracks(list(data.tracks.values()), data.skills, statuses, weekly)
    context = {
        "profile": profile,
        "owner": user,
        "target": target,
        "report": report,
        "fit": fit,
        "fit_chart": charts.fit_bars(fit, target.slug if target else None),
        "learning": [
            data.skills[slug]
            for slug, status in statuses.items()
            if status == "learning" and slug in data.skills
        ],
        "done_count": sum(1 for status in statuses.values() if status == "done"),
    }
    if report:
        context["transitions"] = gap.transitions_from(target)
        context["finish_date"] = finish_date(
            report.remaining_core_hours, weekly, timezone.localdate()
        )
        context["finish_weeks"] = report.weeks
    if full:
        context.update(_activity(user, target, statuses))
    return context


def finish_date(hours_left: int, weekly_hours: int | None, today: date) -> date | None:
    """The day the core hours left are done, at weekly_hours a week from today."""
    if not hours_left or not weekly_hours or weekly_hours <= 0:
        return None
    return today + timedelta(days=math.ceil(hours_left * 7 / weekly_hours))


def plan_finish(finish: date, today: date) -> dict:
    """The time tile's finish date and weeks when they come from the learner's plan."""
    return {"finish_date": finish, "finish_weeks": max(math.ceil((finish - today).days / 7), 0)}


def streak_weeks(active_weeks: set[date], this_monday: date) -> int:
    """Weeks in a row with a change, up to this week (or last week, if this one is quiet yet)."""
    week = this_monday if this_monday in active_weeks else this_monday - timedelta(weeks=1)
    count = 0
    while week in active_weeks:
        count += 1
        week -= timedelta(weeks=1)
    return count


def _activity(user, target, statuses: dict[str, str]) -> dict:
    now = timezone.now()
    log = StatusChange.objects.filter(user=user)
    recent = list(
        log.filter(changed_at__gte=now - timedelta(days=RECENT_DAYS))
        .select_related("skill")
        .order_by("-changed_at", "-id")[:30]
    )
    start = (now - timedelta(weeks=CALENDAR_WEEKS)).date()
    # One query feeds both charts: a person's changes over the window are few, and counting
    # them here costs less than a second aggregate query (with its list of skill slugs).
    window = log.filter(changed_at__date__gte=start).values_list(
        "changed_at", "skill__slug", "from_status", "to_status"
    )
    core = (
        {link.slug for step in target.steps for link in step.skills if link.core}
        if target
        else set()
    )
    days: Counter[date] = Counter()
    weekly: Counter[date] = Counter()
    week_ago = now - timedelta(days=RECENT_DAYS)
    changed_this_week: set[str] = set()
    for changed_at, slug, from_status, to_status in window:
        # The same day and week as TruncDate and TruncWeek: in the current time zone.
        day = timezone.localtime(changed_at).date()
        days[day] += 1
        if changed_at >= week_ago:
            changed_this_week.add(slug)
        if slug in core:
            gained = (to_status == "done") - (from_status == "done")
            weekly[day - timedelta(days=day.weekday())] += gained
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    active_weeks = {day - timedelta(days=day.weekday()) for day in days}
    context = {
        "recent": recent,
        "changes_this_week": sum(
            count for day, count in days.items() if day > today - timedelta(days=RECENT_DAYS)
        ),
        "skills_this_week": len(changed_this_week),
        "streak": streak_weeks(active_weeks, this_monday),
        "calendar": charts.activity_calendar(days, today=today, weeks=CALENDAR_WEEKS),
    }
    if target:
        context["progress_chart"] = charts.done_over_time(
            weekly,
            current_done=sum(1 for slug in core if statuses.get(slug) == "done"),
            today=today,
            weeks=CALENDAR_WEEKS,
        )
    return context


def transcript(user, profile) -> dict:
    """The report's context: the gap and the skills transcript, in three queries."""
    data = catalogue()
    rows = (
        SkillProgress.objects.filter(user=user)
        .exclude(status=Status.NONE)
        .values_list(
            "skill__slug",
            "status",
            "evidence_url",
            "started_at",
            "completed_at",
            "verified_by__username",
            "verified_at",
        )
    )
    records = [transcript_data.Record(*row) for row in rows]
    statuses = {record.slug: record.status for record in records}
    target = data.tracks.get(profile.target_track.slug) if profile.target_track else None
    return {
        "profile": profile,
        "owner": user,
        "target": target,
        "report": gap.analyse(target, data.skills, statuses, profile.weekly_hours)
        if target
        else None,
        "transcript": transcript_data.build(target, data.skills, records),
    }
