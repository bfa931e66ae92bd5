"""A dated plan: the remaining core skills of a track laid out week by week.

Plain data in, plain data out, like gap.py: no ORM, no translation, no clock (the caller
passes today's date in the learner's time zone).

The rules:
- What is planned: the gap analysis' missing core skills (gap.analyse's missing_core, in its
  roadmap order) except skipped ones, which leave the plan with their hours.
- In what order: gap's rule for next steps, taken again and again: of the skills whose
  prerequisites are planned, the one that comes first in the roadmap, skills being learned
  before the others.
- Weeks: one week holds the weekly hours. A skill that fits a week is never split; when the
  current week cannot take it whole, it starts the next one. A skill larger than a week starts
  on an empty week and fills as many consecutive weeks as its hours need, no more.
- Lost weeks ("I lost this week") hold nothing: the plan flows around them, and losing one
  moves the pins from it on by one study week (lose_week; restore_week moves them back), so
  they all still hold.
- Pins put a skill in a given week, ahead of the unpinned ones. A pin is refused, with a
  reason, when its week is over or lost, when the pinned skills no longer fit that week, or
  when a prerequisite cannot be finished in an earlier week.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import gap

ALL_DAYS = frozenset(range(7))
# How far ahead a pin or a lost week may go: a plan longer than this is a different plan.
HORIZON_WEEKS = 520


# Input ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSkill:
    """A remaining core skill as the planner takes it."""

    slug: str
    name: str
    hours: int
    status: str = gap.NONE
    prerequisites: tuple[str, ...] = ()
    step_slug: str = ""
    step_title: str = ""


# Output ---------------------------------------------------------------------


@dataclass(frozen=True)
class Unlock:
    """A skill that becomes possible once another is done."""

    slug: str
    name: str


@dataclass(frozen=True)
class PlannedItem:
    """A skill, or one part of a skill larger than a week, in a week."""

    slug: str
    name: str
    hours: int
    total_hours: int
    part: int
    parts: int
    status: str
    pinned: bool
    unlocks: tuple[Unlock, ...] = ()

    @property
    def last_part(self) -> bool:
        return self.part == self.parts


@dataclass(frozen=True)
class Milestone:
    """step: a roadmap step is complete; first-job: the first-job layer; finish: the track."""

    kind: str
    title: str
    slug: str = ""


@dataclass(frozen=True)
class Week:
    """A calendar week (Monday to Sunday) of the plan."""

    start: date
    study_dates: tuple[date, ...]
    items: tuple[PlannedItem, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    lost: bool = False

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def hours(self) -> int:
        return sum(item.hours for item in self.items)


@dataclass(frozen=True)
class RefusedPin:
    """A pin the plan could not keep, and why (a reason code the page translates)."""

    slug: str
    week: date
    reason: str  # past, lost, too-far, full, prerequisite, not-planned
    blocking: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Weeks from the first planned week to the finish, lost weeks included."""

    weeks: tuple[Week, ...]
    first_week: date
    finish: date | None
    weekly_hours: int
    study_days: frozenset[int]
    total_hours: int
    refused_pins: tuple[RefusedPin, ...] = ()
    pins: Mapping[str, date] = field(default_factory=dict)

    def finishes(self) -> dict[str, date]:
        """Each planned skill's slug with the last day of the week its last part is in."""
        return {item.slug: week.end for week in self.weeks for item in week.items if item.last_part}

    def week_of(self, slug: str) -> date | None:
        """The Monday of the week the skill starts in."""
        for week in self.weeks:
            if any(item.slug == slug for item in week.items):
                return week.start
        return None


class PinRefused(Exception):  # noqa: N818 (it reads as what happened to the pin)
    """A pin that would break the plan's rules; .refusal says why."""

    def __init__(self, refusal: RefusedPin):
        super().__init__(f"{refusal.slug} cannot be pinned to {refusal.week}: {refusal.reason}")
        self.refusal = refusal


