"""/api/assistance/requests: requests for technical assistance — the staff queue and a point of
contact's own country's requests, one request with its history, submit, and every workflow step.

Reads go through ``AssistanceRequest.objects.visible_to(actor)`` (Secretariat staff: every
request; a point of contact: the states they speak for; nobody else any: another country's
request answers 404). Writes are ``assistance.services.request_submit`` and
``request_transition``, which decide who may do what and refuse a skipped workflow step
(``invalid_transition``, naming the step and the allowed next ones) with nothing written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cicte.access import permissions as roles
from cicte.api.base import ERRORS, SIGNED_IN_AUTH, ApiError, ErrorOut, forbidden, require_signed_in
from cicte.assistance import selectors, services
from cicte.assistance.models import AssistanceRequest, RequestStatus
from cicte.assistance.selectors import QueueRow
from cicte.core.versioning import version_of
from cicte.delivery.models import Event, EventStatus
from cicte.delivery.permissions import event_visibility_filter
from cicte.directory.models import MemberState
from cicte.plan.models import Program, Project, Target

router = Router(tags=["assistance"])
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}

#: The events the web's transition form offers (a cancelled or postponed one answers nothing).
LINKABLE_EVENT_STATUSES = (EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.HELD)


class LinkedEventOut(Schema):
    id: int
    title: str
    start_date: dt.date
    status: str


class AssistanceRequestOut(Schema):
    id: int
    member_state: str
    work_area: int | None
    program: str | None = Field(None, description="Program code, e.g. 1.A")
    program_id: int | None
    title: str
    needs: str
    preferred_start: dt.date | None
    preferred_end: dt.date | None
    contact_name: str
    contact_email: str
    status: str
    project: str | None = Field(None, description="Linked project code (on acceptance)")
    project_id: int | None
    target: str | None = Field(None, description="Linked target code (on acceptance)")
    target_id: int | None
    decline_reason: str
    submitted_at: dt.datetime
    status_changed_at: dt.datetime
    age_days: int = Field(..., description="Days since submission")
    days_in_status: int
    next_statuses: list[str] = Field(..., description="The workflow steps open from here")
    events: list[LinkedEventOut]


class AssistanceRequestPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[AssistanceRequestOut]


class RequestStepOut(Schema):
    from_status: str
    to_status: str
    by: str | None
    at: dt.datetime
    note: str
    email: str | None = Field(None, description="sent or failed; null before the mail job ran")


class AssistanceRequestDetailOut(AssistanceRequestOut):
    version: int = Field(..., description="Send it back with a transition (409 if stale)")
    history: list[RequestStepOut]


class RequestQuery(Schema):
    status: RequestStatus | None = None
    member_state: str | None = Field(None, max_length=3, description="ISO alpha-3")
    program: int | None = Field(None, ge=1, le=2**31, description="Program id")
    all: bool = Field(False, description="Include closed requests (the queue shows open ones)")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class AssistanceRequestIn(Schema):
    member_state: str = Field(..., min_length=3, max_length=3, description="ISO alpha-3")
    title: str = Field(..., min_length=1, max_length=200)
    needs: str = Field(..., min_length=1, max_length=20_000)
    contact_name: str = Field(..., min_length=1, max_length=200)
    contact_email: str = Field(..., min_length=3, max_length=254)
    program: int | None = Field(None, ge=1, le=2**31, description="Program id")
    preferred_start: dt.date | None = None
    preferred_end: dt.date | None = None


class RequestTransitionIn(Schema):
    to_status: RequestStatus
    version: int | None = Field(
        None, description="The version you read; a stale one is refused with 409 stale_edit."
    )
    note: str = Field("", max_length=5000)
    project: int | None = Field(None, ge=1, le=2**31, description="Project id (to accept)")
    target: int | None = Field(None, ge=1, le=2**31, description="Target id (to accept)")
    events: list[int] = Field(
        default_factory=list, max_length=200, description="Planned event ids (to schedule)"
    )
    decline_reason: str = Field("", max_length=5000)


# --- helpers --------------------------------------------------------------------------------


def _reader(request: HttpRequest) -> Any:
    """Secretariat staff or a point of contact (the web's queue and "my requests" pages)."""
    user = require_signed_in(request)
    if not (roles.is_secretariat(user) or roles.is_point_of_contact(user)):
        raise forbidden("Requests for assistance are for Secretariat staff and points of contact.")
    return user


def _request_out(row: QueueRow) -> dict[str, Any]:
    item = row.request
    return {
        "id": item.pk,
        "member_state": item.member_state.code,
        "work_area": item.work_area.number if item.work_area else None,
        "program": item.program.code if item.program else None,
        "program_id": item.program_id,
        "title": item.title,
        "needs": item.needs,
        "preferred_start": item.preferred_start,
        "preferred_end": item.preferred_end,
        "contact_name": item.contact_name,
        "contact_email": item.contact_email,
        "status": item.status,
        "project": item.project.code if item.project else None,
        "project_id": item.project_id,
        "target": item.target.code if item.target else None,
        "target_id": item.target_id,
        "decline_reason": item.decline_reason,
        "submitted_at": item.submitted_at,
        "status_changed_at": item.status_changed_at,
        "age_days": row.age_days,
        "days_in_status": row.days_in_status,
        "next_statuses": row.next_statuses,
        "events": [
            {"id": e.pk, "title": e.title, "start_date": e.start_date, "status": e.status}
            for e in sorted(item.events.all(), key=lambda e: (e.start_date, e.pk))
        ],
    }


def _visible_request(request: HttpRequest, request_id: int) -> AssistanceRequest:
    user = _reader(request)
    item = AssistanceRequest.objects.visible_to(user).filter(pk=request_id).first()
    if item is None:
        raise ApiError(404, "not_found", "No such request, or not visible to you.")
    return item


def _detail(item: AssistanceRequest) -> dict[str, Any]:
    detail = selectors.request_detail(request_id=item.pk)
    fresh = selectors.request_list(requests=AssistanceRequest.objects.filter(pk=item.pk)).get()
    row = _request_out(selectors.queue_rows([fresh])[0])
    row["version"] = version_of(detail.request)
    row["history"] = [
        {
            "from_status": step.from_status,
            "to_status": step.to_status,
            "by": step.actor.get_username() if step.actor else None,
            "at": step.at,
            "note": step.note,
            "email": next((n.status for n in reversed(list(step.notifications.all()))), None),
        }
        for step in detail.transitions
    ]
    return row


def _unknown(field: str, values: object) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        f"Unknown {field}.",
        [{"field": field, "code": "unknown", "message": str(values)[:200]}],
    )


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise _unknown(field, pk)
    return found


