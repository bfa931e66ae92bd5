"""The dashboard charts' repeated rows as HTML, built in Python.

Each is a few dozen rows of a date and a count or two, or a track's figures: one row through
the template engine (a loop, conditions, filters, localized numbers) cost more than the rest
of its chart.
"""

from __future__ import annotations

import math

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .progress_display import day_label, url_with_slug

register = template.Library()


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


def _number(value: float) -> str:
    """A chart coordinate as SVG reads it: never localized (a decimal comma would break it)."""
    return str(value)


@register.simple_tag
def progress_chart_axes(chart) -> SafeString:
    """The line chart's grid, axes and labels: counts beside the y axis, weeks under the x."""
    left, top, right, bottom = (_number(value) for value in chart.plot)
    parts = []
    for label in chart.y_labels:
        grid = _number(int(label.y) - 4)  # the grid line sits under its label's baseline
        parts.append(
            f'<line class="grid" x1="{left}" x2="{right}" y1="{grid}" y2="{grid}"></line>'
            f'<text class="axis-label" x="{_number(label.x)}" y="{_number(label.y)}"'
            f' text-anchor="end">{label.text:d}</text>'
        )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"></line>'
        f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"></line>'
    )
    last = len(chart.x_labels) - 1
    for index, label in enumerate(chart.x_labels):
        anchor = "start" if index == 0 else "end" if index == last else "middle"
        parts.append(
            f'<text class="axis-label" x="{_number(label.x)}" y="{_number(label.y)}"'
            f' text-anchor="{anchor}">{escape(day_label(label.text, "MONTH_DAY_FORMAT"))}</text>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped dates only


@register.simple_tag
def fit_bar_items(chart) -> SafeString:
    """The fit chart's bars: a track's name, its readiness as a bar, and the figure."""
    items = (
        format_html(
            '<li class="fit-bar{}"><span class="fit-name">{}</span>'
            '<svg class="fit-meter" viewBox="0 0 100 10" preserveAspectRatio="none"'
            ' aria-hidden="true" focusable="false">'
            '<rect class="bar-track" x="0" y="0" width="100" height="10" rx="2"></rect>'
            '<rect class="bar{}" x="0" y="0" width="{}" height="10" rx="2"></rect></svg>'
            '<span class="fit-value">{}%</span></li>',
            " is-target" if bar.highlight else "",
            bar.label,
            " bar-target" if bar.highlight else "",
            f"{bar.width:.1f}",
            math.floor(bar.value),
        )
        for bar in chart.bars
    )
    return mark_safe("".join(items))  # noqa: S308 - each item is format_html


@register.simple_tag
def fit_table_rows(fit, target_slug: str | None, third_person: bool) -> SafeString:
    """The fit table's rows: track (closest, target), readiness, core skills done, hours left."""
    rows = []
    for index, entry in enumerate(fit):
        is_target = entry.slug == target_slug
        tags = SafeString()  # stays safe as format_html parts are added
        if index == 0 and entry.readiness > 0:
            tags += format_html(' <span class="tag">{}</span>', gettext("closest"))
        if is_target:
            target = gettext("target") if third_person else gettext("your target")
            tags += format_html(' <span class="tag">{}</span>', target)
        rows.append(
            format_html(
                '<tr{}><th scope="row"><a href="{}">{}</a>{}</th>'
                "<td>{}%</td><td>{} / {}</td><td>{}</td></tr>",
                mark_safe(' class="is-target"') if is_target else "",  # noqa: S308 - constant
                url_with_slug("careers:track", entry.slug),
                entry.name,
                tags,
                math.floor(entry.readiness),
                entry.core_done,
                entry.core_total,
                entry.remaining_core_hours,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row is format_html
