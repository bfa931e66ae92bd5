"""A person's skills transcript: what they have done, with evidence and verification, and
what is left, grouped by the steps of their target track. Plain data over plain inputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from careers.content_types import SkillInfo, TrackInfo

from . import gap


@dataclass(frozen=True)
class Record:
    """What the person recorded for one skill, as the transcript needs it."""

    slug: str
    status: str
    evidence_url: str = ""
    started_at: datetime | None = None
    completed_at: datetime | None = None
    verified_by: str | None = None
    verified_at: datetime | None = None


@dataclass(frozen=True)
class Entry:
    """One skill on the transcript."""

    slug: str
    name: str
    hours: int
    core: bool
    record: Record

    @property
    def verified(self) -> bool:
        return self.record.verified_at is not None


@dataclass(frozen=True)
class StepGroup:
    """The done skills of one step, with their hours."""

    title: str
    entries: tuple[Entry, ...]

    @property
    def hours(self) -> int:
        return sum(entry.hours for entry in self.entries)


@dataclass(frozen=True)
class Transcript:
    done_by_step: tuple[StepGroup, ...]
    done_elsewhere: tuple[Entry, ...]  # done skills outside the target track
    in_progress: tuple[Entry, ...]
    skipped: tuple[Entry, ...]
    remaining: tuple[Entry, ...]  # core skills of the target not done, roadmap order
    done_count: int
    done_hours: int
    verified_count: int
    remaining_hours: int


def build(
    track: TrackInfo | None,
    skills: Mapping[str, SkillInfo],
    records: Sequence[Record],
) -> Transcript:
    """The transcript for one person's records, against their target track (or none)."""
    by_slug = {record.slug: record for record in records}
    seen: set[str] = set()

    def entry(slug: str, core: bool) -> Entry | None:
        skill = skills.get(slug)
        if skill is None:
            return None
        record = by_slug.get(slug) or Record(slug=slug, status=gap.Status.NONE)
        return Entry(slug, skill.name, skill.hours, core, record)

    groups, in_progress, skipped, remaining = [], [], [], []
    for step in track.steps if track else ():
        done_here = []
        for link in step.skills:
            item = entry(link.slug, link.core)
            # A skill can sit in two steps; the transcript names it once, at its first.
            if item is None or link.slug in seen:
                continue
            seen.add(link.slug)
            status = item.record.status
            if status == gap.Status.DONE:
                done_here.append(item)
            elif status == gap.Status.LEARNING:
                in_progress.append(item)
            elif status == gap.Status.SKIPPED:
                skipped.append(item)
            if status != gap.Status.DONE and link.core and not skills[link.slug].archived:
                remaining.append(item)
        if done_here:
            groups.append(StepGroup(step.title, tuple(done_here)))

    elsewhere = []
    for record in sorted(records, key=lambda r: skills[r.slug].name if r.slug in skills else ""):
        if record.slug in seen or record.slug not in skills:
            continue
        item = entry(record.slug, core=False)
        if record.status == gap.Status.DONE:
            elsewhere.append(item)
        elif record.status == gap.Status.LEARNING:
            in_progress.append(item)
        elif record.status == gap.Status.SKIPPED:
            skipped.append(item)

    done = [item for group in groups for item in group.entries] + elsewhere
    return Transcript(
        done_by_step=tuple(groups),
        done_elsewhere=tuple(elsewhere),
        in_progress=tuple(in_progress),
        skipped=tuple(skipped),
        remaining=tuple(remaining),
        done_count=len(done),
        done_hours=sum(item.hours for item in done),
        verified_count=sum(1 for item in done if item.verified),
        remaining_hours=sum(item.hours for item in remaining),
    )
