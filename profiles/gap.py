"""How SkillPath measures the gap between a person and a track.

The rules are DEFINITIONS, at the end of this module: titled sections in plain words, shown
as they are, in the reader's language, on the "How progress is computed" page. A test keeps
their numbers in agreement with the constants below.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from careers.content_types import SkillInfo, SkillSlot, Status, TrackInfo, counts_in_track

NEXT_STEPS_LIMIT = 5
# Readiness thresholds in percent; DEFINITIONS states them in words and a test keeps the
# two in agreement.
BUILDING_FROM = 25.0
NEARLY_THERE_FROM = 75.0
READY_AT = 100.0
LABELS = ("getting-started", "building", "nearly-there", "ready")
# The highest readiness shown while a core skill is missing: one step of the 0.1 precision
# below 100, so that "100%" always means finished.
_ALMOST_READY = 99.9


# Output ---------------------------------------------------------------------


@dataclass(frozen=True)
class SkillRef:
    """A skill of the track with the person's status (done, learning, skipped or none)."""

    slug: str
    name: str
    hours: int
    core: bool
    status: str


@dataclass(frozen=True)
class Blocker:
    """A prerequisite that is not done yet."""

    slug: str
    name: str
    outside_track: bool


@dataclass(frozen=True)
class BlockedSkill:
    """A missing skill with the prerequisites that block it."""

    slug: str
    name: str
    hours: int
    core: bool
    blockers: tuple[Blocker, ...]


@dataclass(frozen=True)
class StepReport:
    """Progress within one step; hours_left and percent are over its core skills."""

    slug: str
    title: str
    core_done: int
    core_total: int
    optional_done: int
    optional_total: int
    hours_left: int
    percent: float


@dataclass(frozen=True)
class GapReport:
    """The gap between a person and a track, as the module docstring defines it."""

    track_slug: str
    track_name: str
    readiness: float
    label: str
    core_done: int
    core_total: int
    core_hours_done: int
    core_hours_total: int
    optional_done: int
    optional_total: int
    learning_count: int
    skipped_count: int
    skipped: tuple[SkillRef, ...]
    skipped_core: tuple[SkillRef, ...]
    skipped_core_hours: int
    missing_core: tuple[SkillRef, ...]
    steps: tuple[StepReport, ...]
    next_steps: tuple[SkillRef, ...]
    blocked: tuple[BlockedSkill, ...]
    remaining_core_hours: int
    weeks: int | None
    # The first-job path: the track's minimum core set for a first job, measured the same way.
    # None when the track marks no first-job path.
    first_job_readiness: float | None = None
    first_job_done: int = 0
    first_job_total: int = 0
    first_job_hours_total: int = 0
    first_job_hours_left: int = 0
    # How many skills could be started now; next_steps holds the first NEXT_STEPS_LIMIT.
    next_steps_total: int = 0

    @property
    def more_next_steps(self) -> int:
        """The skills that could be started now beyond those in next_steps."""
        return max(self.next_steps_total - len(self.next_steps), 0)


@dataclass(frozen=True)
class FitEntry:
    """One track's place in the fit ranking."""

    slug: str
    name: str
    readiness: float
    label: str
    core_done: int
    core_total: int
    remaining_core_hours: int
    weeks: int | None


@dataclass(frozen=True)
class Definition:
    """One titled section of DEFINITIONS, for the "How progress is computed" page."""

    title: str
    text: str


# The statuses as plain strings: the analysis compares thousands of them a page, and reading
# an enum member costs three times what reading a module constant does.
_DONE = Status.DONE.value
_SKIPPED = Status.SKIPPED.value
_LEARNING = Status.LEARNING.value
_NONE = Status.NONE.value


# The analysis -----------------------------------------------------------------


def readiness_label(percent: float) -> str:
    """The label for a readiness percentage, by the module's thresholds."""
    if percent >= READY_AT:
        return "ready"
    if percent >= NEARLY_THERE_FROM:
        return "nearly-there"
    if percent >= BUILDING_FROM:
        return "building"
    return "getting-started"


def weeks_at(hours: int, weekly_hours: int | None) -> int | None:
    """Weeks needed for hours at weekly_hours a week, rounded up; None without a pace."""
    if not weekly_hours or weekly_hours <= 0:
        return None
    return math.ceil(hours / weekly_hours)


