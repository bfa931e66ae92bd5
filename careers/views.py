from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from config.page_shell import render_with_shell
from config.visitor_cache import cache_for_visitors

from .advisor import advise, known_skills
from .catalogue import content_version, published_track_hours
from .forms import AdvisorForm
from .models import Resource, Skill, StepSkill, Track, Transition
from .personal import personal_layer
from .track_map import track_map, view


@cache_for_visitors(content_version)
@require_safe
def landing(request):
    tracks = Track.objects.published()
    return render(request, "careers/landing.html", {"tracks": tracks})


@cache_for_visitors(content_version)
@require_safe
def track_list(request):
    hours = published_track_hours()
    tracks = [(track, hours.get(track.slug, 0)) for track in Track.objects.published()]
    return render(request, "careers/track_list.html", {"tracks": tracks})


# The process keeps each published track it served (with its transitions) until the
# content changes: the track page then reads no content from the database. Templates only
# read these objects; translated fields follow the active language at each access.
_tracks: dict[str, tuple[str, Track]] = {}
MAX_LOCAL_TRACKS = 1000


def get_track(slug: str) -> Track:
    """The published track with its transitions: two queries once per content version."""
    version = content_version()
    local = _tracks.get(slug)
    if local and local[0] == version:
        return local[1]
    transitions = Transition.objects.select_related("to_track").filter(to_track__published=True)
    queryset = Track.objects.published().prefetch_related(
        Prefetch("transitions", queryset=transitions)
    )
    track = get_object_or_404(queryset, slug=slug)
    if len(_tracks) >= MAX_LOCAL_TRACKS:
        _tracks.clear()
    _tracks[slug] = (version, track)
    return track


@cache_for_visitors(content_version)
@require_safe
def track_detail(request, slug):
    track = get_track(slug)
    the_map = track_map(track)
    layer = personal_layer()
    overlay = layer.track_overlay(request, track.slug) if layer else None
    shared = {"track": track, "track_map": the_map, "personal": overlay is not None}
    own = {"overlay": overlay, "map_steps": view(the_map, overlay)}
    if overlay is None:
        return render(request, "careers/track_detail.html", {**shared, **own})
    # Everyone signed in sees the same page around their readiness and their map.
    key = (track.slug, content_version())
    return render_with_shell(request, "careers/track_detail.html", shared, own, key)


@dataclass(frozen=True)
class Neighbour:
    """A prerequisite or an unlocked skill beside a skill, with the person's status on it."""

    skill: Skill
    my_status: str  # "" without a personal layer

    @property
    def name(self) -> str:
        """The skill's name in the active language."""
        return self.skill.name

    def get_absolute_url(self) -> str:
        """The skill's page."""
        return self.skill.get_absolute_url()


# Each skill page's content (the skill, its resources, neighbours and placements: five
# queries whose building costs more than the page's templates) is kept per content version,
# like the tracks above. Templates only read it: the person's statuses on the neighbours
# travel beside them (Neighbour), never on these objects.
_skills: dict[str, tuple[str, Skill]] = {}
MAX_LOCAL_SKILLS = 1000  # about 30 KB each


def get_skill(slug: str) -> Skill:
    """The skill with what its page shows: five queries once per content version."""
    version = content_version()
    local = _skills.get(slug)
    if not local or local[0] != version:
        skill = get_object_or_404(
            Skill.objects.prefetch_related(
                Prefetch("resources", queryset=Resource.objects.order_by("order", "id")),
                Prefetch("prerequisites", queryset=Skill.objects.order_by("slug")),
                Prefetch("unlocks", queryset=Skill.objects.active().order_by("slug")),
                Prefetch(
                    "step_skills",
                    queryset=StepSkill.objects.filter(track__published=True)
                    .select_related("track", "step")
                    .order_by("track__order"),
                ),
            ),
            slug=slug,
        )
        if len(_skills) >= MAX_LOCAL_SKILLS:
            _skills.clear()
        local = _skills[slug] = (version, skill)
    return local[1]


@cache_for_visitors(content_version)
@require_safe
def skill_detail(request, slug):
    skill = get_skill(slug)
    # Opened beside a track's map, the panel says where the skill sits in that track.
    track_slug = request.GET.get("track", "")[:100]
    placement = next(
        (link for link in skill.step_skills.all() if link.track.slug == track_slug), None
    )
    panel = bool(request.htmx)
    track_slug = placement.track.slug if placement else ""
    layer = personal_layer()
    overlay = (
        layer.skill_overlay(request, skill, panel=panel, track_slug=track_slug) if layer else None
    )

    def neighbours(skills) -> list[Neighbour]:
        return [Neighbour(other, overlay.status(other.slug) if overlay else "") for other in skills]

    context = {
        "skill": skill,
        "panel": panel,
        "placement": placement,
        "track_slug": track_slug,
        "overlay": overlay,
        "prerequisites": neighbours(skill.prerequisites.all()),
        "unlocks": neighbours(skill.unlocks.all()),
    }
    template = "careers/_skill_panel.html" if panel else "careers/skill_detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def advisor(request):
    """A few questions; with valid answers, the tracks ranked for them, with reasons."""
    form = AdvisorForm.from_query(request.GET)
    if not form.is_bound:
        return render(request, "careers/advisor.html", {"form": form})
    if not form.is_valid():
        return render(request, "careers/advisor.html", {"form": form}, status=400)
    suggestions = advise(form.cleaned_data)
    slugs = {s.track for s in suggestions} | {s.via for s in suggestions if s.via}
    tracks = Track.objects.published().in_bulk(slugs, field_name="slug")
    # The rules name tracks; the database decides which are live, so drafts go here.
    results = [
        {"suggestion": s, "track": tracks[s.track], "via": tracks.get(s.via)}
        for s in suggestions
        if s.track in tracks
    ]
    skill_slugs = known_skills(form.cleaned_data)
    skills = Skill.objects.active().in_bulk(skill_slugs, field_name="slug")
    layer = personal_layer()
    context = {
        "form": form,
        "answered": True,
        "results": results,
        "known_skills": [skills[slug] for slug in skill_slugs if slug in skills],
        "target_url": layer.target_url(request) if layer else "",
    }
    return render(request, "careers/advisor.html", context)
