"""Geometry for the server-rendered SVG charts, as plain data (the templates draw it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

BAR_HEIGHT = 22
BAR_GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # percent, 0-100
    y: int
    width: float  # percent of the chart width
    highlight: bool


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    height: int


def fit_bars(fit: Sequence, target_slug: str | None) -> BarChart:
    """Horizontal bars of readiness per track, the target track highlighted."""
    bars = []
    for index, entry in enumerate(fit):
        bars.append(
            Bar(
                label=entry.name,
                value=entry.readiness,
                y=index * (BAR_HEIGHT + BAR_GAP),
                width=max(entry.readiness, 0.5),
                highlight=entry.slug == target_slug,
            )
        )
    return BarChart(bars=tuple(bars), height=max(len(bars) * (BAR_HEIGHT + BAR_GAP), 1))


@dataclass(frozen=True)
class CalendarDay:
    day: date
    count: int
    level: int  # 0-4, for the shade
    x: int
    y: int


@dataclass(frozen=True)
class Label:
    """A text label at a position in a chart's coordinates."""

    text: date | int | str
    x: float
    y: float


@dataclass(frozen=True)
class Calendar:
    days: tuple[CalendarDay, ...]
    total: int
    active_days: int
    weeks: int
    width: int
    height: int
    months: tuple[Label, ...] = ()  # the first column of each month, for its name
    weekdays: tuple[Label, ...] = ()  # Monday, Wednesday, Friday rows (0, 2, 4)
    legend: tuple[Label, ...] = ()  # one square per level, level in `text`

    @property
    def by_week(self) -> list[WeekCount]:
        """Changes and active days per week, oldest first: the chart as a table."""
        weeks: dict[date, list[int]] = {}
        for day in self.days:
            monday = day.day - timedelta(days=day.day.weekday())
            totals = weeks.setdefault(monday, [0, 0])
            totals[0] += day.count
            totals[1] += bool(day.count)
        return [WeekCount(start, changes, active) for start, (changes, active) in weeks.items()]


@dataclass(frozen=True)
class WeekCount:
    start: date
    changes: int
    active_days: int


CELL = 12
# Room for the weekday names on the left and the month names on top.
CALENDAR_LEFT = 30
CALENDAR_TOP = 16


