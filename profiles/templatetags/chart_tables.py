"""The dashboard charts' week-by-week tables as HTML, built in Python.

Each is a few dozen rows of a date and a count or two: one row through the template engine
(a loop, a date filter, localized numbers) cost more than the rest of its chart.
"""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .progress_display import day_label

register = template.Library()

SLUG_SLOT = "__slug__"


@register.simple_tag
def activity_week_rows(calendar) -> SafeString:
    """The activity table's rows: week, changes, active days."""
    rows = (
        f"<tr><td>{escape(day_label(week.start))}</td>"
        f"<td>{week.changes:d}</td><td>{week.active_days:d}</td></tr>"
        for week in calendar.by_week
    )
    return mark_safe("".join(rows))  # noqa: S308 - escaped dates and ints only


@register.simple_tag
def progress_week_rows(chart) -> SafeString:
    """The core-skills-over-time table's rows: week, core skills done."""
    rows = (
        f"<tr><td>{escape(day_label(point.week))}</td><td>{point.done:d}</td></tr>"
        for point in chart.points
    )
    return mark_safe("".join(rows))  # noqa: S308 - escaped dates and ints only


@functools.lru_cache(maxsize=8)
def _track_url_pattern(script_prefix: str) -> str:
    return reverse("careers:track", args=[SLUG_SLOT])


@register.filter
def track_url(slug: str) -> str:
    """A track page's address: one reverse() per process, not one per row of the fit table."""
    head, _, tail = _track_url_pattern(get_script_prefix()).rpartition(SLUG_SLOT)
    return f"{head}{slug}{tail}"
