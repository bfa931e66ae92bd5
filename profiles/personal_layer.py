"""The people's layer over careers' content pages: statuses on the map, the skill's own block."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse

from careers.content_types import TrackInfo
from careers.track_map import NodeState, StepState

from . import gap
from .mentoring_services import skill_feedback
from .models import SkillProgress, Status
from .progress_on_tracks import TrackProgress, statuses_and_verified, track_progress


@dataclass(frozen=True)
class SkillMarks:
    """How one skill stands on the roadmap: a next step, or blocked by prerequisites."""

    slug: str
    next: bool
    blocked_by: tuple[str, ...]


def skill_marks(track: TrackInfo, report: gap.GapReport) -> dict[str, SkillMarks]:
    """The marks of every skill in the report's track, by slug."""
    next_slugs = {item.slug for item in report.next_steps}
    blocked = {item.slug: item for item in report.blocked}
    slugs = [link.slug for step in track.steps for link in step.skills]
    return {
        slug: SkillMarks(
            slug=slug,
            next=slug in next_slugs,
            blocked_by=tuple(b.name for b in blocked[slug].blockers) if slug in blocked else (),
        )
        for slug in slugs
    }


@dataclass(frozen=True)
class PersonalMap:
    """A person's statuses over a track's map: careers.track_map.MapOverlay."""

    report: gap.GapReport
    states: dict[str, NodeState] = field(default_factory=dict)
    steps: dict[str, StepState] = field(default_factory=dict)
    how_url: str = ""

    @property
    def readiness(self) -> float:
        """Share of core effort done, in percent."""
        return self.report.readiness

    @property
    def core_done(self) -> int:
        """Core skills done."""
        return self.report.core_done

    @property
    def core_total(self) -> int:
        """Core skills on the track."""
        return self.report.core_total

    @property
    def remaining_core_hours(self) -> int:
        """Hours of core skills not done."""
        return self.report.remaining_core_hours

    @property
    def first_job_readiness(self) -> float | None:
        """Share of the first-job path's effort done, in percent; None without a path."""
        return self.report.first_job_readiness

    def node(self, slug: str) -> NodeState:
        """The state of one skill."""
        return self.states.get(slug, NodeState())

    def step(self, slug: str) -> StepState | None:
        """The progress of one step."""
        return self.steps.get(slug)


def personal_map(found: TrackProgress, verified: set[str]) -> PersonalMap:
    """The overlay for a track from the person's progress and their verified skills."""
    marks = skill_marks(found.track, found.report)
    states = {}
    for slug, mark in marks.items():
        status = found.statuses.get(slug, Status.NONE)
        if status == Status.DONE and slug in verified:
            status = "verified"
        states[slug] = NodeState(status=str(status), next=mark.next, blocked_by=mark.blocked_by)
    steps = {
        step.slug: StepState(
            core_done=step.core_done,
            core_total=step.core_total,
            optional_done=step.optional_done,
            optional_total=step.optional_total,
            hours_left=step.hours_left,
            percent=step.percent,
        )
        for step in found.report.steps
    }
    return PersonalMap(found.report, states, steps, how_url=reverse("profiles:how"))


def map_overlay(user, track_slug: str, weekly_hours: int | None = None) -> PersonalMap | None:
    """The user's overlay for a published track's map, or None if there is no such track."""
    statuses, verified = statuses_and_verified(user)
    found = track_progress(user, track_slug, weekly_hours, statuses=statuses)
    if found is None:
        return None
    return personal_map(found, verified)


@dataclass(frozen=True)
class SkillBlock:
    """A person's part of a skill's page or panel: careers.personal.SkillOverlay."""

    html: str
    statuses: dict[str, str] = field(default_factory=dict)  # by skill slug
    default: str = Status.NONE

    def status(self, slug: str) -> str:
        """The person's status on a neighbouring skill."""
        return self.statuses.get(slug, self.default)


class ProfilesLayer:
    """The people's layer over careers' pages: careers.personal.PersonalLayer."""

    def track_overlay(self, request, track_slug: str) -> PersonalMap | None:
        """Statuses, progress, next steps and blocked skills on a track's map."""
        if not request.user.is_authenticated:
            return None
        return map_overlay(request.user, track_slug)

    def skill_overlay(self, request, skill, *, panel: bool, track_slug: str) -> SkillBlock | None:
        """The signed-in user's status, note and evidence on a skill's page or panel."""
        if not request.user.is_authenticated:
            return None
        related = [*skill.prerequisites.all(), *skill.unlocks.all()]
        rows = list(
            SkillProgress.objects.filter(
                user=request.user, skill__in=[skill, *related]
            ).select_related("verified_by")
        )
        progress = next((row for row in rows if row.skill_id == skill.pk), None)
        slugs = {other.pk: other.slug for other in related}
        context = {
            "skill": skill,
            "panel": panel,
            "track_slug": track_slug,
            "progress": progress,
            "status": progress.status if progress else Status.NONE,
            "mentor_notes": skill_feedback(request.user, skill),
        }
        return SkillBlock(
            html=render_to_string("profiles/_my_skill.html", context, request),
            statuses={slugs[row.skill_id]: row.status for row in rows if row.skill_id in slugs},
        )

    def target_url(self, request) -> str:
        """Where a signed-in person posts the track they take as their target."""
        return reverse("profiles:set_target") if request.user.is_authenticated else ""


LAYER = ProfilesLayer()
