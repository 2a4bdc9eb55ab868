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

Nothing is deleted on a write: the event's change moves the plan's counter and the next render
asks for a new key (docs/operations.md, "Caching and data versions").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import get_language

from cicte.core import dataversion
from cicte.core.caching import cache_key, cached
from cicte.core.periods import Period
from cicte.delivery.permissions import event_visibility_filter

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
