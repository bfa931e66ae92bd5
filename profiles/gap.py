"""How SkillPath measures the gap between a person and a track.

## What counts
A track is a sequence of steps; each step asks for skills, marked core or optional.
Only core skills decide how ready you are: optional skills are shown apart and never
change your readiness. A skill that the editors archived is no longer part of any
roadmap, so it counts for nobody, whatever its status.

## Readiness
Readiness is the share of the track's core effort that you have done: the hours of the
core skills you marked done, divided by the hours of all its core skills. A 40-hour skill
weighs four times a 10-hour one. The counts (for example "7 of 20 core skills") are shown
beside it. A track without core skills has nothing to measure and shows 0%.

## Skipped skills
Skipping a skill says you do not plan to learn it now. It does not make you ready: a
skipped core skill still counts as missing, stays in the total, and its hours stay in the
time left. Skipped skills are listed apart so that you can see what you set aside.

## Learning
A skill you are learning is still missing until you mark it done. It counts as missing
everywhere, and appears among the next steps like any other.

## Next steps
Up to five missing core skills that you can start now, because every prerequisite is
done, in roadmap order (step by step, then in the order within a step). Skipped skills are
not suggested. When no core skill is missing, the optional ones are suggested the same way.
An archived prerequisite never blocks anything.

## Blocked
Missing skills (core or optional, not skipped) with at least one prerequisite that is not
done, each with the prerequisites that block it; a prerequisite may belong to another
track, and is marked so.

## Time left
The hours of every missing core skill (skipped ones included), and the weeks it takes at
the hours per week you gave in your settings, rounded up.

## Readiness labels
Getting started below 25%, building from 25%, nearly there from 75%, and ready only when
every core skill is done.

## Fit across tracks
The same analysis for every published track, from the same statuses: a skill shared by
several tracks counts in each of them. Tracks are ranked by readiness, then by the fewest
core hours left, then in the site's order; the first is the track you are closest to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DONE = "done"
LEARNING = "learning"
SKIPPED = "skipped"

NEXT_STEPS_LIMIT = 5
# Readiness thresholds (percent) for the labels; "ready" needs every core skill done.
BUILDING_FROM = 25.0
NEARLY_THERE_FROM = 75.0
LABELS = ("getting-started", "building", "nearly-there", "ready")


# Input ----------------------------------------------------------------------


@dataclass(frozen=True)
class SkillInfo:
    slug: str
    name: str
    hours: int
    prerequisites: tuple[str, ...] = ()
    archived: bool = False


@dataclass(frozen=True)
class StepSkill:
    slug: str
    core: bool


@dataclass(frozen=True)
class StepInfo:
    slug: str
    title: str
    skills: tuple[StepSkill, ...]


@dataclass(frozen=True)
class TransitionInfo:
    to_slug: str
    to_name: str
    why: str


@dataclass(frozen=True)
class TrackInfo:
    slug: str
    name: str
    steps: tuple[StepInfo, ...]
    transitions: tuple[TransitionInfo, ...] = ()


# Output ---------------------------------------------------------------------


@dataclass(frozen=True)
class SkillRef:
    slug: str
    name: str
    hours: int
    core: bool
    status: str  # done, learning, skipped or none


@dataclass(frozen=True)
class Blocker:
    slug: str
    name: str
    outside_track: bool


@dataclass(frozen=True)
class BlockedSkill:
    slug: str
    name: str
    hours: int
    core: bool
    blockers: tuple[Blocker, ...]

    @property
    def blocking(self) -> tuple[str, ...]:
        return tuple(blocker.slug for blocker in self.blockers)


@dataclass(frozen=True)
class StepReport:
    slug: str
    title: str
    core_done: int
    core_total: int
    optional_done: int
    optional_total: int
    hours_left: int  # missing core hours in this step
    percent: float  # share of this step's core hours done


@dataclass(frozen=True)
class GapReport:
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
    steps: tuple[StepReport, ...]
    next_steps: tuple[SkillRef, ...]
    blocked: tuple[BlockedSkill, ...]
    remaining_core_hours: int
    weeks: int | None


@dataclass(frozen=True)
class FitEntry:
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
    title: str
    text: str


# The analysis -----------------------------------------------------------------


def readiness_label(percent: float, all_core_done: bool = False) -> str:
    """The label for a readiness percentage; "ready" only when every core skill is done."""
    if all_core_done:
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


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def analyse(
    track: TrackInfo,
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
    weekly_hours: int | None = None,
) -> GapReport:
    """The gap between a person's statuses and one track."""

    def is_done(slug: str) -> bool:
        return statuses.get(slug) == DONE

    def prerequisite_met(slug: str) -> bool:
        skill = skills.get(slug)
        # An archived prerequisite is no longer taught, so it cannot hold anyone back.
        return is_done(slug) or (skill is not None and skill.archived)

    in_track = {link.slug for step in track.steps for link in step.skills}
    ordered: list[tuple[SkillInfo, bool]] = []
    step_reports = []
    for step in track.steps:
        counts = {"core_done": 0, "core_total": 0, "optional_done": 0, "optional_total": 0}
        hours_done = hours_total = 0
        for link in step.skills:
            skill = skills.get(link.slug)
            if skill is None or skill.archived:
                continue
            ordered.append((skill, link.core))
            kind = "core" if link.core else "optional"
            counts[f"{kind}_total"] += 1
            if is_done(skill.slug):
                counts[f"{kind}_done"] += 1
            if link.core:
                hours_total += skill.hours
                hours_done += skill.hours if is_done(skill.slug) else 0
        step_reports.append(
            StepReport(
                slug=step.slug,
                title=step.title,
                hours_left=hours_total - hours_done,
                percent=_percent(hours_done, hours_total),
                **counts,
            )
        )

    def ref(skill: SkillInfo, core: bool) -> SkillRef:
        return SkillRef(skill.slug, skill.name, skill.hours, core, statuses.get(skill.slug, "none"))

    core = [skill for skill, is_core in ordered if is_core]
    optional = [skill for skill, is_core in ordered if not is_core]
    core_hours_total = sum(skill.hours for skill in core)
    core_hours_done = sum(skill.hours for skill in core if is_done(skill.slug))
    core_done = sum(1 for skill in core if is_done(skill.slug))
    readiness = _percent(core_hours_done, core_hours_total)
    remaining = core_hours_total - core_hours_done

    candidates = [
        (skill, is_core)
        for skill, is_core in ordered
        if not is_done(skill.slug) and statuses.get(skill.slug) != SKIPPED
    ]
    available = [
        (skill, is_core)
        for skill, is_core in candidates
        if all(prerequisite_met(p) for p in skill.prerequisites)
    ]
    core_missing = any(is_core for _, is_core in candidates)
    next_steps = [ref(skill, is_core) for skill, is_core in available if is_core == core_missing][
        :NEXT_STEPS_LIMIT
    ]

    blocked = []
    for skill, is_core in candidates:
        unmet = [p for p in skill.prerequisites if not prerequisite_met(p)]
        if unmet:
            blockers = tuple(
                Blocker(p, skills[p].name if p in skills else p, p not in in_track) for p in unmet
            )
            blocked.append(BlockedSkill(skill.slug, skill.name, skill.hours, is_core, blockers))

    skipped = [
        ref(skill, is_core) for skill, is_core in ordered if statuses.get(skill.slug) == SKIPPED
    ]
    return GapReport(
        track_slug=track.slug,
        track_name=track.name,
        readiness=readiness,
        label=readiness_label(readiness, all_core_done=bool(core) and core_done == len(core)),
        core_done=core_done,
        core_total=len(core),
        core_hours_done=core_hours_done,
        core_hours_total=core_hours_total,
        optional_done=sum(1 for skill in optional if is_done(skill.slug)),
        optional_total=len(optional),
        learning_count=sum(1 for skill, _ in ordered if statuses.get(skill.slug) == LEARNING),
        skipped_count=len(skipped),
        skipped=tuple(skipped),
        steps=tuple(step_reports),
        next_steps=tuple(next_steps),
        blocked=tuple(blocked),
        remaining_core_hours=remaining,
        weeks=weeks_at(remaining, weekly_hours),
    )


