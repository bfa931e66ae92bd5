import pickle
from collections.abc import Callable

from django.db.models import Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from config.visitor_cache import cache_for_visitors

from .advisor import advise, known_skills
from .forms import AdvisorForm
from .models import Resource, Skill, StepSkill, Track, Transition
from .structure import content_version
from .track_map import track_map, view

# Apps that add personal data to content pages (profiles) register a function here
# that takes (request, context) and returns more context; careers never imports them.
PageExtension = Callable[[object, dict], dict]
page_extensions: dict[str, list[PageExtension]] = {"track": [], "skill": []}


def _extend(page: str, request, context: dict) -> dict:
    for extension in page_extensions[page]:
        context.update(extension(request, context))
    return context


@cache_for_visitors(content_version)
@require_safe
def landing(request):
    tracks = Track.objects.published()
    return render(request, "careers/landing.html", {"tracks": tracks})


@cache_for_visitors(content_version)
@require_safe
def track_list(request):
    active_hours = Sum(
        "steps__step_skills__skill__hours", filter=Q(steps__step_skills__skill__archived=False)
    )
    tracks = Track.objects.published().annotate(total_hours=active_hours)
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
    context = {"track": track, "track_map": the_map}
    context = _extend("track", request, context)
    # A personal layer may add an overlay (careers.track_map.MapOverlay) with statuses.
    context["map_steps"] = view(the_map, context.get("overlay"))
    return render(request, "careers/track_detail.html", context)


# Each skill page's content (the skill, its resources, neighbours and placements: five
# queries whose building costs more than the page's templates) is kept pickled per content
# version; each request unpickles its own copy, since the personal layer marks the
# neighbours with the person's statuses.
_skills: dict[str, tuple[str, bytes]] = {}
MAX_LOCAL_SKILLS = 1000  # about 30 KB each


def get_skill(slug: str) -> Skill:
    """The skill with what its page shows, as a fresh copy: five queries once per version."""
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
        local = _skills[slug] = (version, pickle.dumps(skill))
    return pickle.loads(local[1])  # noqa: S301 (pickled by this process, above)


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
    context = {
        "skill": skill,
        "panel": panel,
        "placement": placement,
        "track_slug": placement.track.slug if placement else "",
    }
    context = _extend("skill", request, context)
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
    context = {
        "form": form,
        "answered": True,
        "results": results,
        "known_skills": [skills[slug] for slug in skill_slugs if slug in skills],
    }
    return render(request, "careers/advisor.html", context)
