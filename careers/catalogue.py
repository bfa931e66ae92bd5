"""The published content as one cached, typed read model, versioned by a content stamp.

Everything that reads the content's structure (the track list, the gap analysis, the
advisor) reads catalogue(): it is rebuilt once per content version and language.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language

from .content_types import (
    Effort,
    SkillInfo,
    SkillSlot,
    StepInfo,
    TrackInfo,
    TransitionInfo,
    hours_of,
)
from .models import Skill, StepSkill, Track, Transition

CACHE_SECONDS = 24 * 60 * 60
# Part of the cache key: a catalogue pickled by an older release, whose fields differ, is
# never read back (the content version outlives a deploy).
CATALOGUE_FORMAT = 2
VERSION_KEY = "careers:content-version"


# The version stamp ---------------------------------------------------------------


# Within a request (config.middleware.OneContentVersionMiddleware) the version is read
# once: a page reads every structure at the same version, for one cache round trip instead
# of one per structure. Elsewhere (commands, shells) each call reads the cache.
_version_in_request: ContextVar[dict[str, str] | None] = ContextVar(
    "content_version_in_request", default=None
)


@contextmanager
def one_content_version():
    """Within the block, content_version() reads the cache once, until the content changes."""
    token = _version_in_request.set({})
    try:
        yield
    finally:
        _version_in_request.reset(token)


def content_version() -> str:
    """A token that changes whenever any content changes (or the cache is lost)."""
    known = _version_in_request.get()
    if known:
        return known["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh token, never a counter: after a cache flush an old number could
        # match a stale structure kept elsewhere.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    if known is not None:
        known["version"] = version
    return version


def content_changed() -> None:
    """Invalidate every cached structure built from the content."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    known = _version_in_request.get()
    if known is not None:
        known.clear()  # the request that changed the content reads the new version


# The read model -------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """Every published track and every skill, as plain data."""

    tracks: dict[str, TrackInfo]  # in the site's track order
    skills: dict[str, SkillInfo]
    track_slugs: dict[int, str]  # each published track's slug by its primary key

    def track_with_id(self, pk: int | None) -> TrackInfo | None:
        """The published track with this primary key (a profile's target_track_id), if any."""
        return self.tracks.get(self.track_slugs.get(pk, ""))

    def track_hours(self, track: TrackInfo, core_only: bool = False) -> int:
        """A track's effort: the hours of its active skills (its core ones with core_only)."""
        return hours_of(
            self.skills[link.slug]
            for step in track.steps
            for link in step.skills
            if link.slug in self.skills and (link.core or not core_only)
        )


def published_track_hours() -> dict[str, int]:
    """Each published track's effort by slug, as Catalogue.track_hours counts it, in one query.

    For a page that needs only these figures: building the whole catalogue costs seven queries
    after each content change.
    """
    rows = StepSkill.objects.filter(track__published=True).values_list(
        "track__slug", "skill__hours", "skill__archived"
    )
    efforts = defaultdict(list)
    for slug, hours, archived in rows:
        efforts[slug].append(Effort(hours, archived))
    return {slug: hours_of(found) for slug, found in efforts.items()}


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
        skill.slug: SkillInfo(
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
            StepInfo(
                slug=step.slug,
                title=step.title,
                skills=tuple(
                    SkillSlot(slug=link.skill.slug, core=link.is_core, first_job=link.first_job)
                    for link in sorted(links[step.pk], key=lambda link: (link.order, link.pk))
                ),
            )
            for step in track.steps.all()
        )
        result[track.slug] = TrackInfo(
            slug=track.slug,
            name=track.name,
            steps=steps,
            transitions=tuple(
                TransitionInfo(to_slug=t.to_track.slug, to_name=t.to_track.name, why=t.why)
                for t in sorted(transitions[track.pk], key=lambda t: (t.order, t.pk))
            ),
        )
    return Catalogue(
        tracks=result, skills=skills, track_slugs={track.pk: track.slug for track in tracks}
    )


def catalogue() -> Catalogue:
    """The cached catalogue in the active language; rebuilt when the content changes."""
    language = get_language() or "en"
    version = content_version()
    local = _local.get(language)
    if local and local[0] == version:
        return local[1]
    key = f"careers:catalogue:{CATALOGUE_FORMAT}:{language}:{version}"
    built = cache.get(key)
    if built is None:
        built = _build()
        cache.set(key, built, CACHE_SECONDS)
    _local[language] = (version, built)
    return built
