"""Reads of the exercises app. Every read starts from ``visible_to(actor)``; what a player
sees of an inject is a :class:`PlayerInject` (never the expected action, the controller or
the objective links)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from cicte.exercises import permissions
from cicte.exercises.models import (
    RATING_SEVERITY,
    AfterActionReport,
    CriticalTask,
    Exercise,
    HotWashNote,
    Inject,
    InjectAttachment,
    InjectStatus,
    Observation,
    PlayerResponse,
    Session,
)
from cicte.exercises.parsing.msel import format_offset
from cicte.search import terms as search_terms


def exercise_get(*, actor: Any, pk: int) -> Exercise | None:
    return (
        Exercise.objects.visible_to(actor)
        .select_related("event", "event__plan")
        .filter(pk=pk)
        .first()
    )


def exercise_list(*, actor: Any, q: str = "") -> QuerySet[Exercise]:
    qs = Exercise.objects.visible_to(actor).select_related("event")
    for term in search_terms(q):
        qs = qs.filter(title__icontains=term)
    return qs


def inject_search(*, actor: Any, q: str) -> list[Inject]:
    """Injects matching ``q`` among those the actor may see (players: released to them)."""
    terms = search_terms(q)
    if not terms:
        return []
    qs = Inject.objects.visible_to(actor).select_related("exercise")
    for term in terms:
        qs = qs.filter(Q(title__icontains=term) | Q(content__icontains=term))
    return list(qs[:50])


def msel(*, actor: Any, exercise: Exercise) -> list[Inject]:
    """The whole MSEL (exercise staff only; empty for anyone else)."""
    if not permissions.can_see_msel(actor, exercise):
        return []
    return list(
        Inject.objects.visible_to(actor)
        .filter(exercise=exercise)
        .select_related("module", "objective", "capability", "controller", "released_by")
        .prefetch_related("teams", "depends_on", "responses", "attachments")
        .order_by("offset_minutes", "number")
    )


def attachment_for(*, actor: Any, pk: int) -> InjectAttachment | None:
    """An inject's document, for whoever may see the inject: exercise staff always; players
    (and observers) only once the inject is released to them."""
    visible = Inject.objects.visible_to(actor).values("pk")
    return (
        InjectAttachment.objects.filter(pk=pk, inject__in=visible)
        .select_related("inject__exercise")
        .first()
    )


@dataclass(frozen=True)
class PlayerInject:
    pk: int
    number: int
    title: str
    sender: str
    method: str
    content: str
    released_at: dt.datetime | None
    teams: list[str]
    responses: list[PlayerResponse] = field(default_factory=list)
    attachments: list[InjectAttachment] = field(default_factory=list)


def player_feed(*, actor: Any, exercise: Exercise) -> list[PlayerInject]:
    """The released injects addressed to the actor (or, for observers, all released ones),
    newest first, with the responses the actor may read."""
    responses = PlayerResponse.objects.visible_to(actor).select_related("author", "external")
    injects = (
        Inject.objects.visible_to(actor)
        .filter(exercise=exercise, status=InjectStatus.RELEASED)
        .prefetch_related(
            "teams", "attachments", Prefetch("responses", queryset=responses, to_attr="visible")
        )
        .order_by("-released_at", "-number")
    )
    return [
        PlayerInject(
            pk=i.pk,
            number=i.number,
            title=i.title,
            sender=i.sender,
            method=i.get_method_display(),
            content=i.content,
            released_at=i.released_at,
            teams=[t.name for t in i.teams.all()],
            responses=list(i.visible),  # type: ignore[attr-defined]
            attachments=list(i.attachments.all()),
        )
        for i in injects
    ]


def observations(*, actor: Any, exercise: Exercise) -> list[Observation]:
    return list(
        Observation.objects.visible_to(actor)
        .filter(exercise=exercise)
        .select_related(
            "critical_task__objective", "critical_task__capability", "evaluator", "inject"
        )
    )


def hotwash(*, actor: Any, exercise: Exercise) -> list[HotWashNote]:
    return list(
        HotWashNote.objects.visible_to(actor).filter(exercise=exercise).select_related("author")
    )


def report_for(*, actor: Any, exercise: Exercise) -> AfterActionReport | None:
    return (
        AfterActionReport.objects.visible_to(actor)
        .filter(exercise=exercise)
        .prefetch_related("ratings__objective", "ratings__capability")
        .first()
    )


def critical_tasks(exercise: Exercise) -> list[CriticalTask]:
    return list(
        CriticalTask.objects.filter(objective__exercise=exercise).select_related(
            "objective", "capability"
        )
    )


def sessions(*, actor: Any) -> list[Session]:
    return list(Session.objects.visible_to(actor).select_related("exercise"))


# --- statistics -------------------------------------------------------------------------

ON_TIME_MINUTES = 5


@dataclass
class Statistics:
    injects: list[list[Any]]
    summary: list[list[Any]]
    ratings: list[list[Any]]


def statistics(*, actor: Any, exercise: Exercise) -> Statistics:
    """Injects delivered and on time, response times, ratings by capability (staff only)."""
    rows = msel(actor=actor, exercise=exercise)
    injects: list[list[Any]] = []
    released = on_time = 0
    response_minutes: list[float] = []
    for inject in rows:
        team_responses = list(inject.responses.all())
        first = min((r.elapsed for r in team_responses), default=None)
        delay = inject.delay_minutes
        minutes = None
        if first is not None and inject.released_elapsed is not None:
            minutes = round(max(0, first - inject.released_elapsed) / 60, 1)
            response_minutes.append(minutes)
        if inject.status == InjectStatus.RELEASED:
            released += 1
            on_time += int(delay is not None and abs(delay) <= ON_TIME_MINUTES)
        injects.append(
            [
                inject.number,
                format_offset(inject.offset_minutes),
                inject.title,
                inject.get_status_display(),
                inject.released_at.replace(tzinfo=None) if inject.released_at else None,
                delay,
                len(team_responses),
                minutes,
            ]
        )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for o in observations(actor=actor, exercise=exercise):
        if o.rating:
            counts[str(o.critical_task.capability)][o.rating] += 1
    ratings = [
        [name, c["P"], c["S"], c["M"], c["U"], max(c, key=lambda r: RATING_SEVERITY[r])]
        for name, c in sorted(counts.items())
    ]
    average = round(sum(response_minutes) / len(response_minutes), 1) if response_minutes else None
    summary: list[list[Any]] = [
        ["injects", len(rows)],
        ["released", released],
        ["released on time", on_time],
        ["average response time (minutes)", average],
    ]
    return Statistics(injects=injects, summary=summary, ratings=ratings)
