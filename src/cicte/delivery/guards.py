"""Guards on event writes: apps above delivery may refuse a change to events.

Delivery knows nothing of the apps that lock events (the approval of a reporting period,
``cicte.approvals``); they register a guard from their ``AppConfig.ready()``::

    from cicte.delivery.guards import register_event_guard

    @register_event_guard("period-approval")
    def locked(footprints: Sequence[EventFootprint]) -> list[Refusal]: ...

Every write path of delivery — record, update, duplicate, status, delete, attachments,
participants, the spreadsheet import and bulk deletes (and therefore the forms, the API and
the commands that call them) — describes the events it would touch, before and after the
change, as :class:`EventFootprint` values and asks :func:`check_events` (or, for imports,
:func:`refusals` to report them row by row). A guard answers with the footprints it refuses
and why; the first refusal becomes an :class:`EventLocked` error and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cicte.core.errors import ApplicationError


@dataclass(frozen=True)
class EventFootprint:
    """Where an event sits for a guard: its plan, the programs of the targets it counts
    toward, and its end date (which decides its reporting period)."""

    plan_id: int
    program_ids: frozenset[int]
    end_date: dt.date | None
    event_id: int | None = None


@dataclass(frozen=True)
class Refusal:
    index: int  # position of the refused footprint in the sequence the guard was given
    message: str


EventGuard = Callable[[Sequence[EventFootprint]], list[Refusal]]

_GUARDS: dict[str, EventGuard] = {}


class EventLocked(ApplicationError):
    """A guard refuses the change (HTTP 409: the events are locked, not invalid)."""

    status = 409
    default_code = "event_locked"


def register_event_guard(key: str) -> Callable[[EventGuard], EventGuard]:
    """Register ``guard`` under ``key`` (re-registering replaces it)."""

    def decorator(guard: EventGuard) -> EventGuard:
        _GUARDS[key] = guard
        return guard

    return decorator


def unregister_event_guard(key: str) -> None:
    _GUARDS.pop(key, None)


def refusals(footprints: Sequence[EventFootprint]) -> list[Refusal]:
    """Every refusal of every registered guard (empty: the change may go ahead)."""
    if not footprints or not _GUARDS:
        return []
    found: list[Refusal] = []
    for guard in list(_GUARDS.values()):
        found.extend(guard(footprints))
    return sorted(found, key=lambda r: r.index)


def check_events(footprints: Sequence[EventFootprint]) -> None:
    """Raise :class:`EventLocked` when a guard refuses one of ``footprints``."""
    if not _GUARDS:
        return
    found = refusals(footprints)
    if found:
        raise EventLocked("event_locked", found[0].message, field="targets")


def footprint(
    *, plan_id: int, program_ids: Iterable[int], end_date: Any, event_id: int | None = None
) -> EventFootprint:
    return EventFootprint(
        plan_id=plan_id,
        program_ids=frozenset(program_ids),
        end_date=end_date if isinstance(end_date, dt.date) else None,
        event_id=event_id,
    )


def footprints_of(events: Iterable[Any]) -> list[EventFootprint]:
    """The current footprints of saved events (one query for their programs)."""
    from cicte.delivery.models import EventTarget

    events = [e for e in events if e is not None and e.pk is not None]
    if not events or not _GUARDS:
        return []
    programs: dict[int, set[int]] = {e.pk: set() for e in events}
    for event_id, program_id in EventTarget.objects.filter(event_id__in=list(programs)).values_list(
        "event_id", "target__project__program_id"
    ):
        programs[event_id].add(program_id)
    return [
        footprint(plan_id=e.plan_id, program_ids=programs[e.pk], end_date=e.end_date, event_id=e.pk)
        for e in events
    ]


def check_saved(*events: Any) -> None:
    """Refuse a change to saved ``events`` (status, delete, attachments, participants)."""
    if _GUARDS:
        check_events(footprints_of(events))


def active() -> bool:
    """Is any guard registered (else footprints need not be computed)."""
    return bool(_GUARDS)


def target_programs(targets: Iterable[Any]) -> set[int]:
    """The program ids of ``targets`` (Target objects or ids; one query, none without
    guards)."""
    if not _GUARDS:
        return set()
    from cicte.plan.models import Target

    ids = {t if isinstance(t, int) else t.pk for t in targets}
    if not ids:
        return set()
    return set(Target.objects.filter(pk__in=ids).values_list("project__program_id", flat=True))
