import functools
import math
from datetime import date
from urllib.parse import urlsplit

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from config.fragments import CSRF_MARKER, look, render_fragment, with_token

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


@functools.lru_cache(maxsize=16)
def _url_pattern(url_name: str, script_prefix: str) -> str:
    return reverse(url_name, args=[SLUG_SLOT])


def url_with_slug(url_name: str, slug: str) -> str:
    """The address of a page named by its slug: one reverse() per process and page kind, not
    one per link on long lists."""
    head, _, tail = _url_pattern(url_name, get_script_prefix()).rpartition(SLUG_SLOT)
    return f"{head}{slug}{tail}"


@register.filter
def skill_url(slug: str) -> str:
    """A skill page's address."""
    return url_with_slug("careers:skill", slug)


# gap.readiness_label's labels in words.
READINESS_WORDS = {
    "ready": gettext_noop("Ready"),
    "nearly-there": gettext_noop("Nearly there"),
    "building": gettext_noop("Building"),
}
GETTING_STARTED = gettext_noop("Getting started")


@register.filter
def readiness_words(label: str) -> str:
    """A readiness label in words, in the active language."""
    return gettext(READINESS_WORDS.get(label, GETTING_STARTED))


@register.simple_tag(takes_context=True)
def done_skill_rows(context, rows, may_verify: bool, owner_name: str) -> SafeString:
    """The done skills' <li>, as profiles/_done_skill.html draws them: kept per look, but for
    a row with the person's own words (a note, evidence), drawn each time and never kept."""
    html, seen_in = [], look()
    for row in rows:
        values = {
            "slug": row.slug,
            "name": row.name,
            "verified_at": row.verified_at,
            "verified_by": row.verified_by,
            "may_verify": may_verify,
            "owner_name": owner_name,
        }
        if row.note or row.evidence_url:
            own = {**values, "note": row.note, "evidence_url": row.evidence_url}
            own["csrf_token"] = CSRF_MARKER
            html.append(get_template("profiles/_done_skill.html").render(own))
        else:
            key = tuple(values.items())
            html.append(render_fragment("profiles/_done_skill.html", key, values, seen_in))
    return with_token("".join(html), context)


@functools.lru_cache(maxsize=2048)
def _day_label(day: date, format_name: str, language: str | None) -> str:
    return date_format(day, format_name)


@register.filter
def day_label(day: date, format_name: str = "DATE_FORMAT") -> str:
    """A calendar day as the active language writes it, formatted once per process: the
    charts name the same few dozen weeks and days for everyone."""
    return _day_label(day, format_name, get_language())


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
            when = day_label(day.day)
            title = f"<title>{escape(text % {'date': when, 'n': day.count})}</title>"
        # Level and coordinates are ints computed in profiles/charts.py: nothing to escape.
        cells.append(
            f'<rect class="level-{day.level:d}" x="{day.x:d}" y="{day.y:d}" '
            f'width="10" height="10" rx="2">{title}</rect>'
        )
    return mark_safe("".join(cells))  # noqa: S308 - ints and an escaped title only
