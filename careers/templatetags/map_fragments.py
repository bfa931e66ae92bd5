"""The map's steps and skill nodes, each rendered once per look and then reused from memory."""

from __future__ import annotations

import secrets
from collections.abc import Hashable

from django import template
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from careers.track_map import NodeView, StepView

register = template.Library()

# A fragment's HTML is a pure function of its key: the step or node view (frozen
# dataclasses holding every content field the template shows and the person's state of
# it), the track, whether the page is personal and the language. A content edit or a
# status change makes a different view, hence a different key, so nothing here can go
# stale; the bound only caps the memory (about 1-3 KB an entry) of a long-lived process.
MAX_FRAGMENTS = 20_000
_fragments: dict[tuple, SafeString] = {}


@receiver(file_changed, dispatch_uid="map_fragments_file_changed")
def forget_fragments(sender, file_path, **kwargs):
    """Under runserver an edited template shows at once, as Django's own loaders reset."""
    if file_path.suffix != ".py":
        _fragments.clear()


def _fragment(
    template_name: str, key_item: Hashable, track_slug: str, personal: bool, context: dict
) -> SafeString:
    personal = bool(personal)
    key = (template_name, get_language(), track_slug, personal, key_item)
    html = _fragments.get(key)
    if html is None:
        context = {**context, "track": {"slug": track_slug}, "personal": personal}
        html = get_template(template_name).render(context)
        if len(_fragments) >= MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[key] = html
    return html


# Where a step's nodes go in its kept HTML: a step is kept without them, since its nodes'
# states together are nearly one person's own, while its head (title, figures, progress) and
# each node alone repeat across people.
_NODES = mark_safe(f"<!--nodes-{secrets.token_hex(16)}-->")  # noqa: S308 - a constant comment


@register.simple_tag
def map_step(item: StepView, track_slug: str, personal: bool) -> SafeString:
    """A step of the map with its progress and nodes, as careers/map/_step.html draws it."""
    key_item = (item.step, item.progress, len(item.nodes))
    context = {"item": item, "nodes_html": _NODES}
    html = _fragment("careers/map/_step.html", key_item, track_slug, personal, context)
    nodes = map_nodes(item.nodes, track_slug, personal) if item.nodes else ""
    return mark_safe(html.replace(_NODES, nodes))  # noqa: S308 - autoescaped templates


@register.simple_tag
def map_nodes(items: tuple[NodeView, ...], track_slug: str, personal: bool) -> SafeString:
    """The <li> of every node of a step, as careers/map/_node.html draws them."""
    html = (
        _fragment("careers/map/_node.html", item, track_slug, personal, {"item": item})
        for item in items
    )
    return mark_safe("".join(html))  # noqa: S308 - each part is an autoescaped template


@register.simple_tag
def map_readiness(overlay, oob=False) -> SafeString:
    """The person's readiness on the track, as careers/map/_readiness_figures.html draws it."""
    # A pure function of the figures, which many people share (everyone new is at 0%).
    figures = (
        overlay.readiness,
        overlay.core_done,
        overlay.core_total,
        overlay.first_job_readiness,
        overlay.remaining_core_hours,
        overlay.how_url,
        bool(oob),
    )
    context = {"overlay": overlay, "oob": oob}
    return _fragment("careers/map/_readiness_figures.html", figures, "", True, context)
