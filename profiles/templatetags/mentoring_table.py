"""The mentoring page's table of mentees as HTML, built in Python.

A mentor with fifty mentees had fifty rows through the template engine (links, conditions,
an include, a date, plural forms): more than half of the page's time.
"""

from __future__ import annotations

import math

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from profiles.mentoring_services import AttentionReason

from .progress_display import readiness_words

register = template.Library()


def _reason(reason: str, to_verify: int) -> str:
    if reason == AttentionReason.TO_VERIFY:
        return ngettext("%(n)s done skill to verify", "%(n)s done skills to verify", to_verify) % {
            "n": to_verify
        }
    if reason == AttentionReason.QUIET:
        return gettext("quiet for two weeks or more")
    return gettext("no target track")


@register.simple_tag
def mentee_rows(mentees) -> SafeString:
    """The table's rows: name, target track, readiness, last activity, changes, attention."""
    # Column names once for the page, for the narrow layout's data-label.
    track, readiness, last, changes, attention = (
        gettext("Target track"),
        gettext("Readiness"),
        gettext("Last activity"),
        gettext("Changes this week"),
        gettext("Needs attention"),
    )
    between = pgettext("between reasons", "; ")
    rows = []
    for mentee in mentees:
        if mentee.private:
            name = format_html("{}", mentee.name)
            cells = format_html(
                '<td colspan="4">{}</td>', gettext("Keeps the profile private for now.")
            )
        else:
            url = reverse("profiles:public", args=[mentee.username])
            name = format_html('<a href="{}">{}</a>', url, mentee.name)
            if mentee.fit:
                fit = mentee.fit
                shown = f"{readiness_words(fit.label)} · {math.floor(fit.readiness)}%"
            else:
                shown = "—"
            if mentee.last_activity:
                when = date_format(timezone.localtime(mentee.last_activity), "DATE_FORMAT")
            else:
                when = gettext("none yet")
            cells = format_html(
                '<td data-label="{}">{}</td><td data-label="{}">{}</td>'
                '<td data-label="{}">{}</td><td data-label="{}">{}</td>',
                track,
                "—" if mentee.track_name is None else mentee.track_name,
                readiness,
                shown,
                last,
                when,
                changes,
                mentee.changes_this_week,
            )
        reasons = [_reason(reason, mentee.to_verify) for reason in mentee.reasons]
        rows.append(
            format_html(
                '<tr><th scope="row">{}</th>{}<td data-label="{}">{}</td></tr>',
                name,
                cells,
                attention,
                between.join(reasons) if reasons else "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html
