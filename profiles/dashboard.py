"""Everything the dashboard and the profile page show, loaded in a fixed number of queries."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from django.db import connections, router
from django.utils import timezone

from careers.catalogue import catalogue
from careers.models import Skill

from . import charts, gap
from . import transcript as transcript_data
from .models import SkillProgress, Status, StatusChange
from .progress_on_tracks import aware, sql_rows, user_statuses
from .templatetags.progress_display import skill_url

CALENDAR_WEEKS = 26
RECENT_DAYS = 7
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DoneSkill:
    """A done skill as the feedback section shows it, with its verification."""

    slug: str
    name: str
    note: str
    evidence_url: str
    completed_at: datetime | None
    verified_at: datetime | None
    verified_by: str | None  # the verifying mentor's username


@dataclass(frozen=True)
class RecentChange:
    """A change of the last days, as profiles/_change_list.html shows it."""

    changed_at: datetime
    skill: SkillLink
    from_status: str
    to_status: str

    # The log is history, kept as written: a status no longer known (an empty one once got
    # through a form) shows as it was stored rather than breaking the page.
    def get_from_status_display(self) -> str:
        return _STATUS_LABELS.get(self.from_status, self.from_status)

    def get_to_status_display(self) -> str:
        return _STATUS_LABELS.get(self.to_status, self.to_status)


_STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True)
class SkillLink:
    slug: str
    name: str

    def get_absolute_url(self) -> str:
        return skill_url(self.slug)


def skill_link(slug: str, skills: Mapping[str, gap.SkillInfo]) -> SkillLink:
    """A skill's slug and name in the active language, from the catalogue."""
    return SkillLink(slug, skills[slug].name if slug in skills else slug)


# The progress fields, in order, that done_skills reads from each row (values_list).
DONE_SKILL_FIELDS = (
    "skill__slug",
    "status",
    "note",
    "evidence_url",
    "completed_at",
    "verified_at",
    "verified_by__username",
)


def done_skills(rows, skills: Mapping[str, gap.SkillInfo]) -> list[DoneSkill]:
    """Done skills from progress rows of DONE_SKILL_FIELDS, latest first (undated first, as
    PostgreSQL sorts)."""
    done = [
        DoneSkill(slug, skills[slug].name if slug in skills else slug, *rest)
        for slug, status, *rest in rows
        if status == Status.DONE
    ]
    done.sort(key=lambda row: row.slug)
    done.sort(key=lambda row: (row.completed_at is None, row.completed_at or EPOCH), reverse=True)
    return done


@cache
def _progress_rows_sql() -> str:
    """The query of a person's recorded progress as DONE_SKILL_FIELDS, in SQL."""
    progress, skill = SkillProgress._meta, Skill._meta
    verifier = progress.get_field("verified_by").related_model._meta
    column = {
        name: progress.get_field(name).column
        for name in DONE_SKILL_FIELDS[1:-1] + ("skill", "verified_by", "user")
    }
    # Names from the models' metadata; the values are parameters.
    return (
        f"SELECT s.{skill.get_field('slug').column}, p.{column['status']},"  # noqa: S608
        f" p.{column['note']}, p.{column['evidence_url']}, p.{column['completed_at']},"
        f" p.{column['verified_at']}, v.{verifier.get_field('username').column}"
        f" FROM {progress.db_table} p"
        f" JOIN {skill.db_table} s ON s.{skill.pk.column} = p.{column['skill']}"
        f" LEFT JOIN {verifier.db_table} v ON v.{verifier.pk.column} = p.{column['verified_by']}"
        f" WHERE p.{column['user']} = %s AND p.{column['status']} <> %s"
    )


def _progress_rows(user) -> list[tuple]:
    """The user's recorded progress as rows of DONE_SKILL_FIELDS, in one query."""
    # Written in SQL: the dashboard asks it on every view, and building the ORM's query cost
    # more than running it.
    rows = sql_rows(SkillProgress, _progress_rows_sql(), [user.pk, Status.NONE])
    return [
        (slug, status, note, evidence_url, aware(completed_at), aware(verified_at), verifier)
        for slug, status, note, evidence_url, completed_at, verified_at, verifier in rows
    ]


