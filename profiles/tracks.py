"""Load the content into the gap analysis' plain data, cached until the content changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language

from careers.models import Skill, StepSkill, Track, Transition
from careers.structure import content_version

from . import gap
from .models import SkillProgress, Status

CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Catalogue:
    """Every published track and every skill, as the gap analysis takes them."""

    tracks: dict[str, gap.TrackInfo]  # in the site's track order
    skills: dict[str, gap.SkillInfo]


# The process keeps the latest catalogue per language, so a page costs one cache
# read (the version) instead of unpickling the whole structure every time.
_local: dict[str, tuple[str, Catalogue]] = {}


def _build() -> Catalogue:
    prerequisites = defaultdict(list)
    through = Skill.prerequisites.through
    for from_slug, to_slug in through.objects.values_list("from_skill__slug", "to_skill__slug"):
        prerequisites[from_slug].append(to_slug)
    slugs = dict(Skill.objects.values_list("pk", "slug"))
    skills = {
        skill.slug: gap.SkillInfo(
            slug=skill.slug,
            name=skill.name,
            hours=skill.hours,
            prerequisites=tuple(sorted(prerequisites[skill.slug])),
            archived=skill.archived,
            replaced_by=slugs.get(skill.replaced_by_id),
        )
        for skill in Skill.objects.only(
            "slug", "name_en", "name_zh_hans", "hours", "archived", "replaced_by"
        )
    }
    tracks = list(Track.objects.published().prefetch_related("steps"))
    links = defaultdict(list)
    for link in StepSkill.objects.filter(track__published=True).select_related("skill"):
        links[link.step_id].append(link)
    transitions = defaultdict(list)
    for transition in Transition.objects.filter(
        from_track__published=True, to_track__published=True
    ).select_related("to_track"):
        transitions[transition.from_track_id].append(transition)
    result = {}
    for track in tracks:
        steps = tuple(
            gap.StepInfo(
                slug=step.slug,
                title=step.title,
                skills=tuple(
                    gap.StepSkill(slug=link.skill.slug, core=link.is_core, first_job=link.first_job)
                    for link in sorted(links[step.pk], key=lambda link: (link.order, link.pk))
                ),
            )
            for step in track.steps.all()
        )
        result[track.slug] = gap.TrackInfo(
            slug=track.slug,
            name=track.name,
            steps=steps,
            transitions=tuple(
                gap.TransitionInfo(to_slug=t.to_track.slug, to_name=t.to_track.name, why=t.why)
                for t in sorted(transitions[track.pk], key=lambda t: (t.order, t.pk))
            ),
        )
    return Catalogue(tracks=result, skills=skills)


def catalogue() -> Catalogue:
    """The cached catalogue in the active language; rebuilt when the content changes."""
    language = get_language() or "en"
    version = content_version()
    local = _local.get(language)
    if local and local[0] == version:
        return local[1]
    key = f"profiles:catalogue:{language}:{version}"
    built = cache.get(key)
    if built is None:
        built = _build()
        cache.set(key, built, CACHE_SECONDS)
    _local[language] = (version, built)
    return built


def user_statuses(user) -> dict[str, str]:
    """The user's recorded statuses by skill slug, in one query."""
    rows = SkillProgress.objects.filter(user=user).exclude(status=Status.NONE)
    return dict(rows.values_list("skill__slug", "status"))


@dataclass(frozen=True)
class TrackProgress:
    """A person's statuses (merged skills credited to their survivor) and gap report on a track."""

    track: gap.TrackInfo
    statuses: dict[str, str]
    report: gap.GapReport


def track_progress(
    user, track_slug: str, weekly_hours: int | None = None, statuses: dict | None = None
) -> TrackProgress | None:
    """The user's progress on a published track, or None if there is no such track."""
    data = catalogue()
    track = data.tracks.get(track_slug)
    if track is None:
        return None
    if statuses is None:
        statuses = user_statuses(user)
    # The roadmap shows what counts: a survivor of a merge carries the learner's credit.
    statuses = dict(gap.credited_statuses(data.skills, statuses))
    return TrackProgress(track, statuses, gap.analyse(track, data.skills, statuses, weekly_hours))