def _events(request: HttpRequest, ids: list[int]) -> list[Event]:
    if not ids:
        return []
    condition = event_visibility_filter(require_signed_in(request))
    if condition is None:
        condition = Q(pk__in=[])
    found = {
        e.pk: e
        for e in Event.objects.filter(condition)
        .filter(pk__in=ids, status__in=LINKABLE_EVENT_STATUSES)
        .distinct()
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise ApiError(
            422,
            "validation_error",
            "Unknown events, or not planned, confirmed or held.",
            [{"field": "events", "code": "unknown", "message": str(missing)[:200]}],
        )
    return [found[i] for i in dict.fromkeys(ids)]


# --- operations -----------------------------------------------------------------------------


@router.get(
    "/assistance/requests",
    response={200: AssistanceRequestPageOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Requests for assistance (the staff queue; a point of contact's own country's)",
)
def request_list(request: HttpRequest, query: Query[RequestQuery]) -> dict[str, Any]:
    """Oldest first, with the web queue's filters: ``status``, ``member_state``, ``program``
    and ``all`` (closed requests too; without ``status`` the queue shows open ones)."""
    user = _reader(request)
    requests = selectors.request_list(
        requests=AssistanceRequest.objects.visible_to(user),
        status=query.status.value if query.status else None,
        member_state_code=(query.member_state or "").upper() or None,
        program_id=query.program,
        open_only=not query.all and not query.status,
    )
    total = requests.count()
    page = list(requests[query.offset : query.offset + query.limit])
    return {
        "total": total,
        "limit": query.limit,
        "offset": query.offset,
        "items": [_request_out(row) for row in selectors.queue_rows(page)],
    }


@router.get(
    "/assistance/requests/{request_id}",
    response={200: AssistanceRequestDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One request with its history (every workflow step: who, when, note, e-mail)",
)
def request_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _detail(_visible_request(request, request_id))


@router.post(
    "/assistance/requests",
    response={201: AssistanceRequestDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Submit a request (a point of contact for their own state; staff for any)",
)
def request_create(request: HttpRequest, payload: AssistanceRequestIn) -> Status[dict[str, Any]]:
    user = require_signed_in(request)
    state = MemberState.objects.filter(code=payload.member_state.upper()).first()
    if state is None:
        raise _unknown("member_state", payload.member_state)
    program = _one(Program, payload.program, "program")
    item = services.request_submit(
        actor=user,
        member_state=state,
        program=program,
        title=payload.title,
        needs=payload.needs,
        preferred_start=payload.preferred_start,
        preferred_end=payload.preferred_end,
        contact_name=payload.contact_name,
        contact_email=payload.contact_email,
    )
    return Status(201, _detail(item))


@router.post(
    "/assistance/requests/{request_id}/transition",
    response={200: AssistanceRequestDetailOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Move a request one workflow step (review, accept, decline, schedule, deliver, close)",
)
def request_transition(
    request: HttpRequest, request_id: int, payload: RequestTransitionIn
) -> dict[str, Any]:
    """Accepting needs ``project`` or ``target``; declining a ``decline_reason``; scheduling
    ``events``; delivering every linked event held. A step not in the workflow (``submitted``
    → ``accepted``…) is refused with ``invalid_transition``: ``details`` names the step and
    the ``allowed`` next statuses. Nothing is written when a step is refused."""
    user = require_signed_in(request)
    item = _visible_request(request, request_id)
    services.request_transition(
        actor=user,
        request=item,
        to_status=payload.to_status.value,
        note=payload.note,
        project=_one(Project, payload.project, "project"),
        target=_one(Target, payload.target, "target"),
        events=_events(request, payload.events) if payload.events else None,
        decline_reason=payload.decline_reason,
        version=payload.version,
    )
    return _detail(item)