def build(user, profile, full: bool = True) -> dict:
    """The context for a person's dashboard (full) or public profile (not full)."""
    data = catalogue()
    if full:
        # One query for the statuses and the done skills' details (the feedback section).
        rows = _progress_rows(user)
        statuses = {row[0]: row[1] for row in rows}
    else:
        statuses = user_statuses(user)
    weekly = profile.weekly_hours
    target = data.track_with_id(profile.target_track_id)
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
            if status == Status.LEARNING and slug in data.skills
        ],
        "done_count": sum(1 for status in statuses.values() if status == Status.DONE),
    }
    if report:
        context["transitions"] = target.transitions
        context["finish_date"] = finish_date(
            report.remaining_core_hours, weekly, timezone.localdate()
        )
        context["finish_weeks"] = report.weeks
    if full:
        context["done_skills"] = done_skills(rows, data.skills)
        context.update(_activity(user, target, statuses, data.skills))
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


@cache
def _window_sql() -> str:
    """The query of a person's status changes from a moment on, with skill slugs, in SQL."""
    change, skill = StatusChange._meta, Skill._meta
    column = {
        name: change.get_field(name).column
        for name in ("changed_at", "skill", "from_status", "to_status", "user")
    }
    # Names from the models' metadata; the values are parameters.
    return (
        f"SELECT c.{column['changed_at']}, s.{skill.get_field('slug').column},"  # noqa: S608
        f" c.{column['from_status']}, c.{column['to_status']}, c.{change.pk.column}"
        f" FROM {change.db_table} c"
        f" JOIN {skill.db_table} s ON s.{skill.pk.column} = c.{column['skill']}"
        f" WHERE c.{column['user']} = %s AND c.{column['changed_at']} >= %s"
    )


def _changes_since(user, start: date) -> list[tuple]:
    """The user's changes from the start of a day in the current time zone on, as rows of
    (changed_at, skill slug, from_status, to_status, id), in one query."""
    # Written in SQL: building the ORM's query cost more than running it and the rest of the
    # activity together. The first moment of the day rather than the day of each change
    # (changed_at__date) selects the same rows, and can use the index on (user, changed_at).
    since = datetime.combine(start, time.min, tzinfo=timezone.get_current_timezone())
    database = connections[router.db_for_read(StatusChange)]
    since_param = database.ops.adapt_datetimefield_value(since)
    rows = sql_rows(StatusChange, _window_sql(), [user.pk, since_param])
    return [(aware(changed_at), *rest) for changed_at, *rest in rows]


def _activity(user, target, statuses: dict[str, str], skills: Mapping[str, gap.SkillInfo]) -> dict:
    now = timezone.now()
    # One query feeds both charts and the list of the week's changes: a person's changes
    # over the window are few, and counting them here costs less than more queries.
    window = _changes_since(user, (now - timedelta(weeks=CALENDAR_WEEKS)).date())
    week_ago = now - timedelta(days=RECENT_DAYS)
    recent_rows = sorted(
        (row for row in window if row[0] >= week_ago),
        key=lambda row: (row[0], row[4]),
        reverse=True,
    )[:30]
    recent = [
        RecentChange(
            changed_at,
            skill_link(slug, skills),
            from_status,
            to_status,
        )
        for changed_at, slug, from_status, to_status, _ in recent_rows
    ]
    core = (
        {link.slug for step in target.steps for link in step.skills if link.core}
        if target
        else set()
    )
    days: Counter[date] = Counter()
    weekly: Counter[date] = Counter()
    changed_this_week: set[str] = set()
    zone = timezone.get_current_timezone()
    for changed_at, slug, from_status, to_status, _ in window:
        # The same day and week as TruncDate and TruncWeek: in the current time zone.
        day = changed_at.astimezone(zone).date()
        days[day] += 1
        if changed_at >= week_ago:
            changed_this_week.add(slug)
        if slug in core:
            gained = (to_status == Status.DONE) - (from_status == Status.DONE)
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
            current_done=sum(1 for slug in core if statuses.get(slug) == Status.DONE),
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
    target = data.track_with_id(profile.target_track_id)
    return {
        "profile": profile,
        "owner": user,
        "target": target,
        "report": gap.analyse(target, data.skills, statuses, profile.weekly_hours)
        if target
        else None,
        "transcript": transcript_data.build(target, data.skills, records),
    }
