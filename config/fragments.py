"""Template parts rendered once per look and then reused from memory.

A part whose HTML is a pure function of a few values (a skill in a state, a step's figures)
repeats across people: rendering it once per (template, language, time zone, values) and
joining the kept HTML costs far less than running the template engine for each person. The
values are frozen dataclasses or other hashable values that hold everything the part shows,
so a content edit or a status change makes a different key and nothing can go stale. A
part's form gets the request's own CSRF token, put in where the kept HTML holds a marker.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable

from django import template
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils import timezone
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# The bound only caps the memory (about 0.5-3 KB an entry) of a long-lived process.
MAX_FRAGMENTS = 20_000
_fragments: dict[tuple, SafeString] = {}

# Where a kept part's forms carry the token: the page's own token replaces it per request.
CSRF_MARKER = f"csrf-{secrets.token_hex(16)}"


@receiver(file_changed, dispatch_uid="fragments_file_changed")
def forget_fragments(sender, file_path, **kwargs):
    """Under runserver an edited template shows at once, as Django's own loaders reset."""
    if file_path.suffix != ".py":
        _fragments.clear()


def look() -> tuple[str, str]:
    """What a kept part depends on besides its key: the language and the time zone."""
    return get_language(), timezone.get_current_timezone_name()


def render_fragment(
    template_name: str, key: Hashable, context: dict, seen_in: tuple[str, str] | None = None
) -> SafeString:
    """template_name rendered with context, kept per key (which must determine context);
    seen_in is look(), which a caller rendering many parts reads once."""
    full_key = (template_name, *(seen_in or look()), key)
    html = _fragments.get(full_key)
    if html is None:
        html = get_template(template_name).render({**context, "csrf_token": CSRF_MARKER})
        if len(_fragments) >= MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[full_key] = html
    return html


def with_token(html: str, context) -> SafeString:
    """Kept HTML with the request's own CSRF token where its forms carry the marker."""
    if CSRF_MARKER in html:
        html = html.replace(CSRF_MARKER, str(context.get("csrf_token", "")))
    return mark_safe(html)  # noqa: S308 - autoescaped templates and a token


@register.simple_tag(takes_context=True)
def fragment(context, template_name: str, **values) -> SafeString:
    """{% fragment "part.html" item=item %}: the part as {% include %} with only those values
    would draw it, rendered once per values, language and time zone."""
    return with_token(
        render_fragment(template_name, tuple(sorted(values.items())), values), context
    )


@register.simple_tag(takes_context=True)
def fragment_each(context, template_name: str, items, **values) -> SafeString:
    """{% fragment_each "part.html" items name=value %}: {% fragment %} for each of items as
    `item`, joined; one tag rather than a loop, which costs more than the kept parts."""
    shared, seen_in = tuple(sorted(values.items())), look()
    html = "".join(
        render_fragment(template_name, (item, shared), {**values, "item": item}, seen_in)
        for item in items
    )
    return with_token(html, context)
