"""A learner's plan: load its inputs from the database, store its settings, say how they stand.

The planning itself is profiles/planning.py (pure); this module only reads and writes.
"""

from __future__ import annotations

import secrets
import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _

from careers import job_matching
from careers.catalogue import catalogue
from careers.content_types import TrackInfo
from careers.job_index import keyword_index

from . import gap, job_gap, planning
from .models import JobPosting, PlanSettings
from .progress_on_tracks import user_statuses

# Start dates further than this from today are refused: a plan about last year or about
# the year after next is a typing error, not a plan.
START_WINDOW = timedelta(days=366)


@dataclass(frozen=True)
class LoadedPlan:
    """A learner's plan with what it was made from."""

    plan: planning.Plan
    skills: list[planning.PlanSkill]
    settings: PlanSettings
    target: TrackInfo
    today: date
    target_key: str = ""  # "track:<slug>" or "job:<id>": what the baseline must match
    posting: JobPosting | None = None

    def options(self, **changes) -> dict:
        """The keyword arguments build_plan got, with changes."""
        options = plan_options(self.settings, self.plan.weekly_hours, self.today)
        return {**options, "first_job": first_job_layer(self.target), **changes}


def settings_for(user) -> PlanSettings:
    """The user's plan settings, made on first use with a calendar token."""
    found = PlanSettings.objects.filter(user=user).first()
    if found is None:
        found, _ = PlanSettings.objects.get_or_create(
            user=user, defaults={"ical_token": new_token()}
        )
    return found


def valid_time_zone(name: str) -> bool:
    """Whether the name is an IANA time zone this server knows."""
    if not name or name not in zone_names():
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: list[str] = []


def zone_names() -> list[str]:
    """Every IANA time zone this server knows, sorted (read once)."""
    if not _ZONES:
        _ZONES.extend(sorted(zoneinfo.available_timezones()))
    return _ZONES


def adopt_browser_time_zone(user, name: str) -> str | None:
    """The browser's zone as the user's, unless they have one already (UTC is the default, so
    it counts as none); the zone taken, or None."""
    if not valid_time_zone(name):
        return None
    plan_settings = settings_for(user)
    if plan_settings.time_zone != "UTC":
        return None
    plan_settings.time_zone = name
    plan_settings.save(update_fields=["time_zone"])
    return name


def new_token() -> str:
    return secrets.token_urlsafe(32)


def first_job_layer(track: TrackInfo) -> frozenset[str] | None:
    """The core skills on the track's first-job path, or None when the content marks none."""
    # The content marks a step's skill as first-job (SkillSlot.first_job); a posting's small
    # track (job_gap.job_track) marks none.
    layer = frozenset(
        link.slug for step in track.steps for link in step.skills if link.core and link.first_job
    )
    return layer or None


def plan_options(settings: PlanSettings, weekly_hours: int, today: date) -> dict:
    """build_plan's keyword arguments from stored settings."""
    return {
        "weekly_hours": weekly_hours,
        "today": today,
        "start": settings.start_date,
        "study_days": frozenset(settings.study_days),
        "pins": {slug: date.fromisoformat(day) for slug, day in settings.pins.items()},
        "lost_weeks": [date.fromisoformat(day) for day in settings.lost_weeks],
    }


def plan_job(user, settings: PlanSettings | None) -> JobPosting | None:
    """The saved posting the plan follows, scoped to its owner; None for the track."""
    if settings is None or settings.job_id is None:
        return None
    return JobPosting.objects.filter(pk=settings.job_id, owner=user).first()


def job_target(posting: JobPosting, skills) -> TrackInfo:
    """The posting as job_gap's small track, its steps titled for milestones."""
    match = job_matching.match_posting(posting.text, keyword_index())
    track = job_gap.job_track(match, skills, title=posting.display_title)
    named, prerequisites = track.steps
    return replace(
        track,
        steps=(
            replace(named, title=_("the skills the posting asks for")),
            replace(prerequisites, title=_("the groundwork the posting assumes")),
        ),
    )


