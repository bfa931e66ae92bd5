"""The gap between a person and one job posting, or the skills many postings share.

Plain functions over the matcher's result and the gap analysis' plain data, no ORM. A posting
becomes a small track for `gap.analyse`: one step with the skills it names (nice-to-haves
as optional) and one with the prerequisites those skills need but the posting does not name.
Readiness, time left and weeks therefore follow exactly the rules of the tracks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from careers.content_types import SkillInfo, SkillSlot, StepInfo, TrackInfo
from careers.job_matching import MatchResult

from . import gap

NAMED_STEP = "named"
PREREQUISITES_STEP = "prerequisites"


@dataclass(frozen=True)
class JobSkill:
    """A skill of the job with the person's status."""

    slug: str
    name: str
    hours: int
    status: str  # done, learning, skipped or none
    optional: bool = False
    verified: bool = False


@dataclass(frozen=True)
class TrackOverlap:
    """How much of the job a track covers, and what the job asks beyond it."""

    slug: str
    name: str
    covered: int
    total: int
    percent: int  # share of the job's hours the track covers
    beyond: tuple[JobSkill, ...]
    beyond_hours: int


@dataclass(frozen=True)
class JobReport:
    """A person's gap to one posting."""

    have: tuple[JobSkill, ...]
    learning: tuple[JobSkill, ...]
    missing: tuple[JobSkill, ...]
    prerequisites: tuple[JobSkill, ...]  # needed, not named by the posting
    order: tuple[JobSkill, ...]  # what to learn, prerequisites first
    report: gap.GapReport
    optional_hours_left: int
    closest: TrackOverlap | None
    unmatched: tuple[str, ...]

    @property
    def named_count(self) -> int:
        """How many skills the posting names."""
        return len(self.have) + len(self.learning) + len(self.missing)


def _prerequisite_closure(named: Sequence[str], skills: Mapping[str, SkillInfo]) -> list[str]:
    """Every prerequisite, direct or not, of the named skills that is not itself named."""
    named_set = set(named)
    seen: set[str] = set()
    out: list[str] = []

    def visit(slug: str) -> None:
        for prerequisite in skills[slug].prerequisites if slug in skills else ():
            if prerequisite in seen or prerequisite not in skills:
                continue
            seen.add(prerequisite)
            visit(prerequisite)
            if prerequisite not in named_set and not skills[prerequisite].archived:
                out.append(prerequisite)

    for slug in named:
        visit(slug)
    return out


def _needed_by(slugs: Iterable[str], skills: Mapping[str, SkillInfo]) -> set[str]:
    """Every prerequisite, direct or not, of the given skills, named or not."""
    needed: set[str] = set()
    todo = list(slugs)
    while todo:
        slug = todo.pop()
        for prerequisite in skills[slug].prerequisites if slug in skills else ():
            if prerequisite not in needed and prerequisite in skills:
                needed.add(prerequisite)
                todo.append(prerequisite)
    return needed


def learning_order(
    wanted: Sequence[str], skills: Mapping[str, SkillInfo], statuses: Mapping[str, str]
) -> list[str]:
    """The wanted skills that are not done nor skipped, each after its prerequisites,
    otherwise in the order given."""
    todo = {
        slug
        for slug in wanted
        if statuses.get(slug, gap.Status.NONE) not in (gap.Status.DONE, gap.Status.SKIPPED)
    }
    placed: set[str] = set()
    order: list[str] = []

    def visit(slug: str, path: frozenset[str]) -> None:
        if slug in placed or slug in path:
            return
        for prerequisite in skills[slug].prerequisites if slug in skills else ():
            if prerequisite in todo:
                visit(prerequisite, path | {slug})
        placed.add(slug)
        order.append(slug)

    for slug in wanted:
        if slug in todo:
            visit(slug, frozenset())
    return order


def closest_track(
    detected: Sequence[str],
    skills: Mapping[str, SkillInfo],
    tracks: Sequence[TrackInfo],
    statuses: Mapping[str, str],
) -> TrackOverlap | None:
    """The track covering most of the job's hours (first in site order on a tie)."""
    known = [slug for slug in detected if slug in skills]
    total_hours = sum(skills[slug].hours for slug in known)
    best: TrackOverlap | None = None
    for track in tracks:
        in_track = {link.slug for step in track.steps for link in step.skills}
        covered = [slug for slug in known if slug in in_track]
        covered_hours = sum(skills[slug].hours for slug in covered)
        percent = 100 * covered_hours // total_hours if total_hours else 0
        if best is not None and percent <= best.percent:
            continue
        beyond = tuple(
            _job_skill(skills[slug], statuses, False, frozenset())
            for slug in known
            if slug not in in_track
        )
        best = TrackOverlap(
            slug=track.slug,
            name=track.name,
            covered=len(covered),
            total=len(known),
            percent=percent,
            beyond=beyond,
            beyond_hours=sum(skill.hours for skill in beyond),
        )
    return best