def _percent(hours_done: int, hours_total: int, done: int, total: int) -> float:
    """Share of hours done in percent, rounded down to 0.1; 100 exactly when all are done."""
    if total == 0:
        return 0.0
    if done == total:
        return 100.0
    if hours_total <= 0:
        return 0.0
    # Integer arithmetic is exact, and rounding down keeps marking a skill done from
    # ever lowering the figure; the cap keeps "100%" for a finished track only.
    return min((1000 * hours_done // hours_total) / 10, _ALMOST_READY)


# Which recorded status is worth more when two skills were merged into one.
_STATUS_RANK = {_DONE: 3, _LEARNING: 2, _SKIPPED: 1}
# Merges are at most this deep; the importer forbids merging into an archived skill.
_MERGE_DEPTH = 10


def _survivor(slug: str, skills: Mapping[str, SkillInfo]) -> str | None:
    """The skill that slug was merged into, following merges of merges; None if not merged."""
    survivor = None
    for _ in range(_MERGE_DEPTH):
        skill = skills.get(slug)
        if skill is None or not skill.replaced_by:
            break
        survivor = slug = skill.replaced_by
    return survivor


def credited_statuses(
    skills: Mapping[str, SkillInfo], statuses: Mapping[str, str]
) -> Mapping[str, str]:
    """The statuses, with progress on skills merged into another credited to the survivor.

    The survivor takes the best status recorded on the skills merged into it (done, then
    learning, then skipped), unless the person recorded the survivor itself: their own record
    always wins.
    """
    credited: dict[str, str] | None = None
    for slug, status in statuses.items():
        survivor = _survivor(slug, skills)
        if survivor is None or statuses.get(survivor, _NONE) != _NONE:
            continue
        if credited is None:
            credited = dict(statuses)
        current = credited.get(survivor, _NONE)
        if _STATUS_RANK.get(status, 0) > _STATUS_RANK.get(current, 0):
            credited[survivor] = status
    return statuses if credited is None else credited


def _counted(
    links: Sequence[SkillSlot], skills: Mapping[str, SkillInfo], statuses: Mapping[str, str]
) -> Iterator[tuple[SkillSlot, SkillInfo, str]]:
    """The links that count toward progress, each with its skill and the person's status."""
    for link in links:
        skill = skills.get(link.slug)
        status = statuses.get(link.slug, _NONE)
        if counts_in_track(skill, done=status == _DONE):
            yield link, skill, status


def analyse(
    track: TrackInfo,
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
    weekly_hours: int | None = None,
) -> GapReport:
    """The gap between a person's statuses and one track."""
    statuses = credited_statuses(skills, statuses)

    def prerequisite_met(slug: str) -> bool:
        skill = skills.get(slug)
        # An archived prerequisite is no longer taught, so it cannot hold anyone back.
        return statuses.get(slug) == _DONE or (skill is not None and skill.archived)

    in_track = {link.slug for step in track.steps for link in step.skills}
    # Each counted skill with its status, read once: the rest of the analysis works on these.
    counted: list[tuple[SkillInfo, SkillRef]] = []
    step_reports = []
    for step in track.steps:
        core_done = core_total = optional_done = optional_total = 0
        hours_done = hours_total = 0
        for link, skill, status in _counted(step.skills, skills, statuses):
            done = status == _DONE
            counted.append(
                (skill, SkillRef(skill.slug, skill.name, skill.hours, link.core, status))
            )
            if link.core:
                core_total += 1
                hours_total += skill.hours
                if done:
                    core_done += 1
                    hours_done += skill.hours
            else:
                optional_total += 1
                optional_done += done
        step_reports.append(
            StepReport(
                slug=step.slug,
                title=step.title,
                core_done=core_done,
                core_total=core_total,
                optional_done=optional_done,
                optional_total=optional_total,
                hours_left=hours_total - hours_done,
                percent=_percent(hours_done, hours_total, core_done, core_total),
            )
        )

    first_job_slugs = {
        link.slug for step in track.steps for link in step.skills if link.first_job and link.core
    }
    first_job = [item for _, item in counted if item.core and item.slug in first_job_slugs]
    first_job_hours = sum(item.hours for item in first_job)
    first_job_left = sum(item.hours for item in first_job if item.status != _DONE)
    first_job_done = sum(1 for item in first_job if item.status == _DONE)

    refs = [item for _, item in counted]
    core = [item for item in refs if item.core]
    missing_core = [item for item in core if item.status != _DONE]
    core_hours_total = sum(item.hours for item in core)
    remaining = sum(item.hours for item in missing_core)
    core_done = len(core) - len(missing_core)
    readiness = _percent(core_hours_total - remaining, core_hours_total, core_done, len(core))

    available = []
    blocked = []
    for skill, item in counted:
        if item.status in (_DONE, _SKIPPED):
            continue
        unmet = [slug for slug in skill.prerequisites if not prerequisite_met(slug)]
        if not unmet:
            available.append(item)
            continue
        blockers = tuple(
            Blocker(slug, skills[slug].name if slug in skills else slug, slug not in in_track)
            for slug in unmet
        )
        blocked.append(BlockedSkill(skill.slug, skill.name, skill.hours, item.core, blockers))
    suggest_core = any(item.core for item in available)
    startable = [item for item in available if item.core == suggest_core]
    next_steps = startable[:NEXT_STEPS_LIMIT]

    skipped = [item for item in refs if item.status == _SKIPPED]
    skipped_core = [item for item in skipped if item.core]
    return GapReport(
        track_slug=track.slug,
        track_name=track.name,
        readiness=readiness,
        label=readiness_label(readiness),
        core_done=core_done,
        core_total=len(core),
        core_hours_done=core_hours_total - remaining,
        core_hours_total=core_hours_total,
        optional_done=sum(1 for item in refs if not item.core and item.status == _DONE),
        optional_total=len(refs) - len(core),
        learning_count=sum(1 for item in refs if item.status == _LEARNING),
        skipped_count=len(skipped),
        skipped=tuple(skipped),
        skipped_core=tuple(skipped_core),
        skipped_core_hours=sum(item.hours for item in skipped_core),
        missing_core=tuple(missing_core),
        steps=tuple(step_reports),
        next_steps=tuple(next_steps),
        blocked=tuple(blocked),
        remaining_core_hours=remaining,
        weeks=weeks_at(remaining, weekly_hours),
        first_job_readiness=(
            _percent(
                first_job_hours - first_job_left, first_job_hours, first_job_done, len(first_job)
            )
            if first_job
            else None
        ),
        first_job_done=first_job_done,
        first_job_total=len(first_job),
        first_job_hours_total=first_job_hours,
        first_job_hours_left=first_job_left,
        next_steps_total=len(startable),
    )


def rank_tracks(
    tracks: Sequence[TrackInfo],
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
    weekly_hours: int | None = None,
) -> list[FitEntry]:
    """Every track's fit from the same statuses: readiness desc, hours left asc, input order."""
    keyed = []
    credited = credited_statuses(skills, statuses)  # once, for every track
    for position, track in enumerate(tracks):
        entry = _credited_fit(track, skills, credited, weekly_hours)
        keyed.append(((-entry.readiness, entry.remaining_core_hours, position), entry))
    keyed.sort(key=lambda item: item[0])
    return [entry for _, entry in keyed]


def fit(
    track: TrackInfo,
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
    weekly_hours: int | None,
) -> FitEntry:
    """The figures of analyse() that a summary needs, counted the same way, and only those.

    The dashboard ranks every track and the mentoring page sums up every mentee on each view:
    the full analysis (next steps, blocked skills) of each cost more than the rest of the page.
    """
    return _credited_fit(track, skills, credited_statuses(skills, statuses), weekly_hours)


def _credited_fit(
    track: TrackInfo,
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
    weekly_hours: int | None,
) -> FitEntry:
    """fit() from statuses already credited to the survivors of merges."""
    done = total = hours_done = hours_total = 0
    # The same count as _counted, core links only, inline: the mentoring page runs it for
    # every mentee, and the generator and the check of optional links were most of its cost.
    for step in track.steps:
        for link in step.skills:
            if not link.core:
                continue
            skill = skills.get(link.slug)
            is_done = statuses.get(link.slug) == _DONE
            if not counts_in_track(skill, done=is_done):
                continue
            total += 1
            hours_total += skill.hours
            if is_done:
                done += 1
                hours_done += skill.hours
    readiness = _percent(hours_done, hours_total, done, total)
    remaining = hours_total - hours_done
    return FitEntry(
        slug=track.slug,
        name=track.name,
        readiness=readiness,
        label=readiness_label(readiness),
        core_done=done,
        core_total=total,
        remaining_core_hours=remaining,
        weeks=weeks_at(remaining, weekly_hours),
    )


# The rules in words -------------------------------------------------------------
# Paragraphs are separated by a blank line. The texts are marked for translation, not
# translated: this module stays pure Python, and the page translates each one as it shows it.


def gettext_noop(message: str) -> str:
    """Mark a message for makemessages (which knows this name) and return it unchanged."""
    return message


DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        gettext_noop("What counts"),
        gettext_noop(
            "A track is a sequence of steps; each step asks for skills, marked core or optional. "
            "Only core skills decide how ready you are: optional skills are counted and shown "
            "apart, and never change your readiness."
        ),
    ),
    (
        gettext_noop("Readiness"),
        # xgettext:no-python-format
        gettext_noop(
            "Readiness is the share of the track's core effort that you have done: the hours of "
            "the core skills you marked done, divided by the hours of all its core skills. A "
            "40-hour skill weighs four times a 10-hour one. The counts (for example “7 of 20 core "
            "skills”) are shown beside it.\n\n"
            "The percentage is rounded down, and it reads 100% when, and only when, every core "
            "skill is done. A track without any core skill has nothing to measure and reads 0%. "
            "Marking a skill done never lowers your readiness."
        ),
    ),
    (
        gettext_noop("First-job readiness"),
        gettext_noop(
            "Each track marks a first-job path: the smallest set of its core skills that a first "
            "job in that direction asks for, with all their prerequisites. First-job readiness "
            "is measured on that set the same way as readiness, and shown beside it. It does not "
            "replace readiness: the full track is what the role asks of you after a year or two."
        ),
    ),
    (
        gettext_noop("Skipped skills"),
        gettext_noop(
            "Skipping a skill says you do not plan to learn it now. It does not make you ready: a "
            "skipped core skill still counts as not done, stays in the total, and its hours stay "
            "in the time left. Skipped skills are listed apart, with their hours, so that you can "
            "see what you set aside."
        ),
    ),
    (
        gettext_noop("Learning"),
        gettext_noop(
            "A skill you are learning is still missing until you mark it done. It counts as "
            "missing everywhere and takes its usual place among the next steps: being started "
            "does not move it ahead of the roadmap."
        ),
    ),
    (
        gettext_noop("Archived skills"),
        gettext_noop(
            "A skill the editors archived is no longer part of the roadmap. If you had marked it "
            "done, it still counts, as done, in the track where it was, so archiving never takes "
            "progress away from anyone. If you had not, it is left out entirely: it is neither in "
            "the total, nor suggested, nor blocked. An archived prerequisite never blocks "
            "anything."
        ),
    ),
    (
        gettext_noop("Merged skills"),
        gettext_noop(
            "When the editors merge two skills into one, the one merged away is archived and "
            "names the skill that replaces it. What you recorded on it counts for the replacing "
            "skill: done stays done, learning stays learning. If several skills were merged into "
            "one, the best of your statuses counts. If you recorded the replacing skill "
            "yourself, your own record wins."
        ),
    ),
    (
        gettext_noop("Next steps"),
        gettext_noop(
            "Up to 5 missing core skills that you can start now, because every prerequisite is "
            "done, in roadmap order: step by step, then in the order within a step. Skipped "
            "skills are not suggested. When no missing core skill can be started, optional ones "
            "are suggested the same way."
        ),
    ),
    (
        gettext_noop("Blocked"),
        gettext_noop(
            "Missing skills, core or optional but not skipped, with at least one prerequisite "
            "that is not done, each with the prerequisites that block it. A prerequisite may "
            "belong to no step of the track; it is then marked as coming from outside the track."
        ),
    ),
    (
        gettext_noop("Time left"),
        gettext_noop(
            "The hours of every core skill that is not done, skipped ones included, and the weeks "
            "this takes at the hours per week you gave in your settings, rounded up. Without "
            "hours per week there is no estimate in weeks."
        ),
    ),
    (
        gettext_noop("Readiness labels"),
        # xgettext:no-python-format
        gettext_noop(
            "Getting started below 25%, building from 25%, nearly there from 75%, and ready at "
            "100%, that is only when every core skill is done."
        ),
    ),
    (
        gettext_noop("Fit across tracks"),
        gettext_noop(
            "The same analysis for every published track, from the same statuses: a skill shared "
            "by several tracks counts in each of them. Tracks are ranked by readiness, highest "
            "first, then by the fewest core hours left, then in the site's order of tracks; the "
            "first is the track you are closest to."
        ),
    ),
)


def definitions() -> list[Definition]:
    """The rules, section by section, in English (the page translates them)."""
    return [Definition(title, text) for title, text in DEFINITIONS]
