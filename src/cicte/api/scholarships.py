"""/api/scholarships/: calls, nominations (points of contact, for their own state),
selection and award, withdrawal, completion, and completions by state, sex and course
(donors). Reads go through ``visible_to``; the services decide every write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cicte.api.base import (
    ERRORS,
    PUBLIC_AUTH,
    SIGNED_IN_AUTH,
    ApiError,
    ErrorOut,
    caller,
    forbidden,
    plan_for,
    require_signed_in,
)
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Target
from cicte.scholarships import permissions, selectors, services
from cicte.scholarships.models import Nomination, ScholarshipCall

router = Router(tags=["scholarships"])
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


class CallOut(Schema):
    id: int
    plan: str
    target: str
    course: str
    provider: str
    start_date: dt.date
    end_date: dt.date
    city: str
    seats: int
    nomination_deadline: dt.datetime
    status: str
    public: bool
    eligible_states: list[str]
    eligible_subregions: list[str]
    small_islands_only: bool
    profile: str

    @staticmethod
    def resolve_plan(obj: ScholarshipCall) -> str:
        return obj.plan.symbol

    @staticmethod
    def resolve_target(obj: ScholarshipCall) -> str:
        return obj.target.code

    @staticmethod
    def resolve_provider(obj: ScholarshipCall) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_eligible_states(obj: ScholarshipCall) -> list[str]:
        return sorted(s.code for s in obj.eligible_states.all())


class CallIn(Schema):
    plan: str = Field(..., min_length=1, max_length=100)
    target: str = Field(..., min_length=1, max_length=24, description="Target code, e.g. 1.B.3")
    course: str = Field(..., min_length=1, max_length=300)
    provider: int = Field(..., description="Organization id (e.g. ICAO)")
    funding_source: int | None = None
    start_date: dt.date
    end_date: dt.date
    city: str = Field("", max_length=200)
    host_state: str | None = Field(None, max_length=3)
    seats: int = Field(..., ge=1, le=1000)
    nomination_deadline: dt.datetime
    eligible_states: list[str] = Field([], max_length=35)
    eligible_subregions: list[str] = Field([], max_length=4)
    small_islands_only: bool = False
    profile: str = Field("", max_length=5000)
    public: bool = False


class NominationOut(Schema):
    id: int
    call: int
    member_state: str
    name: str
    institution: str
    position: str
    sex: str
    email: str
    language: str
    status: str
    rank: int | None
    decision_reason: str
    confirmed_at: dt.datetime | None
    completed_at: dt.datetime | None

    @staticmethod
    def resolve_call(obj: Nomination) -> int:
        return obj.call_id

    @staticmethod
    def resolve_member_state(obj: Nomination) -> str:
        return obj.member_state.code


class NominationIn(Schema):
    member_state: str = Field(..., min_length=3, max_length=3)
    name: str = Field(..., min_length=1, max_length=200)
    institution: str = Field(..., min_length=1, max_length=200)
    position: str = Field("", max_length=200)
    sex: str = Field("x", max_length=1, description="f, m or x (not stated)")
    email: str = Field(..., max_length=254)
    language: str = Field("en", max_length=5)
    justification: str = Field("", max_length=5000)


class DecisionIn(Schema):
    nomination: int
    decision: str = Field(..., description="accepted, waitlisted or declined")
    rank: int | None = Field(None, ge=1, le=100_000)
    reason: str = Field("", max_length=2000)


class SelectionIn(Schema):
    decisions: list[DecisionIn] = Field(..., max_length=1000)


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class WithdrawOut(Schema):
    withdrawn: NominationOut
    promoted: NominationOut | None


class CompleteIn(Schema):
    completed: bool = True
    issue_certificate: bool = False
    reason: str = Field("", max_length=2000)


class CompletionOut(Schema):
    course: str
    provider: str
    member_state: str
    women: int
    men: int
    not_stated: int
    total: int


def _call(request: HttpRequest, call_id: int) -> ScholarshipCall:
    call = (
        ScholarshipCall.objects.visible_to(caller(request))
        .select_related("plan", "target__project", "provider")
        .filter(pk=call_id)
        .first()
    )
    if call is None:
        raise ApiError(404, "not_found", "No such call.")
    return call


def _nomination(request: HttpRequest, nomination_id: int) -> Nomination:
    found = (
        Nomination.objects.visible_to(caller(request))
        .select_related("call", "member_state")
        .filter(pk=nomination_id)
        .first()
    )
    if found is None:
        raise ApiError(404, "not_found", "No such nomination.")
    return found


def _unknown(field: str, value: object) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        f"Unknown {field}.",
        [{"field": field, "code": "unknown", "message": str(value)[:100]}],
    )


@router.get(
    "/scholarships/calls",
    response={200: list[CallOut], **ERRORS},
    auth=PUBLIC_AUTH,
    summary="Scholarship calls the caller may see",
)
def call_list(request: HttpRequest) -> list[ScholarshipCall]:
    return list(
        ScholarshipCall.objects.visible_to(caller(request))
        .select_related("plan", "target", "provider")
        .prefetch_related("eligible_states")
        .order_by("-start_date", "-id")[:500]
    )


@router.get(
    "/scholarships/calls/{call_id}",
    response={200: CallOut, **ERRORS},
    auth=PUBLIC_AUTH,
    summary="One scholarship call",
)
def call_detail(request: HttpRequest, call_id: int) -> ScholarshipCall:
    return _call(request, call_id)


@router.post(
    "/scholarships/calls",
    response={201: CallOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Open a call (draft) toward a scholarship target",
)
def call_create(request: HttpRequest, payload: CallIn) -> Status[ScholarshipCall]:
    user = require_signed_in(request)
    plan = plan_for(request, payload.plan)
    target = Target.objects.filter(plan=plan, code=payload.target).select_related("project").first()
    if target is None:
        raise _unknown("target", payload.target)
    provider = Organization.objects.filter(pk=payload.provider).first()
    if provider is None:
        raise _unknown("provider", payload.provider)
    funding = None
    if payload.funding_source is not None:
        funding = Organization.objects.filter(pk=payload.funding_source).first()
        if funding is None:
            raise _unknown("funding_source", payload.funding_source)
    host = None
    if payload.host_state:
        host = MemberState.objects.filter(code=payload.host_state.upper()).first()
        if host is None:
            raise _unknown("host_state", payload.host_state)
    codes = [c.upper() for c in payload.eligible_states]
    states = list(MemberState.objects.filter(code__in=codes))
    if len(states) != len(set(codes)):
        raise _unknown("eligible_states", ", ".join(codes))
    call = services.call_create(
        actor=user,
        plan=plan,
        target=target,
        course=payload.course,
        provider=provider,
        funding_source=funding,
        start_date=payload.start_date,
        end_date=payload.end_date,
        city=payload.city,
        host_state=host,
        seats=payload.seats,
        nomination_deadline=payload.nomination_deadline,
        eligible_states=states,
        eligible_subregions=payload.eligible_subregions,
        small_islands_only=payload.small_islands_only,
        profile=payload.profile,
        public=payload.public,
    )
    return Status(201, _call(request, call.pk))


@router.post(
    "/scholarships/calls/{call_id}/publish",
    response={200: CallOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Publish a call to the points of contact",
)
def call_publish(request: HttpRequest, call_id: int) -> ScholarshipCall:
    user = require_signed_in(request)
    return services.call_publish(actor=user, call=_call(request, call_id))


@router.post(
    "/scholarships/calls/{call_id}/close",
    response={200: CallOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Close nominations",
)
def call_close(request: HttpRequest, call_id: int) -> ScholarshipCall:
    user = require_signed_in(request)
    return services.call_close(actor=user, call=_call(request, call_id))


@router.get(
    "/scholarships/calls/{call_id}/nominations",
    response={200: list[NominationOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Nominations the caller may see (staff: all; a point of contact: their state's)",
)
def nomination_list(request: HttpRequest, call_id: int) -> list[Nomination]:
    user = require_signed_in(request)
    return selectors.nominations_of(_call(request, call_id), user)


@router.post(
    "/scholarships/calls/{call_id}/nominations",
    response={201: NominationOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Nominate an official of the caller's own member state (points of contact)",
)
def nomination_create(
    request: HttpRequest, call_id: int, payload: NominationIn
) -> Status[Nomination]:
    user = require_signed_in(request)
    call = _call(request, call_id)
    state = MemberState.objects.filter(code=payload.member_state.upper()).first()
    if state is None:
        raise _unknown("member_state", payload.member_state)
    submitted = services.nomination_submit(
        actor=user,
        call=call,
        member_state=state,
        name=payload.name,
        institution=payload.institution,
        position=payload.position,
        sex=payload.sex,
        email=payload.email,
        language=payload.language,
        justification=payload.justification,
    )
    return Status(201, submitted.nomination)


@router.post(
    "/scholarships/calls/{call_id}/selection",
    response={200: list[NominationOut], **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Rank and decide nominations within the seats (award, waitlist, decline)",
)
def selection(request: HttpRequest, call_id: int, payload: SelectionIn) -> list[Nomination]:
    user = require_signed_in(request)
    call = _call(request, call_id)
    services.selection_apply(
        actor=user,
        call=call,
        decisions=[
            services.Decision(d.nomination, d.decision, d.rank, d.reason) for d in payload.decisions
        ],
    )
    return selectors.nominations_of(call, user)


@router.post(
    "/scholarships/confirm/{token}",
    response={200: NominationOut, **WRITE_ERRORS},
    auth=PUBLIC_AUTH,
    summary="The nominee confirms with the secret of their link",
)
def confirm(request: HttpRequest, token: str) -> Nomination:
    nomination = services.nomination_confirm(token=token[:200])
    return Nomination.objects.select_related("member_state").get(pk=nomination.pk)


@router.post(
    "/scholarships/nominations/{nomination_id}/withdraw",
    response={200: WithdrawOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Withdraw a nominee; a freed seat goes to the first of the waitlist",
)
def withdraw(request: HttpRequest, nomination_id: int, payload: WithdrawIn) -> dict[str, Any]:
    user = require_signed_in(request)
    result = services.nomination_withdraw(
        actor=user, nomination=_nomination(request, nomination_id), reason=payload.reason
    )
    return {"withdrawn": result.nomination, "promoted": result.promoted}


@router.post(
    "/scholarships/nominations/{nomination_id}/complete",
    response={200: NominationOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Record completion (certificate issued as PDF) or non-completion",
)
def complete(request: HttpRequest, nomination_id: int, payload: CompleteIn) -> Nomination:
    user = require_signed_in(request)
    return services.nomination_complete(
        actor=user,
        nomination=_nomination(request, nomination_id),
        completed=payload.completed,
        issue_certificate=payload.issue_certificate,
        reason=payload.reason,
    )


@router.get(
    "/scholarships/completions",
    response={200: list[CompletionOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Completed scholarships by course, member state and sex (no names)",
)
def completions(request: HttpRequest) -> list[dict[str, Any]]:
    user = require_signed_in(request)
    if not permissions.can_view_completions(user):
        raise forbidden("Completions are for Secretariat staff and donors.")
    return [
        {
            "course": r.course,
            "provider": r.provider,
            "member_state": r.state,
            "women": r.women,
            "men": r.men,
            "not_stated": r.not_stated,
            "total": r.total,
        }
        for r in selectors.completions(user)
    ]
