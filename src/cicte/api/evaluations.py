"""/api/evaluations: evaluations, their recommendations (tracked to closure), participant
questionnaires and the feedback aggregates — the workspace's Evaluations pages.

Like those pages, every operation is for Secretariat staff (administrators, secretariat,
program managers); the services decide who may write what (a program manager: the work of
their programs; the owner of a recommendation: its status). Questionnaire results are
aggregates only (averages and counts), as on the Participant feedback page: the API never
returns a single participant's answers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from cicte.access import permissions as roles
from cicte.access.selectors import staff_users
from cicte.api.base import (
    ERRORS,
    SIGNED_IN_AUTH,
    ApiError,
    ErrorOut,
    forbidden,
    plan_for,
    require_signed_in,
)
from cicte.core.versioning import version_of
from cicte.delivery.models import Event
from cicte.evaluations import selectors, services
from cicte.evaluations.models import (
    Evaluation,
    EvaluationKind,
    Questionnaire,
    Recommendation,
    RecommendationStatus,
)
from cicte.evaluations.selectors import FeedbackSummary
from cicte.plan.models import Program, Project

router = Router(tags=["evaluations"])
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


class RecommendationOut(Schema):
    id: int
    evaluation: int
    text: str
    owner: str | None = Field(None, description="Username")
    due_date: dt.date | None
    status: str
    past_due: bool
    closed_at: dt.datetime | None
    closure_note: str


class RecommendationDetailOut(RecommendationOut):
    version: int


class RecommendationPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[RecommendationOut]


class EvaluationOut(Schema):
    id: int
    kind: str
    project: str | None = Field(None, description="Project code")
    project_id: int | None
    event: str | None = Field(None, description="Event title")
    event_id: int | None
    date: dt.date
    evaluator: str
    rating: int | None = Field(None, description="1–5 (docs/evaluations.md); null: not rated")
    findings: str
    recommendations_total: int
    recommendations_open: int


class EvaluationDetailOut(EvaluationOut):
    version: int
    recommendations: list[RecommendationOut]
    followed_up: list[RecommendationOut] = Field(
        ..., description="A follow-up evaluation: the earlier recommendations it checks on"
    )


class EvaluationPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[EvaluationOut]


class EvaluationQuery(Schema):
    kind: EvaluationKind | None = None
    plan: str | None = Field(None, max_length=100, description="Year, id or symbol")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class EvaluationIn(Schema):
    kind: EvaluationKind
    date: dt.date
    evaluator: str = Field(..., min_length=1, max_length=200)
    project: int | None = Field(None, ge=1, le=2**31, description="Project id")
    event: int | None = Field(None, ge=1, le=2**31, description="Event id")
    rating: int | None = Field(None, ge=1, le=5)
    findings: str = Field("", max_length=20_000)


class EvaluationPut(EvaluationIn):
    version: int | None = Field(
        None, description="The version you read; a stale one is refused with 409 stale_edit."
    )


class RecommendationIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
    owner: str | None = Field(None, max_length=150, description="Username of a staff member")
    due_date: dt.date | None = None


class RecommendationQuery(Schema):
    status: RecommendationStatus | None = Field(
        None, description="Without it: every recommendation not closed (the tracker)"
    )
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class RecommendationStatusIn(Schema):
    status: RecommendationStatus
    note: str = Field("", max_length=5000, description="Required to close: how it was addressed")
    version: int | None = Field(None, description="The version you read (optional).")


class QuestionnaireOut(Schema):
    event_id: int
    event: str
    is_open: bool
    closed_at: dt.datetime | None
    link: str = Field(..., description="The participants' link (share it; it is the secret)")


class QuestionnaireIn(Schema):
    event: int = Field(..., ge=1, le=2**31, description="Event id")
    action: Literal["open", "close"] = "open"


class FeedbackOut(Schema):
    scope: str = Field(..., description="event, project or program")
    id: int
    name: str
    events: int
    responses: int
    satisfaction: Decimal | None
    relevance: Decimal | None
    knowledge_before: Decimal | None
    knowledge_after: Decimal | None
    knowledge_gain: Decimal | None


class FeedbackQuery(Schema):
    event: int | None = Field(None, ge=1, le=2**31, description="Event id")
    project: int | None = Field(None, ge=1, le=2**31, description="Project id")
    program: int | None = Field(None, ge=1, le=2**31, description="Program id")


# --- helpers --------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user = require_signed_in(request)
    if not roles.is_secretariat(user):
        raise forbidden("Evaluations are for Secretariat staff.")
    return user


def _unknown(field: str, value: object) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        f"Unknown {field}.",
        [{"field": field, "code": "unknown", "message": str(value)[:100]}],
    )


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise _unknown(field, pk)
    return found


def _recommendation_out(item: Recommendation, today: dt.date) -> dict[str, Any]:
    return {
        "id": item.pk,
        "evaluation": item.evaluation_id,
        "text": item.text,
        "owner": item.owner.get_username() if item.owner else None,
        "due_date": item.due_date,
        "status": item.status,
        "past_due": bool(
            item.due_date and item.due_date < today and item.status != RecommendationStatus.CLOSED
        ),
        "closed_at": item.closed_at,
        "closure_note": item.closure_note,
    }


def _today() -> dt.date:
    return timezone.localdate()


def _evaluation_out(item: Evaluation, *, total: int, open_: int) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "project": item.project.code if item.project else None,
        "project_id": item.project_id,
        "event": item.event.title if item.event else None,
        "event_id": item.event_id,
        "date": item.date,
        "evaluator": item.evaluator,
        "rating": item.rating,
        "findings": item.findings,
        "recommendations_total": total,
        "recommendations_open": open_,
    }


def _evaluation(evaluation_id: int) -> Evaluation:
    item = (
        Evaluation.objects.select_related("project", "event", "created_by")
        .filter(pk=evaluation_id)
        .first()
    )
    if item is None:
        raise ApiError(404, "not_found", "No such evaluation.")
    return item


def _evaluation_detail(evaluation_id: int) -> dict[str, Any]:
    item = _evaluation(evaluation_id)
    today = _today()
    recommendations = [
        _recommendation_out(r, today)
        for r in item.recommendations.select_related("owner").order_by("due_date", "id")
    ]
    row = _evaluation_out(
        item,
        total=len(recommendations),
        open_=sum(1 for r in recommendations if r["status"] != RecommendationStatus.CLOSED),
    )
    row["version"] = version_of(item)
    row["recommendations"] = recommendations
    row["followed_up"] = [
        _recommendation_out(r, today)
        for r in selectors.recommendations_followed_up(evaluation=item)
    ]
    return row


def _recommendation(recommendation_id: int) -> Recommendation:
    item = (
        Recommendation.objects.select_related("evaluation", "owner")
        .filter(pk=recommendation_id)
        .first()
    )
    if item is None:
        raise ApiError(404, "not_found", "No such recommendation.")
    return item


def _recommendation_detail(recommendation_id: int) -> dict[str, Any]:
    item = _recommendation(recommendation_id)
    row = _recommendation_out(item, _today())
    row["version"] = version_of(item)
    return row


def _subject(payload: EvaluationIn) -> dict[str, Any]:
    return {
        "kind": payload.kind.value,
        "date": payload.date,
        "evaluator": payload.evaluator,
        "project": _one(Project, payload.project, "project"),
        "event": _one(Event, payload.event, "event"),
        "rating": payload.rating,
        "findings": payload.findings,
    }


def _questionnaire_out(request: HttpRequest, item: Questionnaire) -> dict[str, Any]:
    return {
        "event_id": item.event_id,
        "event": item.event.title,
        "is_open": item.is_open,
        "closed_at": item.closed_at,
        "link": request.build_absolute_uri(reverse("feedback:form", args=[item.token])),
    }


def _feedback_out(scope: str, pk: int, name: str, summary: FeedbackSummary) -> dict[str, Any]:
    return {
        "scope": scope,
        "id": pk,
        "name": name,
        "events": summary.events,
        "responses": summary.responses,
        "satisfaction": summary.satisfaction,
        "relevance": summary.relevance,
        "knowledge_before": summary.knowledge_before,
        "knowledge_after": summary.knowledge_after,
        "knowledge_gain": summary.knowledge_gain,
    }


# --- evaluations ----------------------------------------------------------------------------


@router.get(
    "/evaluations",
    response={200: EvaluationPageOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Evaluations, newest first (filters: kind, plan)",
)
def evaluation_list(request: HttpRequest, query: Query[EvaluationQuery]) -> dict[str, Any]:
    _staff(request)
    plan = plan_for(request, query.plan) if query.plan else None
    evaluations = selectors.evaluation_list(
        kind=query.kind.value if query.kind else None, plan=plan
    )
    total = evaluations.count()
    page = evaluations[query.offset : query.offset + query.limit]
    return {
        "total": total,
        "limit": query.limit,
        "offset": query.offset,
        "items": [
            _evaluation_out(
                e,
                total=e.total_recommendations,  # type: ignore[attr-defined]
                open_=e.open_recommendations,  # type: ignore[attr-defined]
            )
            for e in page
        ],
    }


@router.post(
    "/evaluations",
    response={201: EvaluationDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Record an evaluation of a project or an event",
)
def evaluation_create(request: HttpRequest, payload: EvaluationIn) -> Status[dict[str, Any]]:
    user = _staff(request)
    item = services.evaluation_create(actor=user, **_subject(payload))
    return Status(201, _evaluation_detail(item.pk))


@router.get(
    "/evaluations/recommendations",
    response={200: RecommendationPageOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="The recommendation tracker: what is not closed, by due date (or one status)",
)
def recommendation_list(request: HttpRequest, query: Query[RecommendationQuery]) -> dict[str, Any]:
    _staff(request)
    items = selectors.recommendation_tracker(status=query.status.value if query.status else None)
    total = items.count()
    today = _today()
    return {
        "total": total,
        "limit": query.limit,
        "offset": query.offset,
        "items": [
            _recommendation_out(r, today) for r in items[query.offset : query.offset + query.limit]
        ],
    }


@router.get(
    "/evaluations/recommendations/{recommendation_id}",
    response={200: RecommendationDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One recommendation",
)
def recommendation_detail(request: HttpRequest, recommendation_id: int) -> dict[str, Any]:
    _staff(request)
    return _recommendation_detail(recommendation_id)


@router.post(
    "/evaluations/recommendations/{recommendation_id}/status",
    response={200: RecommendationDetailOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Set a recommendation's status (closing needs a note)",
)
def recommendation_status(
    request: HttpRequest, recommendation_id: int, payload: RecommendationStatusIn
) -> dict[str, Any]:
    user = _staff(request)
    services.recommendation_set_status(
        actor=user,
        recommendation=_recommendation(recommendation_id),
        status=payload.status.value,
        note=payload.note,
        version=payload.version,
    )
    return _recommendation_detail(recommendation_id)


@router.get(
    "/evaluations/questionnaires",
    response={200: list[QuestionnaireOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Participant questionnaires, newest event first, with their links",
)
def questionnaire_list(request: HttpRequest) -> list[dict[str, Any]]:
    _staff(request)
    items = Questionnaire.objects.select_related("event").order_by("-event__start_date", "-id")
    return [_questionnaire_out(request, q) for q in items[:500]]


@router.post(
    "/evaluations/questionnaires",
    response={200: QuestionnaireOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Open (or reopen) or close an event's participant questionnaire",
)
def questionnaire_toggle(request: HttpRequest, payload: QuestionnaireIn) -> dict[str, Any]:
    user = _staff(request)
    event = _one(Event, payload.event, "event")
    if payload.action == "close":
        found = Questionnaire.objects.filter(event=event).first()
        if found is None:
            raise ApiError(
                422,
                "validation_error",
                "This event has no questionnaire to close.",
                [{"field": "event", "code": "no_questionnaire", "message": str(event.pk)}],
            )
        item = services.questionnaire_close(actor=user, questionnaire=found)
    else:
        item = services.questionnaire_open(actor=user, event=event)
    fresh = Questionnaire.objects.select_related("event").get(pk=item.pk)
    return _questionnaire_out(request, fresh)


@router.get(
    "/evaluations/feedback",
    response={200: list[FeedbackOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Participant feedback aggregates for an event, a project and/or a program",
)
def feedback(request: HttpRequest, query: Query[FeedbackQuery]) -> list[dict[str, Any]]:
    """Per question (1–5): the average over every response in the scope, the number of
    responses and of events, and the knowledge gain (after − before). Aggregates only."""
    _staff(request)
    results = []
    if query.event is not None:
        event = _one(Event, query.event, "event")
        results.append(
            _feedback_out("event", event.pk, event.title, selectors.feedback_for_event(event=event))
        )
    if query.project is not None:
        project = _one(Project, query.project, "project")
        results.append(
            _feedback_out(
                "project", project.pk, str(project), selectors.feedback_for_project(project=project)
            )
        )
    if query.program is not None:
        program = _one(Program, query.program, "program")
        results.append(
            _feedback_out(
                "program", program.pk, str(program), selectors.feedback_for_program(program=program)
            )
        )
    return results


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One evaluation with its recommendations",
)
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    _staff(request)
    return _evaluation_detail(evaluation_id)


@router.put(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationDetailOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Correct an evaluation (every field, as the edit form)",
)
def evaluation_update(
    request: HttpRequest, evaluation_id: int, payload: EvaluationPut
) -> dict[str, Any]:
    user = _staff(request)
    services.evaluation_update(
        actor=user,
        evaluation=_evaluation(evaluation_id),
        version=payload.version,
        **_subject(payload),
    )
    return _evaluation_detail(evaluation_id)


@router.post(
    "/evaluations/{evaluation_id}/recommendations",
    response={201: RecommendationDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Add a recommendation to an evaluation",
)
def recommendation_add(
    request: HttpRequest, evaluation_id: int, payload: RecommendationIn
) -> Status[dict[str, Any]]:
    user = _staff(request)
    owner = None
    if payload.owner:
        owner = staff_users().filter(username=payload.owner).first()
        if owner is None:
            raise ApiError(
                422,
                "validation_error",
                "The owner must be an active Secretariat staff member.",
                [{"field": "owner", "code": "unknown", "message": payload.owner[:150]}],
            )
    item = services.recommendation_add(
        actor=user,
        evaluation=_evaluation(evaluation_id),
        text=payload.text,
        owner=owner,
        due_date=payload.due_date,
    )
    return Status(201, _recommendation_detail(item.pk))