def _job_skill(
    skill: SkillInfo, statuses: Mapping[str, str], optional: bool, verified: frozenset[str]
) -> JobSkill:
    return JobSkill(
        slug=skill.slug,
        name=skill.name,
        hours=skill.hours,
        status=statuses.get(skill.slug, gap.Status.NONE),
        optional=optional,
        verified=skill.slug in verified,
    )


def job_track(match: MatchResult, skills: Mapping[str, SkillInfo], title: str = "") -> TrackInfo:
    """The posting as a track: the skills it names, then the prerequisites it leaves out.
    What a required skill builds on is required, even when the posting names it as a
    nice-to-have; a prerequisite only the nice-to-haves need is a nice-to-have too."""
    named = [d for d in match.detections if d.slug in skills]
    prerequisites = _prerequisite_closure([d.slug for d in named], skills)
    required = {d.slug for d in named if not d.optional}
    required |= _needed_by(required, skills)
    return TrackInfo(
        slug="job",
        name=title,
        steps=(
            StepInfo(
                NAMED_STEP,
                NAMED_STEP,
                tuple(SkillSlot(d.slug, core=d.slug in required) for d in named),
            ),
            StepInfo(
                PREREQUISITES_STEP,
                PREREQUISITES_STEP,
                tuple(SkillSlot(slug, core=slug in required) for slug in prerequisites),
            ),
        ),
    )


def analyse_job(
    match: MatchResult,
    skills: Mapping[str, SkillInfo],
    tracks: Sequence[TrackInfo],
    statuses: Mapping[str, str],
    verified: Iterable[str] = (),
    weekly_hours: int | None = None,
) -> JobReport:
    """A person's gap to a posting, by the same rules as a track's gap."""
    verified = frozenset(verified)
    track = job_track(match, skills)
    named_links, prerequisite_links = track.steps[0].skills, track.steps[1].skills
    named = [
        _job_skill(skills[link.slug], statuses, not link.core, verified) for link in named_links
    ]
    prerequisites = tuple(
        _job_skill(skills[link.slug], statuses, not link.core, verified)
        for link in prerequisite_links
    )
    report = gap.analyse(track, skills, statuses, weekly_hours)
    wanted = [link.slug for link in (*named_links, *prerequisite_links) if link.core]
    by_slug = {item.slug: item for item in (*named, *prerequisites)}
    return JobReport(
        have=tuple(item for item in named if item.status == gap.Status.DONE),
        learning=tuple(item for item in named if item.status == gap.Status.LEARNING),
        missing=tuple(
            item for item in named if item.status in (gap.Status.NONE, gap.Status.SKIPPED)
        ),
        prerequisites=prerequisites,
        order=tuple(by_slug[slug] for slug in learning_order(wanted, skills, statuses)),
        report=report,
        optional_hours_left=sum(
            item.hours
            for item in (*named, *prerequisites)
            if item.optional and item.status != gap.Status.DONE
        ),
        closest=closest_track([item.slug for item in named], skills, tracks, statuses),
        unmatched=match.unmatched,
    )


@dataclass(frozen=True)
class RecurringSkill:
    """A skill that several saved postings ask for."""

    slug: str
    name: str
    hours: int
    count: int
    status: str


def recurring_skills(
    matches: Iterable[MatchResult],
    skills: Mapping[str, SkillInfo],
    statuses: Mapping[str, str],
) -> list[RecurringSkill]:
    """Skills by how many postings ask for them (most first), missing before done, then
    by hours (most first): what the market one aims at keeps asking for."""
    counts: Counter = Counter()
    for match in matches:
        counts.update({slug for slug in match.slugs if slug in skills})
    rows = [
        RecurringSkill(
            slug=slug,
            name=skills[slug].name,
            hours=skills[slug].hours,
            count=count,
            status=statuses.get(slug, gap.Status.NONE),
        )
        for slug, count in counts.items()
    ]
    rows.sort(key=lambda row: (-row.count, row.status == gap.Status.DONE, -row.hours, row.name))
    return rows
