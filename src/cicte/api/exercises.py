"""/api/exercises/: exercises, their injects, responses, observations and the after-action
report, as the caller's exercise role allows (``visible_to``; see
:mod:`cicte.exercises.permissions`). An exercise or inject the caller may not see is a 404,
the same answer as one that does not exist. Players get only the injects released to their
team, without the expected action, the controller or the objective links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cicte.api.base import ERRORS, SIGNED_IN_AUTH, not_found, require_signed_in
from cicte.exercises import permissions, selectors, services
from cicte.exercises.models import CriticalTask, Exercise, Inject
from cicte.exercises.parsing.msel import format_offset

router = Router(tags=["exercises"])


class ExerciseOut(Schema):
    id: int
    title: str
    type: str
    status: str
    starts_at: Any
    ends_at: Any
    event: int
    roles: list[str]


class InjectOut(Schema):
    id: int
    number: int
    title: str
    sender: str
    method: str
    content: str
    teams: list[str]
    status: str
    released_at: Any
    scheduled: str | None = Field(None, description="exercise staff only")
    expected_action: str | None = Field(None, description="exercise staff only")
    contingency: bool | None = Field(None, description="exercise staff only")


class ResponseIn(Schema):
    text: str = Field(max_length=8000)


class ResponseOut(Schema):
    id: int
    inject: int
    team: str
    text: str
    created_at: Any


class ObservationIn(Schema):
    critical_task: int
    text: str = Field(max_length=20000)
    rating: str = Field("", max_length=10, description="P, S, M or U (HSEEP)")
    inject: int | None = None
    strength: bool = False


class ObservationOut(Schema):
    id: int
    critical_task: int
    capability: str
    text: str
    rating: str
    created_at: Any


class ExerciseRatingOut(Schema):
    objective: int
    capability: str
    rating: str


class ExerciseReportOut(Schema):
    status: str
    overview: str
    strengths: str
    improvements: str
    ratings: list[ExerciseRatingOut]


class ReleaseOut(Schema):
    released: bool


def _exercise(request: HttpRequest, pk: int) -> tuple[Any, Exercise]:
    actor = require_signed_in(request)
    exercise = selectors.exercise_get(actor=actor, pk=pk)
    if exercise is None:
        raise not_found("No such exercise.")
    return actor, exercise


def _exercise_out(exercise: Exercise, actor: Any) -> dict[str, Any]:
    return {
        "id": exercise.pk,
        "title": exercise.title,
        "type": exercise.type,
        "status": exercise.status,
        "starts_at": exercise.starts_at,
        "ends_at": exercise.ends_at,
        "event": exercise.event_id,
        "roles": sorted(permissions.roles_in(actor, exercise)),
    }


@router.get(
    "/exercises",
    response={200: list[ExerciseOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Exercises",
)
def exercise_list(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    actor = require_signed_in(request)
    return [_exercise_out(e, actor) for e in selectors.exercise_list(actor=actor, q=q[:200])]


@router.get(
    "/exercises/{pk}",
    response={200: ExerciseOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One exercise",
)
def exercise_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor, exercise = _exercise(request, pk)
    return _exercise_out(exercise, actor)


@router.get(
    "/exercises/{pk}/injects",
    response={200: list[InjectOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Injects: the MSEL for exercise staff, the released injects for players",
)
def inject_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    actor, exercise = _exercise(request, pk)
    if permissions.can_see_msel(actor, exercise):
        return [
            {
                "id": i.pk,
                "number": i.number,
                "title": i.title,
                "sender": i.sender,
                "method": i.method,
                "content": i.content,
                "teams": [t.name for t in i.teams.all()],
                "status": i.status,
                "released_at": i.released_at,
                "scheduled": format_offset(i.offset_minutes),
                "expected_action": i.expected_action,
                "contingency": i.contingency,
            }
            for i in selectors.msel(actor=actor, exercise=exercise)
        ]
    return [
        {
            "id": i.pk,
            "number": i.number,
            "title": i.title,
            "sender": i.sender,
            "method": i.method,
            "content": i.content,
            "teams": i.teams,
            "status": "released",
            "released_at": i.released_at,
        }
        for i in selectors.player_feed(actor=actor, exercise=exercise)
    ]


def _inject(actor: Any, exercise: Exercise, inject_id: int) -> Inject:
    inject = (
        Inject.objects.visible_to(actor)
        .filter(exercise=exercise, pk=inject_id)
        .select_related("exercise")
        .first()
    )
    if inject is None:
        raise not_found("No such inject.")
    return inject


@router.post(
    "/exercises/{pk}/injects/{inject_id}/release",
    response={200: ReleaseOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Release an inject now (controllers)",
)
def inject_release(request: HttpRequest, pk: int, inject_id: int) -> dict[str, Any]:
    actor, exercise = _exercise(request, pk)
    inject = _inject(actor, exercise, inject_id)
    return {"released": services.inject_release(actor=actor, inject=inject)}


@router.post(
    "/exercises/{pk}/injects/{inject_id}/responses",
    response={201: ResponseOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Respond to an inject released to your team (players)",
)
def response_create(
    request: HttpRequest, pk: int, inject_id: int, payload: ResponseIn
) -> Status[dict[str, Any]]:
    actor, exercise = _exercise(request, pk)
    inject = _inject(actor, exercise, inject_id)
    item = services.response_submit(actor=actor, inject=inject, text=payload.text)
    return Status(
        201,
        {
            "id": item.pk,
            "inject": inject.pk,
            "team": item.team.name,
            "text": item.text,
            "created_at": item.created_at,
        },
    )


def _observation_out(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "critical_task": o.critical_task_id,
        "capability": o.critical_task.capability.code,
        "text": o.text,
        "rating": o.rating,
        "created_at": o.created_at,
    }


@router.get(
    "/exercises/{pk}/observations",
    response={200: list[ObservationOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Observations (director and evaluators)",
)
def observation_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    actor, exercise = _exercise(request, pk)
    return [_observation_out(o) for o in selectors.observations(actor=actor, exercise=exercise)]


@router.post(
    "/exercises/{pk}/observations",
    response={201: ObservationOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Record an observation (evaluators)",
)
def observation_create(
    request: HttpRequest, pk: int, payload: ObservationIn
) -> Status[dict[str, Any]]:
    actor, exercise = _exercise(request, pk)
    task = (
        CriticalTask.objects.filter(pk=payload.critical_task, objective__exercise=exercise)
        .select_related("objective", "capability")
        .first()
    )
    if task is None:
        raise not_found("No such critical task.")
    inject = None
    if payload.inject is not None:
        inject = _inject(actor, exercise, payload.inject)
    item = services.observation_add(
        actor=actor,
        exercise=exercise,
        critical_task=task,
        text=payload.text,
        rating=payload.rating,
        inject=inject,
        strength=payload.strength,
    )
    return Status(201, _observation_out(item))


@router.get(
    "/exercises/{pk}/report",
    response={200: ExerciseReportOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="The after-action report (draft: director and evaluators; final: participants)",
)
def report_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor, exercise = _exercise(request, pk)
    report = selectors.report_for(actor=actor, exercise=exercise)
    if report is None:
        raise not_found("No report you may read.")
    return {
        "status": report.status,
        "overview": report.overview,
        "strengths": report.strengths,
        "improvements": report.improvements,
        "ratings": [
            {"objective": r.objective.number, "capability": r.capability.code, "rating": r.rating}
            for r in report.ratings.all()
        ],
    }
