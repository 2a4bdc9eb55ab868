"""Server-rendered SVG charts: plain coordinates computed here, drawn by a template."""

from __future__ import annotations

from dataclasses import dataclass

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
