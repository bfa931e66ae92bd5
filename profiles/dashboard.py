"""Everything the dashboard and the profile page show, loaded in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from . import charts, gap
from .models import StatusChange
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
    if full:
        context.update(_activity(user, target, statuses))
    return context


def _activity(user, target, statuses: dict[str, str]) -> dict:
    now = timezone.now()
    log = StatusChange.objects.filter(user=user)
    recent = list(
        log.filter(changed_at__gte=now - timedelta(days=RECENT_DAYS))
        .select_related("skill")
        .order_by("-changed_at", "-id")[:30]
    )
    start = (now - timedelta(weeks=CALENDAR_WEEKS)).date()
    days = dict(
        log.filter(changed_at__date__gte=start)
        .annotate(day=TruncDate("changed_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    context = {
        "recent": recent,
        "calendar": charts.activity_calendar(days, today=now.date(), weeks=CALENDAR_WEEKS),
    }
    if target:
        skills = [link.slug for step in target.steps for link in step.skills if link.core]
        weekly = (
            log.filter(skill__slug__in=skills, changed_at__date__gte=start)
            .annotate(week=TruncWeek("changed_at"))
            .values("week")
            .annotate(
                gained=Count("id", filter=Q(to_status="done")),
                lost=Count("id", filter=Q(from_status="done")),
            )
            .values_list("week", "gained", "lost")
        )
        context["progress_chart"] = charts.done_over_time(
            {_as_date(week): gained - lost for week, gained, lost in weekly},
            current_done=sum(1 for slug in skills if statuses.get(slug) == "done"),
            today=now.date(),
            weeks=CALENDAR_WEEKS,
        )
    return context


def _as_date(value):
    # TruncWeek gives a datetime on some databases and a date on others.
    return value.date() if hasattr(value, "date") else value