@dataclass(frozen=True)
class PlanStatus:
    """How the learner stands against the plan they made (the baseline)."""

    behind: int
    ahead: int
    baseline_finish: date | None
    finish: date | None

    @property
    def moved(self) -> bool:
        return bool(self.baseline_finish and self.finish and self.baseline_finish != self.finish)


# Dates -----------------------------------------------------------------------


def monday(day: date) -> date:
    """The Monday of the ISO week the day is in."""
    return day - timedelta(days=day.weekday())


# Ordering -------------------------------------------------------------------


def from_gap(
    report: gap.GapReport, skills: Mapping[str, gap.SkillInfo], track: gap.TrackInfo
) -> list[PlanSkill]:
    """The skills a plan covers: the gap's missing core skills, skipped ones left out."""
    step_of: dict[str, gap.StepInfo] = {}
    for step in track.steps:
        for link in step.skills:
            if link.core:
                step_of.setdefault(link.slug, step)
    planned = []
    for ref in report.missing_core:
        if ref.status == gap.SKIPPED:
            continue
        step = step_of.get(ref.slug)
        info = skills.get(ref.slug)
        planned.append(
            PlanSkill(
                slug=ref.slug,
                name=ref.name,
                hours=ref.hours,
                status=ref.status,
                prerequisites=info.prerequisites if info else (),
                step_slug=step.slug if step else "",
                step_title=step.title if step else "",
            )
        )
    return planned


