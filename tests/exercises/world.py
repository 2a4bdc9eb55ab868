"""An exercise world: one running tabletop exercise with every exercise role, two player
teams (Bravo plays through a participant link), and one secret per kind of object, each a
unique word."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.utils import timezone

from cicte.exercises import services
from cicte.exercises.models import Capability
from tests.accounts.factories import user_with_role
from tests.factories import EventFactory, EventTargetFactory

#: object → its secret word.
WORDS = {
    "released_alpha": "falconalphaword",
    "released_bravo": "badgerbravoword",
    "expected_action": "walrusexpectedword",
    "future_inject": "zebrafutureword",
    "contingency_inject": "quokkacontingencyword",
    "observation": "narwhalobservationword",
    "hotwash": "lemurhotwashword",
    "draft_report": "ocelotdraftword",
    "staff_session": "tapirbriefingword",
}

MSEL = {"expected_action", "future_inject", "contingency_inject"}
EXERCISE_STAFF = MSEL | {"released_alpha", "released_bravo", "staff_session"}

#: Who may see each object (the issue's secrecy rule, decided once in permissions.py).
SEES: dict[str, set[str]] = {
    "director": set(WORDS),
    "evaluator": set(WORDS),
    "planner": EXERCISE_STAFF | {"hotwash"},
    "controller": EXERCISE_STAFF | {"hotwash"},
    "simulator": EXERCISE_STAFF,
    "player_alpha": {"released_alpha"},
    "external_bravo": {"released_bravo"},
    "observer": {"released_alpha", "released_bravo"},
    "secretariat": set(),
    "outsider": set(),
    "anonymous": set(),
}
ROLES = list(SEES)


@dataclass
class ExerciseWorld:
    exercise: Any
    users: dict[str, Any]
    injects: dict[str, Any]
    teams: dict[str, Any]
    bravo_token: str
    bravo: Any
    report: Any
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role in self.users:
            client.force_login(self.users[role])
        return client


def build_world() -> ExerciseWorld:
    now = timezone.now()
    event = EventFactory(kind="exercise", status="planned", title="Port tabletop event")
    EventTargetFactory(event=event)
    director = user_with_role("secretariat", username="director", email="director@ex.test")
    users = {"director": director}
    for name in ("planner", "controller", "evaluator", "simulator", "player_alpha", "observer"):
        users[name] = user_with_role(None, username=name, email=f"{name}@ex.test")
    users["secretariat"] = user_with_role("secretariat", username="secretariat", email="s@ex.test")
    users["outsider"] = user_with_role(None, username="outsider", email="outsider@ex.test")

    exercise = services.exercise_create(
        actor=director,
        title="Port crisis tabletop",
        event=event,
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=4),
        scenario="A vessel reports a suspicious container.",
    )
    alpha = services.team_add(actor=director, exercise=exercise, name="Alpha", organization="Port")
    bravo = services.team_add(actor=director, exercise=exercise, name="Bravo", organization="Navy")
    for role in ("planner", "controller", "evaluator", "simulator", "observer"):
        services.role_add(actor=director, exercise=exercise, user=users[role], role=role)
    services.role_add(
        actor=director, exercise=exercise, user=users["player_alpha"], role="player", team=alpha
    )
    person, token = services.external_add(
        actor=director,
        exercise=exercise,
        name="Bravo Player",
        email="bravo@ext.test",
        team=bravo,
    )
    capability = Capability.objects.get(code="operational-coordination")
    objective = services.objective_add(
        actor=director,
        exercise=exercise,
        text="Coordinate the port response",
        capabilities=[capability],
    )
    task = services.critical_task_add(
        actor=director, objective=objective, capability=capability, text="Activate the port plan"
    )
    services.module_add(
        actor=director, exercise=exercise, title="Detection", questions="Who is notified first?"
    )
    services.session_add(
        actor=director,
        exercise=exercise,
        kind="briefing",
        title="Controllers " + WORDS["staff_session"],
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now - dt.timedelta(hours=1),
    )
    services.session_add(
        actor=director,
        exercise=exercise,
        kind="hot_wash",
        title="Hot wash",
        starts_at=now + dt.timedelta(hours=4),
        ends_at=now + dt.timedelta(hours=5),
    )

    def inject(key: str, team: Any, offset: int, *, contingency: bool = False, expected: str = ""):
        return services.inject_add(
            actor=director,
            exercise=exercise,
            offset_minutes=offset,
            title=f"Inject {WORDS[key]}",
            teams=[team],
            method="email",
            content=f"Content {WORDS[key]}",
            sender="Harbour master",
            expected_action=expected,
            objective=objective,
            capability=capability,
            contingency=contingency,
        )

    injects = {
        "released_alpha": inject("released_alpha", alpha, 0, expected=WORDS["expected_action"]),
        "released_bravo": inject("released_bravo", bravo, 0),
        "future_inject": inject("future_inject", alpha, 200),
        "contingency_inject": inject("contingency_inject", alpha, 10, contingency=True),
    }
    services.comcheck_ack(actor=users["player_alpha"], exercise=exercise)
    services.comcheck_ack(actor=services.external_resolve(token), exercise=exercise)
    services.exercise_mark_ready(actor=director, exercise=exercise)
    services.exercise_control(actor=users["controller"], exercise=exercise, action="start")
    for key in ("released_alpha", "released_bravo"):
        services.inject_release(actor=users["controller"], inject=injects[key])
    services.response_submit(
        actor=users["player_alpha"], inject=injects["released_alpha"], text="Alpha answers"
    )
    services.observation_add(
        actor=users["evaluator"],
        exercise=exercise,
        critical_task=task,
        text="Slow start",
        rating="S",
    )
    report = services.report_build(actor=users["evaluator"], exercise=exercise)
    report = services.report_update(
        actor=users["evaluator"],
        report=report,
        overview="Overview " + WORDS["draft_report"],
        strengths=report.strengths,
        improvements=report.improvements,
    )
    services.observation_add(
        actor=users["evaluator"],
        exercise=exercise,
        critical_task=task,
        text="Seen " + WORDS["observation"],
        rating="M",
    )
    services.hotwash_add(
        actor=users["controller"], exercise=exercise, kind="improvement", text=WORDS["hotwash"]
    )
    exercise.refresh_from_db()
    return ExerciseWorld(
        exercise=exercise,
        users=users,
        injects=injects,
        teams={"alpha": alpha, "bravo": bravo},
        bravo_token=token,
        bravo=person,
        report=report,
    )
