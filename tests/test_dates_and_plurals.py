"""Dates in each language's own form and counts through ngettext, in English and Chinese."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from profiles import charts, dashboard

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "date_text", "datetime_text", "month_day"),
    [
        ("en", "1 Dec 2026", "1 Dec 2026, 09:00", "1 Dec"),
        ("zh-hans", "2026年12月1日", "2026年12月1日 09:00", "12月1日"),
    ],
)
def test_dates_in_each_languages_form(language, date_text, datetime_text, month_day):
    with translation.override(language):
        assert formats.date_format(WHEN, "DATE_FORMAT") == date_text
        assert formats.date_format(WHEN, "DATETIME_FORMAT") == datetime_text
        assert formats.date_format(WHEN, "SHORT_DATE_FORMAT") == date_text
        assert formats.date_format(WHEN, "MONTH_DAY_FORMAT") == month_day
        rendered = Template('{{ when|date:"DATETIME_FORMAT" }}').render(Context({"when": WHEN}))
        assert rendered == datetime_text


def test_no_us_forms_remain():
    with translation.override("en"):
        text = formats.date_format(WHEN, "DATETIME_FORMAT")
    assert "Dec." not in text and "a.m." not in text and "/" not in text


ACTIVITY = (
    "{% load i18n %}{% blocktranslate count n=n with weeks=26 %}{{ n }} change in the last "
    "{{ weeks }} weeks{% plural %}{{ n }} changes in the last {{ weeks }} weeks"
    "{% endblocktranslate %} · {% blocktranslate count days=days %}active on {{ days }} day"
    "{% plural %}active on {{ days }} days{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("language", "n", "days", "expected"),
    [
        ("en", 1, 1, "1 change in the last 26 weeks · active on 1 day"),
        ("en", 14, 1, "14 changes in the last 26 weeks · active on 1 day"),
        ("en", 14, 3, "14 changes in the last 26 weeks · active on 3 days"),
        ("zh-hans", 14, 1, "最近 26 周共 14 次变更 · 其中 1 天有学习记录"),
    ],
)
def test_activity_counts_agree_with_their_numbers(language, n, days, expected):
    with translation.override(language):
        assert Template(ACTIVITY).render(Context({"n": n, "days": days})) == expected


CORE = (
    "{% load i18n %}{% blocktranslate count total=total with done=done %}{{ done }} of "
    "{{ total }} core skill done{% plural %}{{ done }} of {{ total }} core skills done"
    "{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("language", "done", "total", "expected"),
    [
        ("en", 1, 1, "1 of 1 core skill done"),
        ("en", 0, 6, "0 of 6 core skills done"),
        ("zh-hans", 0, 6, "已完成核心技能 0/6"),
    ],
)
def test_core_counts_follow_the_total(language, done, total, expected):
    with translation.override(language):
        assert Template(CORE).render(Context({"done": done, "total": total})) == expected


def test_finish_date_and_streak():
    assert dashboard.finish_date(80, 8, date(2026, 12, 1)) == date(2027, 2, 9)
    assert dashboard.finish_date(0, 8, date(2026, 12, 1)) is None
    assert dashboard.finish_date(10, None, date(2026, 12, 1)) is None
    monday = date(2026, 11, 30)
    weeks = {monday, date(2026, 11, 23), date(2026, 11, 16), date(2026, 11, 2)}
    assert dashboard.streak_weeks(weeks, monday) == 3
    # A quiet week so far does not break a streak that ran to last week.
    assert dashboard.streak_weeks(weeks - {monday}, monday) == 2
    assert dashboard.streak_weeks(set(), monday) == 0


def test_progress_over_time_starts_at_the_first_activity():
    today = date(2026, 12, 1)
    chart = charts.done_over_time({date(2026, 11, 16): 2, date(2026, 11, 30): 1}, 3, today, 26)
    # The week before the first change, then three weeks up to this one.
    assert [point.week for point in chart.points][0] == date(2026, 11, 9)
    assert [point.done for point in chart.points] == [0, 2, 2, 3]
    assert [label.text for label in chart.y_labels] == [0, 1, 2, 3]
    assert chart.x_labels[0].text == date(2026, 11, 9) and chart.x_labels[-1].text == date(
        2026, 11, 30
    )


def test_progress_from_before_the_window_starts_at_the_window():
    today = date(2026, 12, 1)
    chart = charts.done_over_time({date(2026, 11, 30): 1}, 5, today, 26)
    assert len(chart.points) == 26 and chart.start == 4 and chart.end == 5


def test_calendar_has_month_and_weekday_labels_and_a_legend():
    calendar = charts.activity_calendar({date(2026, 11, 30): 2}, date(2026, 12, 1), 26)
    assert [label.text.month for label in calendar.months] == [7, 8, 9, 10, 11]
    assert [label.text for label in calendar.weekdays] == [0, 2, 4]
    assert [square.text for square in calendar.legend] == [0, 1, 2, 3, 4]
    last = calendar.by_week[-1]
    assert (last.start, last.changes, last.active_days) == (date(2026, 11, 30), 2, 1)


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (1, (0, 1)),
        (3, (0, 1, 2, 3)),
        (4, (0, 1, 2, 3, 4)),
        (9, (0, 5, 10)),
        (31, (0, 10, 20, 30, 40)),
    ],
)
def test_the_count_axis_has_round_ticks(highest, ticks):
    assert charts.count_ticks(highest) == ticks
    chart = charts.done_over_time({date(2026, 11, 30): highest}, highest, date(2026, 12, 1), 26)
    assert tuple(label.text for label in chart.y_labels) == ticks
    # The line's top point sits at its count on that axis, not at the axis's top.
    top = chart.points[-1].y
    assert top == round(
        charts.PLOT_BOTTOM - highest / ticks[-1] * (charts.PLOT_BOTTOM - charts.PLOT_TOP), 1
    )