def load(
    user, profile, settings: PlanSettings | None = None, report: gap.GapReport | None = None
) -> LoadedPlan | None:
    """The user's plan toward the chosen posting or their target track; None without either.

    report, when given, is the target track's gap; a plan for a posting computes its own.
    """
    if settings is None:
        settings = PlanSettings.objects.filter(user=user).first()
    data = catalogue()
    posting = plan_job(user, settings)
    if posting is not None:
        target = job_target(posting, data.skills)
        report = gap.analyse(target, data.skills, user_statuses(user), profile.weekly_hours)
        key = f"job:{posting.pk}"
    else:
        target = data.track_with_id(profile.target_track_id)
        if target is None:
            return None
        if report is None:
            report = gap.analyse(target, data.skills, user_statuses(user), profile.weekly_hours)
        key = f"track:{target.slug}"
    settings = settings or settings_for(user)
    today = timezone.localdate()
    # The same skills and prerequisite rules as the gap analysis: planning orders them.
    skills = planning.from_gap(report, data.skills, target)
    options = plan_options(settings, profile.weekly_hours, today)
    plan = planning.build_plan(skills, first_job=first_job_layer(target), **options)
    return LoadedPlan(plan, skills, settings, target, today, key, posting)


def baseline_current(loaded: LoadedPlan) -> bool:
    """Whether the stored baseline measures this plan's target (not an earlier one)."""
    settings = loaded.settings
    # Baselines from before targets were recorded were all made for the track.
    recorded = settings.baseline_target or (
        f"track:{loaded.target.slug}" if not loaded.posting else ""
    )
    return bool(settings.baseline) and recorded == loaded.target_key


def rebaseline(settings: PlanSettings, plan: planning.Plan, target_key: str) -> None:
    """Take the plan as the one to measure progress against (not saved here)."""
    settings.baseline = {slug: day.isoformat() for slug, day in plan.finishes().items()}
    settings.baseline_finish = plan.finish
    settings.baseline_target = target_key


def standing(loaded: LoadedPlan) -> planning.PlanStatus:
    """How the learner stands against their baseline plan."""
    settings = loaded.settings
    baseline = {slug: date.fromisoformat(day) for slug, day in settings.baseline.items()}
    # A skill of the baseline that left the plan was done or skipped (or left the track).
    planned = {skill.slug for skill in loaded.skills}
    left = {slug for slug in baseline if slug not in planned}
    return planning.standing(
        baseline, settings.baseline_finish, left, loaded.today, loaded.plan.finish
    )


@cache
def _settings_sql() -> str:
    """The query of a user's plan settings, every column, in SQL."""
    meta = PlanSettings._meta
    columns = ", ".join(field.column for field in meta.concrete_fields)
    # Names from the model's metadata; the value is a parameter.
    return (
        f"SELECT {columns} FROM {meta.db_table}"  # noqa: S608
        f" WHERE {meta.get_field('user').column} = %s"
    )


def _stored_settings(user) -> PlanSettings | None:
    """The user's plan settings, or None before their first use of the plan."""
    # A raw query: the dashboard asks it on every view, most learners have no plan yet, and
    # building the ORM's query cost more than running it. raw() converts the values as the
    # ORM does (JSON, aware datetimes).
    return next(iter(PlanSettings.objects.raw(_settings_sql(), [user.pk])), None)


def status_context(user, profile, report: gap.GapReport | None) -> dict:
    """The dashboard's plan status: one query when the learner has a plan, none otherwise."""
    if report is None:
        return {"plan_status": None}
    settings = _stored_settings(user)
    if settings is None or not settings.baseline:
        return {"plan_status": None, "plan_started": False}
    loaded = load(user, profile, settings=settings, report=report)
    if loaded is None:
        return {"plan_status": None}
    if not baseline_current(loaded):
        # The target changed since the baseline: the plan page starts a new one.
        return {"plan_status": None, "plan_started": False}
    return {
        "plan_status": standing(loaded),
        "plan_started": True,
        "plan": loaded.plan,
        # The plan's finish answers "when am I done" for the target track; a plan towards
        # a saved posting is about other skills.
        "plan_finish": loaded.plan.finish if loaded.posting is None else None,
    }
