"""The maturity chart: horizontal bars, one per factor (stage 1–5), grouped by dimension,
with plain coordinates computed here and drawn by ``strategies/_maturity_chart.html`` like
the dashboard's charts (SVG, no JavaScript; a table alternative beside it)."""

from __future__ import annotations

from dataclasses import dataclass

from cicte.strategies import maturity

ROW = 22
BAR_HEIGHT = 14
LABEL_WIDTH = 70
BAR_WIDTH = 300
VALUE_WIDTH = 110
HEADING = 24


@dataclass
class ChartBar:
    code: str
    title: str
    y: int
    text_y: int
    width: float
    stage: int
    stage_label: str


@dataclass
class ChartGroup:
    code: str
    title: str
    y: int
    average: float | None


@dataclass
class MaturityChart:
    groups: list[ChartGroup]
    bars: list[ChartBar]
    ticks: list[tuple[float, str]]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT
    value_x: int = LABEL_WIDTH + BAR_WIDTH + 8


def maturity_chart(stages: dict[str, int], *, language: str = "en") -> MaturityChart:
    """Bars of the rated factors (``{"D1.1": 3, ...}``); unrated factors are left out."""
    model = maturity.model()
    groups: list[ChartGroup] = []
    bars: list[ChartBar] = []
    y = 4
    for dimension in model.dimensions:
        rated = [f for f in dimension.factors if f.id in stages]
        if not rated:
            continue
        values = [stages[f.id] for f in rated]
        groups.append(
            ChartGroup(
                code=dimension.id,
                title=dimension.label(language),
                y=y + 14,
                average=round(sum(values) / len(values), 1),
            )
        )
        y += HEADING
        for factor in rated:
            stage = stages[factor.id]
            bars.append(
                ChartBar(
                    code=factor.id,
                    title=factor.label(language),
                    y=y,
                    text_y=y + BAR_HEIGHT - 3,
                    width=round(stage / maturity.STAGE_MAX * BAR_WIDTH, 1),
                    stage=stage,
                    stage_label=model.stage(stage).label(language),
                )
            )
            y += ROW
    ticks = [
        (LABEL_WIDTH + round(n / maturity.STAGE_MAX * BAR_WIDTH, 1), str(n))
        for n in range(1, maturity.STAGE_MAX + 1)
    ]
    return MaturityChart(
        groups=groups,
        bars=bars,
        ticks=ticks,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=max(y, 20) + 16,
    )
