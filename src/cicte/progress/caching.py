"""Dashboard blocks cached per query, data version and the reader's visibility (issue 16).

A block is the result of one or a few selectors of the dashboard (the progress tree and
headline figures, the member-state table, the map's percentages, the work-area series). It is
stored through :mod:`cicte.core.caching` under a key made of

- the block's name (``progress.dashboard.<block>``);
- the **data version** it reads: the plan's counter for the plan's blocks, the counter of every
  plan for the series that span every plan (read *before* the data);
- the reader's **visibility class**: the text of their event row filter
  (``delivery.permissions.event_visibility_filter``), so two readers share a block only when
  they may see exactly the same events — never one reader's block to a reader who sees less;
- the **query**: plan, period, filters, and the active language (member-state names, labels).

The half-year series that span every plan (the dashboard's work-area charts, the target
page's chart, the report's "at a glance") are cached **per plan** instead
(:func:`series_parts`): each plan's part under that plan's own counter, so a change to one
event recomputes one plan's part, not twenty years of them.

Nothing is deleted on a write: the event's change moves the plan's counter and the next render
asks for a new key (docs/operations.md, "Caching and data versions").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import get_language

from cicte.core import dataversion
from cicte.core.caching import cache_key, cached, cached_many
from cicte.core.periods import Period
from cicte.delivery.permissions import event_visibility_filter
from cicte.plan.models import WorkPlan
from cicte.progress import trends

T = TypeVar("T")
NAMESPACE = "progress.dashboard"


def visibility_class(user: Any) -> str:
    """The text of the reader's event filter: equal texts see the same events."""
    return repr(event_visibility_filter(user))


def period_key(period: Period) -> list[str]:
    return [period.start.isoformat(), period.end.isoformat(), period.label]


def dashboard_block(
    name: str,
    *,
    plan_id: int | None,
    visibility: str,
    query: dict[str, Any],
    compute: Callable[[], T],
) -> T:
    """The block ``name`` for this query and reader, computed once per data version.

    ``plan_id=None``: the block reads every plan (keyed by the every-plan counter)."""
    key = cache_key(
        f"{NAMESPACE}.{name}",
        version=dataversion.current(plan_id),
        visibility=visibility,
        query={**query, "plan": plan_id, "language": get_language() or ""},
    )
    return cached(key, compute)


def series_parts(by: str, *, only: Any = None) -> dict[int, trends.PlanSums]:
    """Every plan's part of the half-year series grouped by ``by`` (``trends.AREA`` or
    ``trends.TARGET``; ``only``: of that one key, e.g. a target's code), each cached under
    its own plan's data version; the missing parts are computed together
    (:func:`cicte.progress.trends.plan_half_year_sums`, one query). Two small queries besides
    (the plans, their versions).

    Not keyed by the reader: the series add up every held event whatever the reader may
    read, as the public pages' aggregates do (counts and units, never an event)."""
    plan_ids = list(WorkPlan.objects.order_by("pk").values_list("pk", flat=True))
    versions = dataversion.versions(plan_ids)
    keys = {
        plan_id: cache_key(
            f"{NAMESPACE}.series",
            version=versions[plan_id],
            visibility="every held event",
            query={"by": by, "only": only, "plan": plan_id},
        )
        for plan_id in plan_ids
    }
    return cached_many(
        keys, lambda missing: trends.plan_half_year_sums(by=by, plan_ids=missing, only=only)
    )