def _level(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count <= 3 else 3 if count <= 6 else 4


def activity_calendar(counts: Mapping[date, int], today: date, weeks: int) -> Calendar:
    """A weeks-by-weekdays grid of status changes per day, ending today."""
    blank = _blank_calendar(today, weeks)
    start = blank.days[0].day
    days = list(blank.days)
    total = active_days = 0
    # A person's active days are few: only their squares differ from everyone's blank grid.
    for day, count in counts.items():
        if count and start <= day <= today:
            index = (day - start).days
            square = days[index]
            days[index] = CalendarDay(day, count, _level(count), square.x, square.y)
            total += count
            active_days += 1
    return replace(blank, days=tuple(days), total=total, active_days=active_days)


# The blank grids of the last few days: every zone's today, and yesterday's for a while.
@lru_cache(maxsize=8)
def _blank_calendar(today: date, weeks: int) -> Calendar:
    """The activity calendar without a change, the same for everyone on a day (the squares
    are frozen, so every person's calendar can share them)."""
    # Start on the Monday `weeks` weeks back so the columns are whole weeks.
    start = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    days = []
    current = start
    while current <= today:
        column = (current - start).days // 7
        days.append(
            CalendarDay(
                current,
                0,
                _level(0),
                CALENDAR_LEFT + column * CELL,
                CALENDAR_TOP + current.weekday() * CELL,
            )
        )
        current += timedelta(days=1)
    months = []
    for column in range(weeks):
        monday = start + timedelta(weeks=column)
        # A month is named over the first week that starts in it, if there is room.
        if monday.day <= 7 and column <= weeks - 3:
            months.append(Label(monday, CALENDAR_LEFT + column * CELL, CALENDAR_TOP - 5))
    weekdays = tuple(
        Label(row, CALENDAR_LEFT - 4, CALENDAR_TOP + row * CELL + 9) for row in (0, 2, 4)
    )
    legend_y = CALENDAR_TOP + 7 * CELL + 8
    # Less ■■■■■ More, right-aligned under the grid, with room for "More" after it.
    legend_x = CALENDAR_LEFT + weeks * CELL - 8 * CELL
    legend = tuple(Label(level, legend_x + level * CELL, legend_y) for level in range(5))
    return Calendar(
        days=tuple(days),
        total=0,
        active_days=0,
        weeks=weeks,
        width=CALENDAR_LEFT + weeks * CELL,
        height=legend_y + CELL,
        months=tuple(months),
        weekdays=weekdays,
        legend=legend,
    )


@dataclass(frozen=True)
class LinePoint:
    week: date
    done: int
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    points: tuple[LinePoint, ...]
    path: str
    maximum: int
    width: int
    height: int
    x_labels: tuple[Label, ...] = ()  # dates under the x axis
    y_labels: tuple[Label, ...] = ()  # counts beside the y axis
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom

    @property
    def start(self) -> int:
        return self.points[0].done if self.points else 0

    @property
    def end(self) -> int:
        return self.points[-1].done if self.points else 0


# The plot's frame inside the viewBox: room for the count labels left, the dates below.
LINE_WIDTH, LINE_HEIGHT = 400, 180
PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM = 36, 10, 392, 150


def count_ticks(highest: int, most_steps: int = 4) -> tuple[int, ...]:
    """Round ticks for a count axis from 0 to at least highest, in at most most_steps steps of
    1, 2 or 5 times a power of ten: 9 gives 0, 5, 10; 3 gives 0, 1, 2, 3."""
    scale = 1
    while True:
        for base in (1, 2, 5):
            step = base * scale
            if -(-highest // step) <= most_steps:
                top = -(-highest // step) * step
                return tuple(range(0, top + 1, step))
        scale *= 10


def done_over_time(
    net_by_week: Mapping[date, int], current_done: int, today: date, weeks: int
) -> LineChart:
    """Core skills done at the end of each week, worked back from today's count, from the
    learner's first activity (or the window's start, when they were active before it)."""
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    totals = []
    done = current_done
    # Walk back from now: before a week's changes, the count was lower by its net gain.
    for start in reversed(starts):
        totals.append((start, max(done, 0)))
        done -= net_by_week.get(start, 0)
    totals.reverse()
    done_before_window = max(done, 0)
    active = [start for start in starts if net_by_week.get(start)]
    if active and done_before_window == 0:
        # Nothing was done before the first change in the window: start the week before it.
        first = starts.index(active[0])
        totals = totals[max(first - 1, 0) :]
    elif not active:
        totals = totals[-1:]
    ticks = count_ticks(max([count for _, count in totals] + [1]))
    maximum = ticks[-1]  # the axis's top: a round number at or above the highest count
    span_x = PLOT_RIGHT - PLOT_LEFT
    span_y = PLOT_BOTTOM - PLOT_TOP
    step = span_x / max(len(totals) - 1, 1)

    def y_of(count: int) -> float:
        return round(PLOT_BOTTOM - count / maximum * span_y, 1)

    points = tuple(
        LinePoint(start, count, round(PLOT_LEFT + i * step, 1), y_of(count))
        for i, (start, count) in enumerate(totals)
    )
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    # Dates at the start, the end, and up to two between, spaced evenly.
    picks = sorted({0, len(points) - 1, len(points) // 3, 2 * len(points) // 3})
    picks = [i for i in picks if i == 0 or i == len(points) - 1 or 2 <= i <= len(points) - 3]
    x_labels = tuple(Label(points[i].week, points[i].x, PLOT_BOTTOM + 18) for i in picks)
    y_labels = tuple(Label(count, PLOT_LEFT - 6, y_of(count) + 4) for count in ticks)
    return LineChart(
        points=points,
        path=path,
        maximum=maximum,
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        x_labels=x_labels,
        y_labels=y_labels,
        plot=(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM),
    )
