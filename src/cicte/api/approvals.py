"""/api/approvals/: period approvals (staff): list, completeness, submit, approve, return,
unlock and "changed since approval". The services decide who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cicte.api.base import (
    ERRORS,
    SIGNED_IN_AUTH,
    ApiError,
    ErrorOut,
    forbidden,
    plan_for,
    require_signed_in,
)
from cicte.approvals import permissions, selectors, services
from cicte.approvals.models import PeriodApproval
from cicte.core.periods import PeriodError, parse_period
from cicte.plan.models import Program

router = Router(tags=["approvals"])


class ApprovalOut(Schema):
    id: int
    plan: str
    program: str
    period: str
    status: str
    submitted_by: str | None
    submitted_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    reason: str

    @staticmethod
    def resolve_plan(obj: PeriodApproval) -> str:
        return obj.plan.symbol

    @staticmethod
    def resolve_program(obj: PeriodApproval) -> str:
        return obj.program.code

    @staticmethod
    def resolve_submitted_by(obj: PeriodApproval) -> str | None:
        return obj.submitted_by.get_username() if obj.submitted_by else None

    @staticmethod
    def resolve_approved_by(obj: PeriodApproval) -> str | None:
        return obj.approved_by.get_username() if obj.approved_by else None


class ApprovalQuery(Schema):
    plan: str = Field(..., min_length=1, max_length=100)
    period: str | None = Field(None, max_length=30)


class SubmitIn(Schema):
    plan: str = Field(..., min_length=1, max_length=100)
    program: str = Field(..., min_length=1, max_length=20, description="Program code, e.g. 1.B")
    period: str = Field(..., min_length=1, max_length=30, description="A half-year: 2012-H1")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class IssueOut(Schema):
    event_id: int
    title: str
    end_date: dt.date
    status: str
    problem: str


class CompletenessOut(Schema):
    program: str
    period: str
    events: int
    held: int
    narrative: bool
    complete: bool
    issues: list[IssueOut]


class ChangeOut(Schema):
    when: dt.datetime
    by: str
    what: str
    event_id: int | None
    action: str
    field: str
    before: str
    after: str


def _staff(request: HttpRequest) -> Any:
    user = require_signed_in(request)
    if not permissions.can_view_approvals(user):
        raise forbidden("Approvals are for Secretariat staff.")
    return user


def _program(request: HttpRequest, plan: str, code: str) -> Program:
    program = Program.objects.filter(plan=plan_for(request, plan), code=code).first()
    if program is None:
        raise ApiError(
            422,
            "validation_error",
            "Unknown program.",
            [{"field": "program", "code": "unknown", "message": code[:20]}],
        )
    return program


def _approval(approval_id: int) -> PeriodApproval:
    approval = (
        PeriodApproval.objects.select_related("plan", "program", "submitted_by", "approved_by")
        .filter(pk=approval_id)
        .first()
    )
    if approval is None:
        raise ApiError(404, "not_found", "No such approval.")
    return approval


def _fresh(approval: PeriodApproval) -> PeriodApproval:
    return _approval(approval.pk)


@router.get(
    "/approvals",
    response={200: list[ApprovalOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Period approvals of a plan",
)
def approval_list(request: HttpRequest, query: Query[ApprovalQuery]) -> list[PeriodApproval]:
    _staff(request)
    approvals = PeriodApproval.objects.filter(plan=plan_for(request, query.plan)).select_related(
        "plan", "program", "submitted_by", "approved_by"
    )
    if query.period:
        approvals = approvals.filter(period=query.period.strip().upper())
    return list(approvals.order_by("period", "program__position"))


@router.get(
    "/approvals/completeness",
    response={200: CompletenessOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="What a program's half-year holds and lacks before submission",
)
def approval_completeness(
    request: HttpRequest, plan: str, program: str, period: str
) -> dict[str, Any]:
    _staff(request)
    found = _program(request, plan[:100], program[:20])
    try:
        parsed = parse_period(period[:30])
    except PeriodError as exc:
        raise ApiError(422, "validation_error", str(exc)) from None
    data = selectors.completeness(program=found, period=parsed)
    return {
        "program": found.code,
        "period": parsed.label,
        "events": data.events,
        "held": data.held,
        "narrative": data.narrative,
        "complete": data.complete,
        "issues": [vars(i) for i in data.issues],
    }


@router.post(
    "/approvals/submit",
    response={201: ApprovalOut, **ERRORS, 409: ErrorOut},
    auth=SIGNED_IN_AUTH,
    summary="Submit a program's half-year for approval",
)
def approval_submit(request: HttpRequest, payload: SubmitIn) -> Status[PeriodApproval]:
    user = _staff(request)
    program = _program(request, payload.plan, payload.program)
    approval = services.approval_submit(actor=user, program=program, period=payload.period)
    return Status(201, _fresh(approval))


@router.post(
    "/approvals/{approval_id}/approve",
    response={200: ApprovalOut, **ERRORS, 409: ErrorOut},
    auth=SIGNED_IN_AUTH,
    summary="Approve (and lock) a submitted half-year (Secretariat)",
)
def approval_approve(request: HttpRequest, approval_id: int) -> PeriodApproval:
    user = _staff(request)
    return _fresh(services.approval_approve(actor=user, approval=_approval(approval_id)))


@router.post(
    "/approvals/{approval_id}/return",
    response={200: ApprovalOut, **ERRORS, 409: ErrorOut},
    auth=SIGNED_IN_AUTH,
    summary="Return a submitted half-year with a reason (Secretariat)",
)
def approval_return(request: HttpRequest, approval_id: int, payload: ReasonIn) -> PeriodApproval:
    user = _staff(request)
    return _fresh(
        services.approval_return(actor=user, approval=_approval(approval_id), reason=payload.reason)
    )


@router.post(
    "/approvals/{approval_id}/unlock",
    response={200: ApprovalOut, **ERRORS, 409: ErrorOut},
    auth=SIGNED_IN_AUTH,
    summary="Unlock an approved half-year with a reason (administrators)",
)
def approval_unlock(request: HttpRequest, approval_id: int, payload: ReasonIn) -> PeriodApproval:
    user = _staff(request)
    return _fresh(
        services.approval_unlock(actor=user, approval=_approval(approval_id), reason=payload.reason)
    )


@router.get(
    "/approvals/{approval_id}/changes",
    response={200: list[ChangeOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Every field changed since the latest approval (audit history)",
)
def approval_changes(request: HttpRequest, approval_id: int) -> list[dict[str, Any]]:
    _staff(request)
    return [vars(c) for c in selectors.changes_since_approval(_approval(approval_id))]