def rank_tracks(
    tracks: Sequence[TrackInfo],
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
    weekly_hours: int | None = None,
) -> list[FitEntry]:
    """Every track's readiness from the same statuses, closest first."""
    entries = []
    for position, track in enumerate(tracks):
        report = analyse(track, skills, statuses, weekly_hours)
        entry = FitEntry(
            slug=track.slug,
            name=track.name,
            readiness=report.readiness,
            label=report.label,
            core_done=report.core_done,
            core_total=report.core_total,
            remaining_core_hours=report.remaining_core_hours,
            weeks=report.weeks,
        )
        entries.append((-entry.readiness, entry.remaining_core_hours, position, entry))
    return [entry for *_, entry in sorted(entries, key=lambda item: item[:3])]


def closest_track(
    tracks: Sequence[TrackInfo],
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
) -> FitEntry | None:
    """The track the statuses are closest to, or None when there is no track."""
    ranked = rank_tracks(tracks, skills, statuses)
    return ranked[0] if ranked else None


def transitions_from(track: TrackInfo) -> tuple[TransitionInfo, ...]:
    """Where people commonly move on to from this track, and why."""
    return track.transitions


def definitions() -> list[Definition]:
    """The definitions above, as titled sections for the "How progress is computed" page."""
    sections = []
    for block in (__doc__ or "").split("\n## ")[1:]:
        title, _, text = block.partition("\n")
        paragraphs = " ".join(line.strip() for line in text.strip().splitlines())
        sections.append(Definition(title.strip(), paragraphs))
    return sections
