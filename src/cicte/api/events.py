"""Events: read (with the same visibility rules as the workspace) and record/update/status.

Visibility: Secretariat staff see every event; a point of contact sees the events where their
member state is host or beneficiary; a donor sees the events its organization funds;
anonymous callers and users without a role see none (401/403). Participant names and
e-mails are only at ``/events/{id}/participants``: staff see all, a point of contact sees
their own country's participants of their country's events, nobody else anything.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cicte.api.base import (
    ERRORS,
    SIGNED_IN_AUTH,
    ApiError,
    caller,
    forbidden,
    not_found,
    plan_for,
    require_signed_in,
)
from cicte.core import dataversion
from cicte.core.caching import cache_key, cached
from cicte.core.periods import PeriodError, parse_period
from cicte.core.versioning import version_of
from cicte.delivery.models import Event, EventKind, EventStatus, Modality
from cicte.delivery.permissions import (
    can_see_personal_data,
    event_visibility_filter,
    participant_visibility_filter,
)
from cicte.delivery.selectors import EventFilters as SelectorFilters
from cicte.delivery.selectors import event_list as select_events
from cicte.delivery.selectors import event_rows
from cicte.delivery.services import event_record, event_set_status, event_update
from cicte.delivery.types import EventRecord
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Target, WorkPlan

router = Router(tags=["events"])

ModalityValue = Modality | Literal[""]


class TargetUnitsOut(Schema):
    code: str
    units: int


class EventOut(Schema):
    id: int
    version: int | None = Field(
        None, description="Version token (single-event responses): send it back with a change."
    )
    plan: str
    plan_year: int
    kind: str
    title: str
    start_date: dt.date
    end_date: dt.date
    modality: str
    city: str
    status: str
    host_state: str | None
    beneficiaries: list[str]
    participants_total: int
    participants_women: int
    participants_men: int
    partners: list[str]
    funding_source: str | None
    cost: Decimal | None
    currency: str
    targets: list[TargetUnitsOut]


class EventPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[EventOut]


class EventQuery(Schema):
    plan: str | None = Field(None, description="Year, id or document symbol of a plan.")
    period: str | None = Field(None, description="2012-H1, 2012-Q3, 2012 or a date range.")
    program: str | None = Field(None, description="Program code, e.g. 1.A")
    member_state: str | None = Field(None, description="ISO alpha-3: host or beneficiary.")
    status: EventStatus | None = None
    kind: EventKind | None = None
    search: str | None = Field(
        None,
        max_length=200,
        description="Words in the title, city, course or notes (each a word's beginning; "
        "accents and case ignored), or a target code.",
    )
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class ParticipantOut(Schema):
    name: str
    sex: str
    email: str
    institution: str
    member_state: str | None

    @staticmethod
    def resolve_member_state(obj: Any) -> str | None:
        return obj.member_state.code if obj.member_state else None


class TargetUnitsIn(Schema):
    code: str = Field(..., min_length=1, max_length=24)
    units: int = Field(1, ge=1, le=100_000)


class EventIn(Schema):
    plan: str = Field(..., min_length=1, max_length=100)
    kind: EventKind
    title: str = Field(..., min_length=1, max_length=300)
    start_date: dt.date
    end_date: dt.date
    status: EventStatus = EventStatus.PLANNED
    modality: ModalityValue = ""
    city: str = Field("", max_length=120)
    host_state: str | None = Field(None, max_length=3)
    beneficiaries: list[str] = Field(default_factory=list, max_length=35)
    participants_total: int = Field(0, ge=0, le=1_000_000)
    participants_women: int = Field(0, ge=0, le=1_000_000)
    participants_men: int = Field(0, ge=0, le=1_000_000)
    partners: list[int] = Field(default_factory=list, max_length=100)
    funding_source: int | None = Field(None, ge=1, le=2**31)
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field("USD", max_length=3)
    notes: str = Field("", max_length=5000)
    targets: list[TargetUnitsIn] = Field(default_factory=list, max_length=100)


class EventPatch(Schema):
    version: int | None = Field(
        None, description="The version you read; a stale one is refused with 409 stale_edit."
    )
    kind: EventKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    modality: ModalityValue | None = None
    city: str | None = Field(None, max_length=120)
    host_state: str | None = Field(None, max_length=3)
    beneficiaries: list[str] | None = Field(None, max_length=35)
    participants_total: int | None = Field(None, ge=0, le=1_000_000)
    participants_women: int | None = Field(None, ge=0, le=1_000_000)
    participants_men: int | None = Field(None, ge=0, le=1_000_000)
    partners: list[int] | None = Field(None, max_length=100)
    funding_source: int | None = Field(None, ge=1, le=2**31)
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, max_length=3)
    notes: str | None = Field(None, max_length=5000)
    targets: list[TargetUnitsIn] | None = Field(None, max_length=100)


class StatusIn(Schema):
    status: EventStatus
    version: int | None = Field(None, description="The version you read (optional).")


# --- helpers --------------------------------------------------------------------------------


def event_out(event: EventRecord) -> dict[str, Any]:
    """An :class:`EventRecord` as an ``EventOut`` dict."""
    return {
        "id": event.id,
        "plan": event.plan_symbol,
        "plan_year": event.plan_year,
        "kind": event.kind,
        "title": event.title,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "modality": event.modality,
        "city": event.city,
        "status": event.status,
        "host_state": event.host_state,
        "beneficiaries": list(event.beneficiaries),
        "participants_total": event.participants_total,
        "participants_women": event.participants_women,
        "participants_men": event.participants_men,
        "partners": [p.short_name for p in event.partners],
        "funding_source": event.funding_source,
        "cost": event.cost,
        "currency": event.currency,
        "targets": [{"code": t.code, "units": t.units} for t in event.targets],
    }


def events_out(event_ids: list[int]) -> list[dict[str, Any]]:
    """Events as ``EventOut`` dicts, in the order of ``event_ids``: one query whatever the
    number of events (:func:`cicte.delivery.selectors.event_rows`), no model instances (list
    pages are the API's hot path)."""
    if not event_ids:
        return []
    records = {r.id: r for r in event_rows(Event.objects.filter(pk__in=event_ids))}
    return [event_out(records[i]) for i in event_ids if i in records]


def _row(event: Event) -> dict[str, Any]:
    row = events_out([event.pk])[0]
    row["version"] = version_of(event)
    return row


def _visible(request: HttpRequest) -> Q:
    user = require_signed_in(request)
    condition = event_visibility_filter(user)
    if condition is None:
        raise forbidden("Your account has no access to events.")
    return condition


def _visible_event(request: HttpRequest, event_id: int) -> Event:
    condition = _visible(request)
    ids = Event.objects.filter(condition).filter(pk=event_id).values("pk")
    event = Event.objects.filter(pk__in=ids).select_related("plan").first()
    if event is None:
        raise not_found("No such event, or not visible to you.")
    return event


def _validation(problems: list[dict[str, str]]) -> ApiError:
    return ApiError(422, "validation_error", "The event is not valid.", problems)


def _state(code: str | None, field: str) -> MemberState | None:
    if not code:
        return None
    state = MemberState.objects.filter(code=code.upper()).first()
    if state is None:
        raise _validation([{"field": field, "code": "unknown", "message": f"No state {code!r}."}])
    return state


def _states(codes: list[str]) -> list[MemberState]:
    return [s for s in (_state(code, "beneficiaries") for code in codes) if s is not None]


def _organizations(ids: list[int], field: str) -> list[Organization]:
    found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise _validation(
            [{"field": field, "code": "unknown", "message": f"No organization {missing}."}]
        )
    return [found[i] for i in ids]


def _targets(plan: WorkPlan, items: list[TargetUnitsIn]) -> list[tuple[Target, int]]:
    codes = [item.code for item in items]
    found = {
        t.code: t
        for t in Target.objects.filter(plan=plan, code__in=codes).select_related("project")
    }
    missing = [c for c in codes if c not in found]
    if missing:
        raise _validation(
            [
                {"field": "targets", "code": "unknown", "message": f"No target {c!r} in the plan."}
                for c in missing
            ]
        )
    return [(found[item.code], item.units) for item in items]


def _changes(payload: EventPatch, event: Event) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    changes: dict[str, Any] = {}
    for name, value in data.items():
        if name == "host_state":
            changes[name] = _state(value, name)
        elif name == "beneficiaries":
            changes[name] = _states(value or [])
        elif name == "partners":
            changes[name] = _organizations(value or [], name)
        elif name == "funding_source":
            changes[name] = _organizations([value], name)[0] if value else None
        elif name == "targets":
            items = [TargetUnitsIn(**item) for item in (value or [])]
            changes[name] = _targets(event.plan, items)
        elif value is None and name not in {"cost"}:
            continue  # explicit null for a non-nullable field: leave it unchanged
        else:
            changes[name] = value
    return changes


# --- operations -----------------------------------------------------------------------------


@router.get(
    "/events",
    response={200: EventPageOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="List events",
)
def event_list(request: HttpRequest, query: Query[EventQuery]) -> dict[str, Any]:
    """Events visible to the caller, newest first. No personal data."""
    condition = _visible(request)
    filters = SelectorFilters(
        status=query.status.value if query.status else "",
        kind=query.kind.value if query.kind else "",
        member_state=(query.member_state or "").upper()[:3],
        program=query.program or "",
        search=query.search or "",
    )
    if query.plan:
        filters.plan = plan_for(request, query.plan)
    if query.period:
        try:
            filters.period = parse_period(query.period)
        except PeriodError as exc:
            raise ApiError(422, "invalid_period", str(exc)) from None
    # Cached per query, data version and the caller's visibility (cicte.core.caching); the
    # version is read before the rows.
    key = cache_key(
        "api.events",
        version=dataversion.current(filters.plan.pk if filters.plan else None),
        visibility=repr(condition),
        query=query.dict(),
    )

    def page() -> dict[str, Any]:
        events = select_events(filters=filters)
        if condition != Q():
            events = events.filter(pk__in=Event.objects.filter(condition).values("pk"))
        total = events.order_by().count()
        rows = event_rows(events[query.offset : query.offset + query.limit]) if total else []
        return {
            "total": total,
            "limit": query.limit,
            "offset": query.offset,
            "items": [event_out(record) for record in rows],
        }

    return cached(key, page)


@router.get(
    "/events/{event_id}",
    response={200: EventOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One event",
)
def event_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return _row(_visible_event(request, event_id))


@router.get(
    "/events/{event_id}/participants",
    response={200: list[ParticipantOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Participants of an event (personal data)",
)
def event_participants(request: HttpRequest, event_id: int) -> list[Any]:
    """Names and e-mails: Secretariat staff; a point of contact sees their own country's
    participants of their country's events."""
    event = _visible_event(request, event_id)
    user = caller(request)
    condition = participant_visibility_filter(user)
    if condition is None or not can_see_personal_data(user, event):
        raise forbidden("You may not see participants' personal data.")
    return list(event.participants.filter(condition).select_related("member_state"))


@router.post(
    "/events",
    response={201: EventOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Record an event",
)
def event_create(request: HttpRequest, payload: EventIn) -> Status[dict[str, Any]]:
    """Record an event and the targets it counts toward (Secretariat staff; program managers
    for targets of their programs)."""
    user = require_signed_in(request)
    plan = plan_for(request, payload.plan)
    targets = _targets(plan, payload.targets)
    event = event_record(
        actor=user,
        plan=plan,
        kind=payload.kind.value,
        title=payload.title,
        start_date=payload.start_date,
        end_date=payload.end_date,
        targets=targets,
        status=payload.status.value,
        modality=str(getattr(payload.modality, "value", payload.modality)),
        city=payload.city,
        host_state=_state(payload.host_state, "host_state"),
        beneficiaries=[s for s in (_state(c, "beneficiaries") for c in payload.beneficiaries) if s],
        participants_total=payload.participants_total,
        participants_women=payload.participants_women,
        participants_men=payload.participants_men,
        partners=_organizations(payload.partners, "partners"),
        funding_source=(
            _organizations([payload.funding_source], "funding_source")[0]
            if payload.funding_source
            else None
        ),
        cost=payload.cost,
        currency=payload.currency,
        notes=payload.notes,
    )
    return Status(201, _row(event))


@router.patch(
    "/events/{event_id}",
    response={200: EventOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Change an event",
)
def event_change(request: HttpRequest, event_id: int, payload: EventPatch) -> dict[str, Any]:
    """Change some fields. Send the ``version`` you read to refuse the change (409
    ``stale_edit``, listing what changed) when someone else changed the event since."""
    user = require_signed_in(request)
    event = _visible_event(request, event_id)
    changes = _changes(payload, event)
    if "modality" in changes:
        changes["modality"] = str(getattr(changes["modality"], "value", changes["modality"]))
    if "kind" in changes:
        changes["kind"] = changes["kind"].value
    event_update(actor=user, event=event, version=payload.version, **changes)
    return _row(event)


@router.post(
    "/events/{event_id}/status",
    response={200: EventOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Set an event's status",
)
def event_status(request: HttpRequest, event_id: int, payload: StatusIn) -> dict[str, Any]:
    user = require_signed_in(request)
    event = _visible_event(request, event_id)
    event_set_status(actor=user, event=event, status=payload.status.value, version=payload.version)
    return _row(event)
