"""The search page and the skill index: content from careers.search, with my statuses."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from careers import search as finder
from careers.models import RoadmapStep, Track

from .forms import SkillIndexForm
from .models import Status
from .progress_on_tracks import statuses_and_verified

INDEX_PAGE_SIZE = 100
# Shown on an empty search: names people look for, in both languages.
EXAMPLES = ["vLLM", "去重", "量化", "RAG", "CUDA"]


def _statuses(user, slugs=None) -> tuple[dict[str, str] | None, set[str]]:
    """The signed-in person's statuses (None for a visitor) and their verified done skills."""
    if not user.is_authenticated:
        return None, set()
    return statuses_and_verified(user, slugs)


@require_safe
def search(request):
    """/search/?q=: the full page, or only the results for htmx's search-as-you-type."""
    results = finder.search(request.GET.get("q"))
    statuses, verified = _statuses(request.user, [hit.slug for hit in results.skills])
    if statuses is not None:
        for hit in results.skills:
            hit.status = statuses.get(hit.slug, Status.NONE)
    context = {
        "results": results,
        "cut": len(request.GET.get("q", "")) > finder.MAX_QUERY_LENGTH,
        "examples": EXAMPLES,
        "verified": verified,
    }
    # As you type, htmx swaps only the page's main content; a history restore (back button
    # after the cache is gone) needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "search/_results.html" if partial else "search/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def skill_index(request):
    """/skills/: every skill, filtered and sorted by the query string; a fixed query count."""
    tracks = [(t.slug, t.name) for t in Track.objects.published()]
    steps: dict[str, list[tuple[str, str]]] = {}
    for step in RoadmapStep.objects.filter(track__published=True).select_related("track"):
        steps.setdefault(step.track.slug, []).append((step.slug, step.title))
    signed_in = request.user.is_authenticated
    form = SkillIndexForm(request.GET, tracks=tracks, steps=steps, signed_in=signed_in)
    status = 200
    if form.is_valid():
        values = {key: value for key, value in form.cleaned_data.items() if value}
        if values.get("step") and not values.get("track"):
            values.pop("step")
        filters = finder.IndexFilters(**values)
    else:
        # Bad filters show every skill with the form's messages: never a 500, but a 400.
        filters, status = finder.IndexFilters(), 400
    statuses, verified = _statuses(request.user)
    rows = finder.filter_index(finder.index_rows(), filters, statuses)
    page = Paginator(rows, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total": len(rows),
        "filters": filters,
        "query": query.urlencode(),
        "signed_in": signed_in,
        "verified": verified,
    }
    return render(request, "search/skill_index.html", context, status=status)
