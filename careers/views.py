from collections.abc import Callable

from django.db.models import Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .advisor import advise, known_skills
from .forms import AdvisorForm
from .models import Resource, RoadmapStep, Skill, StepSkill, Track, Transition

# Apps that add personal data to content pages (profiles) register a function here
# that takes (request, context) and returns more context; careers never imports them.
PageExtension = Callable[[object, dict], dict]
page_extensions: dict[str, list[PageExtension]] = {"track": [], "skill": []}


def _extend(page: str, request, context: dict) -> dict:
    for extension in page_extensions[page]:
        context.update(extension(request, context))
    return context


@require_safe
def landing(request):
    tracks = Track.objects.published()
    return render(request, "careers/landing.html", {"tracks": tracks})


@require_safe
def track_list(request):
    active_hours = Sum(
        "steps__step_skills__skill__hours", filter=Q(steps__step_skills__skill__archived=False)
    )
    tracks = Track.objects.published().annotate(total_hours=active_hours)
    return render(request, "careers/track_list.html", {"tracks": tracks})


def get_track(slug: str) -> Track:
    """The published track with its steps, skills and transitions, in four queries."""
    links = StepSkill.objects.select_related("skill").order_by("order", "id")
    steps = RoadmapStep.objects.order_by("order", "id").prefetch_related(
        Prefetch("step_skills", queryset=links)
    )
    transitions = Transition.objects.select_related("to_track").filter(to_track__published=True)
    queryset = Track.objects.published().prefetch_related(
        Prefetch("steps", queryset=steps), Prefetch("transitions", queryset=transitions)
    )
    return get_object_or_404(queryset, slug=slug)


@require_safe
def track_detail(request, slug):
    track = get_track(slug)
    steps = []
    for step in track.steps.all():
        links = list(step.step_skills.all())
        # Archived skills count for nobody; the page shows them only to those who
        # recorded them (see _skill_row.html).
        active = [link for link in links if not link.skill.archived]
        steps.append(
            {
                "step": step,
                "core": [link for link in links if link.is_core],
                "optional": [link for link in links if not link.is_core],
                "hours": sum(link.skill.hours for link in active),
                "core_hours": sum(link.skill.hours for link in active if link.is_core),
                "skill_count": len(active),
            }
        )
    context = {
        "track": track,
        "steps": steps,
        "total_hours": sum(step["hours"] for step in steps),
        "core_hours": sum(step["core_hours"] for step in steps),
        "skill_count": sum(step["skill_count"] for step in steps),
    }
    return render(request, "careers/track_detail.html", _extend("track", request, context))


@require_safe
def skill_detail(request, slug):
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
    context = _extend("skill", request, {"skill": skill})
    return render(request, "careers/skill_detail.html", context)


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
