import functools
import math
from urllib.parse import urlsplit

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def url_host(url: str) -> str:
    """The host a link leads to, shown beside it so a mentor knows where it goes."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


@register.filter
def floor(value) -> int:
    """Round a percentage down, so 99.9% never shows as 100%."""
    try:
        return math.floor(float(value))
    except (TypeError, ValueError):
        return 0


@register.filter
def translated(message: str) -> str:
    """A message marked with gettext_noop in a plain module, in the active language.

    Unlike {% translate variable %}, which looks up the message with its percent signs
    doubled, this finds messages such as "ready at 100%" as makemessages extracted them.
    """
    return gettext(message)


SLUG_SLOT = "__slug__"


@functools.lru_cache(maxsize=8)
def _skill_url_pattern(script_prefix: str) -> str:
    return reverse("careers:skill", args=[SLUG_SLOT])


@register.filter
def skill_url(slug: str) -> str:
    """A skill page's address: one reverse() per process, not one per link on long lists."""
    head, _, tail = _skill_url_pattern(get_script_prefix()).rpartition(SLUG_SLOT)
    return f"{head}{slug}{tail}"


@register.simple_tag
def calendar_cells(calendar) -> str:
    """The activity calendar's squares, one <rect> per day, days with changes titled.

    Built here rather than in a template loop: 182 squares through the template engine were
    most of the dashboard's rendering time.
    """
    cells = []
    for day in calendar.days:
        title = ""
        if day.count:
            text = ngettext("%(date)s: %(n)s change", "%(date)s: %(n)s changes", day.count)
            when = date_format(day.day, "DATE_FORMAT")
            title = f"<title>{escape(text % {'date': when, 'n': day.count})}</title>"
        # Level and coordinates are ints computed in profiles/charts.py: nothing to escape.
        cells.append(
            f'<rect class="level-{day.level:d}" x="{day.x:d}" y="{day.y:d}" '
            f'width="10" height="10" rx="2">{title}</rect>'
        )
    return mark_safe("".join(cells))  # noqa: S308 - ints and an escaped title only
