"""The map's skill nodes, each rendered once per look and then reused from memory."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from careers.track_map import NodeView

register = template.Library()

# A node's HTML is a pure function of the key below: the node (a frozen dataclass that
# holds every content field the template shows), the person's state of it, the track,
# whether the page is personal and the language. A content edit makes a different node,
# hence a different key, so nothing here can go stale; the bound only caps the memory
# (about 1 KB an entry) of a process that has seen many edits.
MAX_FRAGMENTS = 20_000
_fragments: dict[tuple, SafeString] = {}


@register.simple_tag
def map_nodes(items: tuple[NodeView, ...], track_slug: str, personal: bool) -> SafeString:
    """The <li> of every node of a step, as careers/map/_node.html draws them."""
    language = get_language()
    personal = bool(personal)
    node_template = None
    parts = []
    for item in items:
        key = (language, track_slug, personal, item.node, item.state)
        html = _fragments.get(key)
        if html is None:
            node_template = node_template or get_template("careers/map/_node.html")
            context = {"item": item, "track": {"slug": track_slug}, "personal": personal}
            html = node_template.render(context)
            if len(_fragments) >= MAX_FRAGMENTS:
                _fragments.clear()
            _fragments[key] = html
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 - each part is an autoescaped template
