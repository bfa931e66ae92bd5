"""Geometry for the server-rendered SVG charts, as plain data (the templates draw it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

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
class Calendar:
    days: tuple[CalendarDay, ...]
    total: int
    active_days: int
    weeks: int
    width: int
    height: int


CELL = 12


def _level(count: int) -> int:
    return 0 if count == 0 else 1 if count == 1 else 2 if count <= 3 else 3 if count <= 6 else 4


def activity_calendar(counts: Mapping[date, int], today: date, weeks: int) -> Calendar:
    """A weeks-by-weekdays grid of status changes per day, ending today."""
    # Start on the Monday `weeks` weeks back so the columns are whole weeks.
    start = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    days = []
    current = start
    while current <= today:
        column = (current - start).days // 7
        count = counts.get(current, 0)
        days.append(
            CalendarDay(current, count, _level(count), column * CELL, current.weekday() * CELL)
        )
        current += timedelta(days=1)
    return Calendar(
        days=tuple(days),
        total=sum(day.count for day in days),
        active_days=sum(1 for day in days if day.count),
        weeks=weeks,
        width=weeks * CELL,
        height=7 * CELL,
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

    @property
    def start(self) -> int:
        return self.points[0].done if self.points else 0

    @property
    def end(self) -> int:
        return self.points[-1].done if self.points else 0


def done_over_time(
    net_by_week: Mapping[date, int], current_done: int, today: date, weeks: int
) -> LineChart:
    """Core skills done at the end of each week, worked back from today's count."""
    width, height = 300, 100
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    totals = []
    done = current_done
    # Walk back from now: before a week's changes, the count was lower by its net gain.
    for start in reversed(starts):
        totals.append((start, max(done, 0)))
        done -= net_by_week.get(start, 0)
    totals.reverse()
    maximum = max([count for _, count in totals] + [1])
    step = width / max(len(totals) - 1, 1)
    points = tuple(
        LinePoint(start, count, round(i * step, 1), round(height - count / maximum * height, 1))
        for i, (start, count) in enumerate(totals)
    )
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    return LineChart(points=points, path=path, maximum=maximum, width=width, height=height)
