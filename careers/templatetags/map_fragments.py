"""The map's steps and skill nodes, each rendered once per look and then reused from memory."""

from __future__ import annotations

import secrets
from collections.abc import Hashable

from django import template
from django.utils.safestring import SafeString, mark_safe

from careers.track_map import NodeView, StepView
from config.fragments import look, render_fragment

register = template.Library()


def _fragment(
    template_name: str,
    key_item: Hashable,
    track_slug: str,
    personal: bool,
    context: dict,
    seen_in: tuple[str, str] | None = None,
) -> SafeString:
    # A step or node view is a frozen dataclass holding every content field the template
    # shows and the person's state of it: with the track and whether the page is personal,
    # it determines the HTML (config.fragments keeps it per language and zone too).
    personal = bool(personal)
    context = {**context, "track": {"slug": track_slug}, "personal": personal}
    return render_fragment(template_name, (track_slug, personal, key_item), context, seen_in)


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
    seen_in = look()
    html = (
        _fragment("careers/map/_node.html", item, track_slug, personal, {"item": item}, seen_in)
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
