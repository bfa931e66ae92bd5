"""The content as plain frozen data, the one rule for what a track's hours count, and statuses.

Standard library only: the gap analysis (profiles.gap) and the map (careers.track_map) take
these types and this rule without Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple, Protocol


class Status(StrEnum):
    """A person's status on a skill, as the map draws it (profiles records it, with a label)."""

    NONE = "none"
    LEARNING = "learning"
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SkillInfo:
    """A skill of the catalogue."""

    slug: str
    name: str
    hours: int
    prerequisites: tuple[str, ...] = ()
    archived: bool = False
    replaced_by: str | None = None  # the skill an archived skill was merged into


@dataclass(frozen=True)
class SkillSlot:
    """A skill as a step asks for it (careers.models.StepSkill as plain data)."""

    slug: str
    core: bool
    first_job: bool = False


@dataclass(frozen=True)
class StepInfo:
    """A step of a track's roadmap, its skills in order."""

    slug: str
    title: str
    skills: tuple[SkillSlot, ...]


@dataclass(frozen=True)
class TransitionInfo:
    """A suggested move from one track to another."""

    to_slug: str
    to_name: str
    why: str


@dataclass(frozen=True)
class TrackInfo:
    """A track: its steps in roadmap order and where it leads."""

    slug: str
    name: str
    steps: tuple[StepInfo, ...]
    transitions: tuple[TransitionInfo, ...] = ()


# A track's hours --------------------------------------------------------------


class Weighed(Protocol):
    """Anything with a skill's effort: SkillInfo, or the map's skills and nodes."""

    hours: int
    archived: bool


class Effort(NamedTuple):
    """A skill's effort alone, for a count that needs nothing else of it."""

    hours: int
    archived: bool


def counts_in_track(skill: Weighed | None, done: bool = False) -> bool:
    """Whether a skill's hours count on a track: it is active, or archived but done."""
    # A step may still name a skill missing from the catalogue: it has no hours to count.
    # An archived skill counts only once done, so archiving takes nothing away.
    return skill is not None and (not skill.archived or done)


def hours_of(skills: Iterable[Weighed]) -> int:
    """The hours a track asks for of these skills: archived skills are left out."""
    return sum(skill.hours for skill in skills if counts_in_track(skill))
