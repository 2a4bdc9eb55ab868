"""Server-rendered SVG charts: plain coordinates computed here, drawn by a template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cicte.progress.types import Rollup

ROW_HEIGHT = 28
BAR_HEIGHT = 16
LABEL_WIDTH = 60
BAR_WIDTH = 400
VALUE_WIDTH = 140


@dataclass
class Bar:
    label: str
    title: str
    y: int
    text_y: int
    width: float  # drawn width of the delivered share (capped at 100 %)
    expected_x: float | None  # where an on-track node should be
    value: str  # e.g. "7 of 18 (39 %)"


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT
    value_x: int = LABEL_WIDTH + BAR_WIDTH + 8


def rollup_chart(
    nodes: list[Rollup], *, of: str, expected: float | None = None, labels: list[str] | None = None
) -> BarChart:
    """Horizontal bars of delivered/quantity per node. ``of`` is the translated word "of"."""
    bars = []
    for index, node in enumerate(nodes):
        y = index * ROW_HEIGHT + 6
        share = min(1.0, node.delivered / node.quantity) if node.quantity else 0.0
        if node.percent is None:
            value = "—"
        else:
            value = f"{node.delivered} {of} {node.quantity} ({node.percent:.0f} %)"
        bars.append(
            Bar(
                label=labels[index] if labels else node.code,
                title=node.title,
                y=y,
                text_y=y + BAR_HEIGHT - 3,
                width=round(share * BAR_WIDTH, 1),
                expected_x=(
                    round(LABEL_WIDTH + expected * BAR_WIDTH, 1)
                    if expected is not None and node.quantity
                    else None
                ),
                value=value,
            )
        )
    return BarChart(
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=max(1, len(nodes)) * ROW_HEIGHT + 8,
    )


# --- time series: delivered per half-year -------------------------------------------------------

SERIES_LEFT = 44  # room for the y-axis figures
SERIES_TOP = 16
SERIES_PLOT_HEIGHT = 150
SERIES_BOTTOM = 40  # half-year and year labels
SERIES_COLUMN = 34  # width of one half-year
SERIES_BAR = 22


@dataclass
class Column:
    label: str  # "2012-H1"
    half: str  # "H1"
    value: int
    events: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass
class YearLabel:
    year: int
    x: float


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class ColumnChart:
    """Columns of units delivered per half-year, with a y axis (ticks), an x axis (half-years
    grouped by year) and the figure on every column."""

    id: str
    title: str
    description: str
    columns: list[Column]
    years: list[YearLabel]
    ticks: list[Tick]
    width: int
    height: int
    left: int = SERIES_LEFT
    top: int = SERIES_TOP
    baseline: int = SERIES_TOP + SERIES_PLOT_HEIGHT
    right: int = 0
    half_y: int = SERIES_TOP + SERIES_PLOT_HEIGHT + 16
    year_y: int = SERIES_TOP + SERIES_PLOT_HEIGHT + 32

    @property
    def total(self) -> int:
        return sum(c.value for c in self.columns)


def _nice_top(value: int) -> int:
    """A round top for the y axis (at least 1): 1, 2, 5, 10, 20, 50 …"""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def series_chart(series: Any, *, id: str, title: str, description: str) -> ColumnChart:
    """The geometry of a column chart of ``series`` (a ``cicte.progress.trends.Series``)."""
    points = list(series.points)
    top = _nice_top(max((p.delivered for p in points), default=0) or 1)
    plot_width = max(1, len(points)) * SERIES_COLUMN
    baseline = SERIES_TOP + SERIES_PLOT_HEIGHT
    columns = []
    for index, point in enumerate(points):
        height = round(SERIES_PLOT_HEIGHT * point.delivered / top, 1)
        x = SERIES_LEFT + index * SERIES_COLUMN + (SERIES_COLUMN - SERIES_BAR) / 2
        columns.append(
            Column(
                label=point.label,
                half=f"H{point.half}",
                value=point.delivered,
                events=point.events,
                x=x,
                y=round(baseline - height, 1),
                width=SERIES_BAR,
                height=height,
                text_x=x + SERIES_BAR / 2,
                text_y=round(baseline - height - 4, 1),
            )
        )
    years = []
    for index in range(0, len(points), 2):
        years.append(
            YearLabel(points[index].year, SERIES_LEFT + index * SERIES_COLUMN + SERIES_COLUMN)
        )
    ticks = [
        Tick(value, round(baseline - SERIES_PLOT_HEIGHT * value / top, 1))
        for value in sorted({0, top // 2, top} if top > 1 else {0, 1})
    ]
    width = SERIES_LEFT + plot_width + 8
    return ColumnChart(
        id=id,
        title=title,
        description=description,
        columns=columns,
        years=years,
        ticks=ticks,
        width=width,
        height=baseline + SERIES_BOTTOM,
        right=SERIES_LEFT + plot_width,
    )
