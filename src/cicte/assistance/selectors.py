"""Reads of the assistance app: the staff queue, a country's requests, one request's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from cicte.assistance.models import AssistanceRequest, RequestStatus, RequestTransition
from cicte.assistance.workflow import OPEN_STATUSES, next_statuses


@dataclass(frozen=True)
class QueueRow:
    request: AssistanceRequest
    age_days: int  # since submission
    days_in_status: int
    next_statuses: list[str] = field(default_factory=list)


def _base() -> QuerySet[AssistanceRequest]:
    return AssistanceRequest.objects.select_related(
        "member_state", "program", "work_area", "project", "target"
    )


def _today() -> dt.date:
    return timezone.localdate()


def request_queue(
    *,
    status: str | None = None,
    member_state_code: str | None = None,
    program_id: int | None = None,
    open_only: bool = False,
    today: dt.date | None = None,
) -> list[QueueRow]:
    """The staff queue, oldest first, with age in days; one query whatever the size."""
    qs = filter_requests(
        _base(),
        status=status,
        member_state_code=member_state_code,
        program_id=program_id,
        open_only=open_only,
    )
    return queue_rows(qs.order_by("submitted_at", "id"), today=today)


def filter_requests(
    requests: QuerySet[AssistanceRequest],
    *,
    status: str | None = None,
    member_state_code: str | None = None,
    program_id: int | None = None,
    open_only: bool = False,
) -> QuerySet[AssistanceRequest]:
    """The queue's filters on any queryset (the API passes ``visible_to(actor)``)."""
    qs = requests
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if member_state_code:
        qs = qs.filter(member_state__code=member_state_code.upper())
    if program_id:
        qs = qs.filter(program_id=program_id)
    return qs


def queue_rows(
    requests: Iterable[AssistanceRequest], *, today: dt.date | None = None
) -> list[QueueRow]:
    """Requests as queue rows: age in days, days in the current status, the next steps."""
    today = today or _today()
    return [
        QueueRow(
            request=item,
            age_days=(today - timezone.localdate(item.submitted_at)).days,
            days_in_status=(today - timezone.localdate(item.status_changed_at)).days,
            next_statuses=next_statuses(item.status),
        )
        for item in requests
    ]


def request_list(
    *,
    requests: QuerySet[AssistanceRequest],
    status: str | None = None,
    member_state_code: str | None = None,
    program_id: int | None = None,
    open_only: bool = False,
) -> QuerySet[AssistanceRequest]:
    """Visible requests (the caller passes ``AssistanceRequest.objects.visible_to(actor)``)
    with the queue's filters, oldest first, their relations and linked events in two queries."""
    return (
        filter_requests(
            requests.select_related("member_state", "program", "work_area", "project", "target"),
            status=status,
            member_state_code=member_state_code,
            program_id=program_id,
            open_only=open_only,
        )
        .prefetch_related("events")
        .order_by("submitted_at", "id")
    )


def requests_for_country(*, member_state_id: int) -> QuerySet[AssistanceRequest]:
    return _base().filter(member_state_id=member_state_id).order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class RequestDetail:
    request: AssistanceRequest
    transitions: list[RequestTransition]
    events: list
    next_statuses: list[str]


def request_detail(*, request_id: int) -> RequestDetail:
    """Raises AssistanceRequest.DoesNotExist. Callers check who may see it."""
    item = _base().select_related("submitted_by").get(pk=request_id)
    transitions = list(
        RequestTransition.objects.filter(request=item)
        .select_related("actor")
        .prefetch_related("notifications")
    )
    events = list(item.events.select_related("host_state").order_by("start_date"))
    return RequestDetail(
        request=item,
        transitions=transitions,
        events=events,
        next_statuses=next_statuses(item.status),
    )


@dataclass(frozen=True)
class WaitingRequest:
    request: AssistanceRequest
    days_waiting: int


def requests_waiting(*, days: int, today: dt.date | None = None) -> list[WaitingRequest]:
    """Open requests whose status has not changed for more than ``days`` days."""
    today = today or _today()
    rows = []
    for item in _base().filter(status__in=OPEN_STATUSES).order_by("status_changed_at"):
        waited = (today - timezone.localdate(item.status_changed_at)).days
        if waited > days:
            rows.append(WaitingRequest(request=item, days_waiting=waited))
    return rows


STATUS_ORDER = [s.value for s in RequestStatus]
