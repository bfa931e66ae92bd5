"""A track's roadmap as a map: steps along a spine, skills as nodes, prerequisites as edges.

The layout is plain data built from plain data (build_map), so it is tested without HTTP;
track_map() loads it from the database once per content version and language. A personal
layer (statuses, marks, progress) is laid over it through the MapOverlay interface: careers
knows the interface, never the app that implements it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.core.cache import cache
from django.utils.translation import get_language

from .catalogue import content_version
from .content_types import Status, hours_of
from .models import RoadmapStep, Skill, StepSkill, Track

CACHE_SECONDS = 24 * 60 * 60
# What the map draws: the recorded statuses, and done as verified by a mentor.
STATUSES = (*Status, "verified")


# Input ------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillData:
    """A skill of the catalogue as the map needs it."""

    slug: str
    name: str
    hours: int
    summary: str = ""
    prerequisites: tuple[str, ...] = ()
    archived: bool = False


@dataclass(frozen=True)
class StepProject:
    """The project that closes a step (careers.content_io.PROJECT_PARTS)."""

    build: str
    data: str
    check: str
    no_gpu: str


@dataclass(frozen=True)
class StepData:
    """A step and its skills in roadmap order, each as (slug, core)."""

    slug: str
    title: str
    skills: tuple[tuple[str, bool], ...]
    summary: str = ""
    outcome: str = ""
    project: StepProject | None = None
    first_job: frozenset[str] = frozenset()  # the step's skills on the first-job path


# Output -----------------------------------------------------------------------


@dataclass(frozen=True)
class MapNode:
    """One skill placed on the map."""

    slug: str
    name: str
    summary: str
    hours: int
    core: bool
    archived: bool
    step: str
    prerequisites: tuple[str, ...]  # every prerequisite, in the track or not
    outside_prerequisites: tuple[str, ...]  # those not in this track
    unlocks: tuple[str, ...]  # skills of this track that need this one
    first_job: bool = False  # on the track's first-job path


@dataclass(frozen=True)
class MapStep:
    """A step on the spine, its nodes in order."""

    number: int
    slug: str
    title: str
    nodes: tuple[MapNode, ...]
    hours: int  # active skills only
    core_hours: int
    summary: str = ""
    outcome: str = ""
    project: StepProject | None = None


@dataclass(frozen=True)
class OutsideSkill:
    """A prerequisite that no step of the track teaches."""

    slug: str
    name: str
    hours: int
    needed_by: tuple[str, ...]


@dataclass(frozen=True)
class TrackMap:
    """The whole map of a track."""

    track: str
    steps: tuple[MapStep, ...]
    outside: tuple[OutsideSkill, ...]
    names: Mapping[str, str] = field(default_factory=dict)  # every skill the map names

    @property
    def nodes(self) -> tuple[MapNode, ...]:
        """Every node, in roadmap order."""
        return tuple(node for step in self.steps for node in step.nodes)

    @property
    def has_first_job(self) -> bool:
        """The track marks a first-job path."""
        return any(node.first_job for node in self.nodes)

    @property
    def skill_count(self) -> int:
        """Active skills on the map."""
        return sum(1 for node in self.nodes if not node.archived)

    @property
    def hours(self) -> int:
        """Effort of all active skills."""
        return sum(step.hours for step in self.steps)

    @property
    def core_hours(self) -> int:
        """Effort of the active core skills."""
        return sum(step.core_hours for step in self.steps)


def build_map(steps: Sequence[StepData], skills: Mapping[str, SkillData]) -> TrackMap:
    """The map of a track from its steps and the catalogue; unknown skills are left out."""
    placed = []
    seen = set()
    for step in steps:
        for slug, core in step.skills:
            # A skill sits once on a track (the database enforces it); keep the first
            # place should a caller hand in a duplicate.
            if slug in skills and slug not in seen:
                seen.add(slug)
                placed.append((step, slug, core))
    unlocks = defaultdict(list)
    for _step, slug, _core in placed:
        for prerequisite in skills[slug].prerequisites:
            if prerequisite in seen:
                unlocks[prerequisite].append(slug)
    outside_needed = defaultdict(list)
    nodes_by_step = defaultdict(list)
    for step, slug, core in placed:
        skill = skills[slug]
        outside = tuple(p for p in skill.prerequisites if p not in seen)
        for prerequisite in outside:
            outside_needed[prerequisite].append(slug)
        nodes_by_step[step.slug].append(
            MapNode(
                slug=slug,
                name=skill.name,
                summary=skill.summary,
                hours=skill.hours,
                core=core,
                archived=skill.archived,
                step=step.slug,
                prerequisites=skill.prerequisites,
                outside_prerequisites=outside,
                unlocks=tuple(unlocks[slug]),
                first_job=core and slug in step.first_job,
            )
        )
    map_steps = []
    for number, step in enumerate(steps, start=1):
        nodes = tuple(nodes_by_step[step.slug])
        map_steps.append(
            MapStep(
                number=number,
                slug=step.slug,
                title=step.title,
                nodes=nodes,
                hours=hours_of(nodes),
                core_hours=hours_of(node for node in nodes if node.core),
                summary=step.summary,
                outcome=step.outcome,
                project=step.project,
            )
        )
    outside = tuple(
        OutsideSkill(
            slug=slug,
            name=skills[slug].name if slug in skills else slug,
            hours=skills[slug].hours if slug in skills else 0,
            needed_by=tuple(needed_by),
        )
        for slug, needed_by in outside_needed.items()
    )
    names = {slug: skills[slug].name for slug in seen}
    names.update({item.slug: item.name for item in outside})
    return TrackMap(track="", steps=tuple(map_steps), outside=outside, names=names)


def _project(step: RoadmapStep) -> StepProject | None:
    if not step.project_build:
        return None
    return StepProject(
        build=step.project_build,
        data=step.project_data,
        check=step.project_check,
        no_gpu=step.project_no_gpu,
    )


def _skill_data(skill: Skill, prerequisites: Mapping[str, list[str]]) -> SkillData:
    return SkillData(
        slug=skill.slug,
        name=skill.name,
        hours=skill.hours,
        summary=skill.summary,
        prerequisites=tuple(prerequisites.get(skill.slug, ())),
        archived=skill.archived,
    )


def _load(track: Track) -> TrackMap:
    """Three queries, and a fourth when a prerequisite lies outside the track."""
    links = StepSkill.objects.filter(track=track).select_related("skill").order_by("order", "id")
    by_step = defaultdict(list)
    first_job = defaultdict(set)
    in_track = {}
    for link in links:
        by_step[link.step_id].append((link.skill.slug, link.is_core))
        if link.first_job:
            first_job[link.step_id].add(link.skill.slug)
        in_track[link.skill.slug] = link.skill
    steps = [
        StepData(
            slug=step.slug,
            title=step.title,
            skills=tuple(by_step[step.pk]),
            summary=step.summary,
            outcome=step.outcome,
            project=_project(step),
            first_job=frozenset(first_job[step.pk]),
        )
        for step in track.steps.order_by("order", "id")
    ]
    through = Skill.prerequisites.through
    prerequisites = defaultdict(list)
    edges = through.objects.filter(from_skill__in=[s.pk for s in in_track.values()])
    for from_slug, to_slug in edges.order_by("to_skill__slug").values_list(
        "from_skill__slug", "to_skill__slug"
    ):
        prerequisites[from_slug].append(to_slug)
    outside = {slug for values in prerequisites.values() for slug in values} - in_track.keys()
    skills = {slug: _skill_data(skill, prerequisites) for slug, skill in in_track.items()}
    if outside:
        for skill in Skill.objects.filter(slug__in=outside):
            skills[skill.slug] = _skill_data(skill, {})
    built = build_map(steps, skills)
    return TrackMap(track=track.slug, steps=built.steps, outside=built.outside, names=built.names)


# The process keeps the latest map per track and language, so a page costs one cache read
# (the version) instead of unpickling the whole map every time.
_local: dict[tuple[str, str], tuple[str, TrackMap]] = {}
MAX_LOCAL_MAPS = 1000


def track_map(track: Track | str) -> TrackMap | None:
    """A published track's map in the active language, cached until the content changes."""
    slug = track if isinstance(track, str) else track.slug
    language = get_language() or "en"
    version = content_version()
    local = _local.get((slug, language))
    if local and local[0] == version:
        return local[1]
    key = f"careers:map:{slug}:{language}:{version}"
    found = cache.get(key)
    if found is None:
        if isinstance(track, str):
            track = Track.objects.published().filter(slug=slug).first()
            if track is None:
                return None
        found = _load(track)
        cache.set(key, found, CACHE_SECONDS)
    if len(_local) >= MAX_LOCAL_MAPS:
        _local.clear()
    _local[(slug, language)] = (version, found)
    return found