def order(skills: Sequence[PlanSkill]) -> list[PlanSkill]:
    """Gap's next-step rule repeated: the first ready skill, learning ones first."""
    by_slug = {skill.slug: skill for skill in skills}
    # Prerequisites outside the plan are done, skipped, archived or outside the track's core:
    # the gap analysis shows those; here they hold nothing back.
    waiting = {
        skill.slug: {slug for slug in skill.prerequisites if slug in by_slug} for skill in skills
    }
    dependents: dict[str, list[str]] = {skill.slug: [] for skill in skills}
    for slug, prerequisites in waiting.items():
        for prerequisite in prerequisites:
            dependents[prerequisite].append(slug)
    rank = {
        skill.slug: (skill.status != gap.LEARNING, position)
        for position, skill in enumerate(skills)
    }
    ready = [(rank[slug], slug) for slug, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, slug = heapq.heappop(ready)
        ordered.append(by_slug[slug])
        for dependent in dependents[slug]:
            waiting[dependent].discard(slug)
            if not waiting[dependent]:
                heapq.heappush(ready, (rank[dependent], dependent))
    if len(ordered) < len(skills):
        # A cycle (the content forbids them): plan the rest in roadmap order all the same.
        seen = {skill.slug for skill in ordered}
        ordered.extend(skill for skill in skills if skill.slug not in seen)
    return ordered


# Layout ---------------------------------------------------------------------


class _Refused(Exception):  # noqa: N818
    def __init__(self, refusal: RefusedPin):
        self.refusal = refusal


def _chunks(hours: int, weekly_hours: int) -> list[int]:
    """The hours of a skill per week: whole if it fits a week, else full weeks and the rest."""
    if hours <= weekly_hours:
        return [hours]
    parts = math.ceil(hours / weekly_hours)
    return [weekly_hours] * (parts - 1) + [hours - weekly_hours * (parts - 1)]


def build_plan(
    skills: Sequence[PlanSkill],
    *,
    weekly_hours: int,
    today: date,
    start: date | None = None,
    study_days: Iterable[int] = ALL_DAYS,
    pins: Mapping[str, date] | None = None,
    lost_weeks: Iterable[date] = (),
    first_job: frozenset[str] | None = None,
) -> Plan:
    """The plan; pins it cannot keep are left out and listed in refused_pins."""
    if weekly_hours < 1:
        raise ValueError("weekly_hours must be at least 1")
    days = frozenset(study_days) or ALL_DAYS
    first_week = monday(max(today, start or today))
    lost = {monday(day) for day in lost_weeks if monday(day) >= first_week}
    # Study weeks are numbered 0, 1, 2... skipping lost weeks: "consecutive" means with no
    # study week in between.
    study_weeks: list[date] = []
    index_of: dict[date, int] = {}

    def week_date(index: int) -> date:
        while len(study_weeks) <= index:
            candidate = study_weeks[-1] + timedelta(weeks=1) if study_weeks else first_week
            while candidate in lost:
                candidate += timedelta(weeks=1)
            index_of[candidate] = len(study_weeks)
            study_weeks.append(candidate)
        return study_weeks[index]

    def week_index(day: date) -> int | None:
        target = monday(day)
        while week_date(len(study_weeks) - 1 if study_weeks else 0) < target:
            week_date(len(study_weeks))
        return index_of.get(target)

    ordered = order(skills)
    planned = {skill.slug for skill in skills}
    refused: list[RefusedPin] = []
    valid_pins: dict[str, int] = {}
    for slug, day in (pins or {}).items():
        week = monday(day)
        refusal = None
        if slug not in planned:
            refusal = RefusedPin(slug, week, "not-planned")
        elif week < first_week:
            refusal = RefusedPin(slug, week, "past")
        elif week in lost:
            refusal = RefusedPin(slug, week, "lost")
        elif week > first_week + timedelta(weeks=HORIZON_WEEKS):
            refusal = RefusedPin(slug, week, "too-far")
        if refusal:
            refused.append(refusal)
        else:
            valid_pins[slug] = week_index(week)

    # A refused pin is dropped and the layout made again, until every remaining pin holds.
    while True:
        try:
            layout = _layout(ordered, weekly_hours, valid_pins)
            break
        except _Refused as error:
            slug = error.refusal.slug
            refused.append(
                RefusedPin(
                    slug, week_date(valid_pins[slug]), error.refusal.reason, error.refusal.blocking
                )
            )
            del valid_pins[slug]

    by_slug = {skill.slug: skill for skill in skills}
    offsets = tuple(timedelta(days=day) for day in sorted(days))

    def dates_of(week_start: date) -> tuple[date, ...]:
        return tuple(week_start + offset for offset in offsets)

    unlocks = _unlocks(ordered, layout)
    milestones = _milestones(ordered, layout, first_job)
    last_index = max((index for entries in layout.values() for index, *_ in entries), default=-1)
    weeks = []
    calendar_week = first_week
    last_date = week_date(last_index) if last_index >= 0 else None
    items_by_week: dict[int, list[PlannedItem]] = {}
    for skill in ordered:
        entries = layout[skill.slug]
        for part, (index, hours, _sequence) in enumerate(entries, start=1):
            items_by_week.setdefault(index, []).append(
                PlannedItem(
                    slug=skill.slug,
                    name=skill.name,
                    hours=hours,
                    total_hours=skill.hours,
                    part=part,
                    parts=len(entries),
                    status=skill.status,
                    pinned=skill.slug in valid_pins,
                    unlocks=unlocks.get(skill.slug, ()) if part == len(entries) else (),
                )
            )
    sequence_of = {
        (slug, index): sequence
        for slug, entries in layout.items()
        for index, _hours, sequence in entries
    }
    while last_date is not None and calendar_week <= last_date:
        if calendar_week in lost:
            weeks.append(Week(calendar_week, dates_of(calendar_week), lost=True))
        else:
            index = week_index(calendar_week)
            items = sorted(
                items_by_week.get(index, []), key=lambda item: sequence_of[(item.slug, index)]
            )
            weeks.append(
                Week(
                    calendar_week,
                    dates_of(calendar_week),
                    tuple(items),
                    tuple(milestones.get(index, ())),
                )
            )
        calendar_week += timedelta(weeks=1)

    finish = None
    if weeks:
        last = weeks[-1]
        dates = last.study_dates
        # The day the last hour falls on, at an even share of the weekly hours per study day.
        needed = math.ceil(last.hours * len(dates) / weekly_hours) if last.hours else 1
        finish = dates[max(0, min(len(dates), needed) - 1)]
    return Plan(
        weeks=tuple(weeks),
        first_week=first_week,
        finish=finish,
        weekly_hours=weekly_hours,
        study_days=days,
        total_hours=sum(skill.hours for skill in by_slug.values()),
        refused_pins=tuple(refused),
        pins={slug: week_date(index) for slug, index in valid_pins.items()},
    )


def _layout(
    ordered: Sequence[PlanSkill], weekly_hours: int, pins: Mapping[str, int]
) -> dict[str, list[tuple[int, int, int]]]:
    """Each skill's (study week, hours, sequence) parts; raises _Refused for a pin that fails."""
    used: dict[int, int] = {}
    sequence = 0
    placed: dict[str, list[tuple[int, int, int]]] = {}
    # Pinned skills first, earliest pinned first: they hold their week before anything flows
    # in, and a newer pin never pushes out an older one.
    pinned_order = list(pins)
    by_slug = {skill.slug: skill for skill in ordered}
    for slug in pinned_order:
        chunks = _chunks(by_slug[slug].hours, weekly_hours)
        start = pins[slug]
        for offset, hours in enumerate(chunks):
            week = start + offset
            # A skill larger than a week needs its weeks to itself, except the last one.
            full = offset < len(chunks) - 1
            if used.get(week, 0) + hours > weekly_hours or (full and used.get(week, 0)):
                raise _Refused(RefusedPin(slug, date.min, "full"))
        for offset, hours in enumerate(chunks):
            week = start + offset
            used[week] = used.get(week, 0) + hours
            placed[slug] = [*placed.get(slug, []), (week, hours, sequence)]
            sequence += 1

    cursor = 0
    for skill in ordered:
        prerequisites = [slug for slug in skill.prerequisites if slug in placed]
        last_of = {slug: placed[slug][-1][0] for slug in prerequisites}
        if skill.slug in pins:
            late = tuple(slug for slug, week in last_of.items() if week >= pins[skill.slug])
            if late:
                raise _Refused(RefusedPin(skill.slug, date.min, "prerequisite", late))
            continue
        # After the prerequisites' last weeks; the same week is fine, later in it.
        earliest = max([cursor, *last_of.values()])
        chunks = _chunks(skill.hours, weekly_hours)
        week = earliest
        while not _fits(used, week, chunks, weekly_hours):
            week += 1
        entries = []
        for offset, hours in enumerate(chunks):
            used[week + offset] = used.get(week + offset, 0) + hours
            entries.append((week + offset, hours, sequence))
            sequence += 1
        placed[skill.slug] = entries
        cursor = entries[-1][0]

    return placed


def _fits(used: Mapping[int, int], week: int, chunks: Sequence[int], weekly_hours: int) -> bool:
    """Whether the parts fit from that week on: full parts need empty weeks."""
    for offset, hours in enumerate(chunks):
        taken = used.get(week + offset, 0)
        if taken + hours > weekly_hours:
            return False
        if offset < len(chunks) - 1 and taken:
            return False
    return True


def _unlocks(
    ordered: Sequence[PlanSkill], layout: Mapping[str, list[tuple[int, int, int]]]
) -> dict[str, tuple[Unlock, ...]]:
    """For each skill, the planned skills whose last missing prerequisite it is."""
    result: dict[str, list[Unlock]] = {}
    for skill in ordered:
        prerequisites = [slug for slug in skill.prerequisites if slug in layout]
        if not prerequisites:
            continue
        last = max(prerequisites, key=lambda slug: (layout[slug][-1][0], layout[slug][-1][2]))
        result.setdefault(last, []).append(Unlock(skill.slug, skill.name))
    return {slug: tuple(items) for slug, items in result.items()}


def _milestones(
    ordered: Sequence[PlanSkill],
    layout: Mapping[str, list[tuple[int, int, int]]],
    first_job: frozenset[str] | None,
) -> dict[int, list[Milestone]]:
    """Milestones by study week: each step's last planned skill, the first-job layer, the end."""

    def end(slug: str) -> tuple[int, int]:
        week, _hours, sequence = layout[slug][-1]
        return week, sequence

    steps: dict[str, tuple[str, tuple[int, int]]] = {}
    for skill in ordered:
        if skill.step_slug:
            current = steps.get(skill.step_slug)
            if current is None or end(skill.slug) > current[1]:
                steps[skill.step_slug] = (skill.step_title, end(skill.slug))
    found: list[tuple[tuple[int, int], Milestone]] = [
        (when, Milestone("step", title, slug)) for slug, (title, when) in steps.items()
    ]
    if first_job is not None:
        layer = [skill.slug for skill in ordered if skill.slug in first_job]
        if layer:
            found.append((max(end(slug) for slug in layer), Milestone("first-job", "")))
    if ordered:
        found.append((max(end(skill.slug) for skill in ordered), Milestone("finish", "")))
    by_week: dict[int, list[Milestone]] = {}
    for (week, _sequence), milestone in sorted(found, key=lambda pair: pair[0]):
        by_week.setdefault(week, []).append(milestone)
    return by_week


# Pins and standing ---------------------------------------------------------------


def pin(
    skills: Sequence[PlanSkill], pins: Mapping[str, date], slug: str, week: date, **options
) -> Plan:
    """The plan with one more pin; PinRefused (with the reason) when the plan cannot keep it."""
    kept = {key: value for key, value in pins.items() if key != slug}
    before = {refusal.slug for refusal in build_plan(skills, pins=kept, **options).refused_pins}
    plan = build_plan(skills, pins={**kept, slug: monday(week)}, **options)
    for refusal in plan.refused_pins:
        if refusal.slug == slug:
            raise PinRefused(refusal)
    for refusal in plan.refused_pins:
        if refusal.slug not in before:
            # The new pin would push out an older one (a skill that needs this one first).
            raise PinRefused(RefusedPin(slug, monday(week), "dependent", (refusal.slug,)))
    return plan


@dataclass(frozen=True)
class WeekChange:
    """Pins and lost weeks after a week is lost or given back."""

    pins: dict[str, date]
    lost_weeks: tuple[date, ...]


def _moved_pins(
    pins: Mapping[str, date], week: date, before: set[date], after: set[date]
) -> dict[str, date]:
    """Pins from week on in the calendar after, each at the study week number it had before."""

    def study_weeks(lost: set[date]) -> Iterator[date]:
        day = week
        while True:
            if day not in lost:
                yield day
            day += timedelta(weeks=1)

    # The n-th study week from this one on becomes the n-th of the new calendar, so the
    # layout (build_plan numbers study weeks) is the same and every pin still holds.
    moved = {}
    for old, new in zip(study_weeks(before), study_weeks(after), strict=False):
        if old > max(pins.values(), default=week):
            break
        moved[old] = new
    return {slug: moved.get(monday(day), day) for slug, day in pins.items()}


def lose_week(
    pins: Mapping[str, date], lost_weeks: Iterable[date], week: date, first_week: date
) -> WeekChange:
    """Mark a week lost; pins from it on move a study week later, with the plan."""
    week = monday(week)
    before = {monday(day) for day in lost_weeks}
    after = before | {week}
    return WeekChange(
        pins=_moved_pins(pins, week, before, after),
        # Weeks already over are history: only the current and later ones are kept.
        lost_weeks=tuple(sorted(day for day in after if day >= first_week)),
    )


def restore_week(pins: Mapping[str, date], lost_weeks: Iterable[date], week: date) -> WeekChange:
    """Give a lost week back; pins after it move a study week earlier, with the plan."""
    week = monday(week)
    before = {monday(day) for day in lost_weeks}
    after = before - {week}
    return WeekChange(pins=_moved_pins(pins, week, before, after), lost_weeks=tuple(sorted(after)))


def standing(
    baseline: Mapping[str, date],
    baseline_finish: date | None,
    done: Iterable[str],
    today: date,
    finish: date | None,
) -> PlanStatus:
    """Skills the baseline expected done before today and are not, and ones done early.

    done holds the skills that left the plan: done, or skipped (skipping is a choice, not
    falling behind).
    """
    done = set(done)
    behind = sum(1 for slug, due in baseline.items() if due < today and slug not in done)
    ahead = sum(1 for slug, due in baseline.items() if due >= today and slug in done)
    return PlanStatus(behind=behind, ahead=ahead, baseline_finish=baseline_finish, finish=finish)
