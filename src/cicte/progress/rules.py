"""The counting rules of progress: pure functions of plain values (no queries).

Documented in docs/progress.md ("How progress is counted") and ``cicte.progress.types``;
the selectors (``cicte.progress.selectors``) apply them to what the database sums up.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cicte.core.periods import Period, parse_period
from cicte.progress.types import TargetKind, TargetStatus

if TYPE_CHECKING:
    from cicte.plan.models import WorkPlan


def plan_period(plan: WorkPlan) -> Period:
    """The default period of a plan: its whole year."""
    return parse_period(str(plan.year))


def elapsed_share(*, year: int, period: Period) -> float:
    """Share of the plan year elapsed at the end of the period, between 0 and 1.

    2012-H1 → 182/366 (0.497); 2012 or 2012-H2 → 1.0; a period ending before the year → 0.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = (end - start).days + 1
    elapsed = (min(max(period.end, start - dt.timedelta(days=1)), end) - start).days + 1
    return max(0.0, min(1.0, elapsed / days))


def target_kind(*, quantity: int | None, unfunded: bool) -> TargetKind:
    if unfunded:
        return "unfunded"
    if not quantity:
        return "qualitative"
    return "quantitative"


def target_status(
    *, kind: TargetKind, quantity: int | None, delivered: int, planned: int, share: float
) -> TargetStatus:
    """The status of one target (see docs/progress.md).

    unfunded / qualitative by kind; achieved when delivered ≥ quantity; not_started when
    nothing was delivered and nothing is planned; otherwise on_track when
    delivered / quantity ≥ the share of the plan year elapsed at the end of the period, else
    behind (so for a whole-year period, behind = not achieved).
    """
    if kind != "quantitative" or not quantity:
        return "unfunded" if kind == "unfunded" else "qualitative"
    if delivered >= quantity:
        return "achieved"
    if delivered == 0 and planned == 0:
        return "not_started"
    return "on_track" if delivered / quantity >= share else "behind"


def percent(delivered: int, quantity: int | None) -> float | None:
    if not quantity:
        return None
    return round(100.0 * delivered / quantity, 1)