# The personal layer -------------------------------------------------------------


@dataclass(frozen=True)
class NodeState:
    """How one skill stands for a person: status (one of STATUSES), next, blocked."""

    status: str = Status.NONE
    next: bool = False
    blocked_by: tuple[str, ...] = ()  # names of the unmet prerequisites


@dataclass(frozen=True)
class StepState:
    """A person's progress in one step, over its core skills."""

    core_done: int
    core_total: int
    optional_done: int
    optional_total: int
    hours_left: int
    percent: float


class MapOverlay(Protocol):
    """What a personal layer tells the map; implemented outside careers."""

    readiness: float
    core_done: int
    core_total: int
    remaining_core_hours: int
    first_job_readiness: float | None  # None when the track marks no first-job path
    how_url: str  # the page that explains the figures; "" for none

    def node(self, slug: str) -> NodeState:
        """The state of one skill."""

    def step(self, slug: str) -> StepState | None:
        """The progress of one step, None if unknown."""


@dataclass(frozen=True)
class NodeView:
    """A node with its state, ready to render."""

    node: MapNode
    state: NodeState

    @property
    def blocked(self) -> bool:
        """Whether unmet prerequisites block it."""
        return bool(self.state.blocked_by)


@dataclass(frozen=True)
class StepView:
    """A step with its visible nodes and progress."""

    step: MapStep
    nodes: tuple[NodeView, ...]
    progress: StepState | None


def view(track_map: TrackMap, overlay: MapOverlay | None = None) -> tuple[StepView, ...]:
    """The steps to draw: archived skills only for those who recorded them."""
    empty = NodeState()
    steps = []
    for step in track_map.steps:
        nodes = []
        for node in step.nodes:
            state = overlay.node(node.slug) if overlay is not None else empty
            if node.archived and state.status == Status.NONE:
                continue
            nodes.append(NodeView(node, state))
        progress = overlay.step(step.slug) if overlay is not None else None
        steps.append(StepView(step, tuple(nodes), progress))
    return tuple(steps)


def prerequisite_names(track_map: TrackMap, slugs: Iterable[str]) -> list[str]:
    """The names of the given skills, as the map knows them."""
    return [track_map.names.get(slug, slug) for slug in slugs]
