"""Small hand-built plans for progress tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from cicte.delivery.models import Event
from cicte.directory.models import MemberState
from tests.factories import (
    EventFactory,
    EventTargetFactory,
    ProgramFactory,
    ProjectFactory,
    TargetFactory,
    WorkAreaFactory,
    WorkPlanFactory,
)


@pytest.fixture
def tree(db):
    """Plan 2012 → work area 1 → program 1.A → project 1.A.1 (+ 1.A.2) and work area 2 → 2.A."""
    plan = WorkPlanFactory(year=2012, title="Test plan 2012")
    area1 = WorkAreaFactory(plan=plan, number=1, title="Border controls")
    area2 = WorkAreaFactory(plan=plan, number=2, title="Critical infrastructure")
    prog1 = ProgramFactory(work_area=area1, plan=plan, letter="A", code="1.A", title="Ports")
    prog2 = ProgramFactory(work_area=area2, plan=plan, letter="A", code="2.A", title="Cyber")
    proj1 = ProjectFactory(program=prog1, plan=plan, number=1, code="1.A.1", title="Port audits")
    proj2 = ProjectFactory(program=prog1, plan=plan, number=2, code="1.A.2", title="Drills")
    proj3 = ProjectFactory(program=prog2, plan=plan, number=1, code="2.A.1", title="CSIRTs")
    return {
        "plan": plan,
        "areas": (area1, area2),
        "programs": (prog1, prog2),
        "projects": (proj1, proj2, proj3),
    }


@pytest.fixture
def make_target(tree) -> Callable[..., Any]:
    def make(code: str, quantity: int | None = 4, project: int = 0, **kwargs: Any):
        return TargetFactory(
            plan=tree["plan"],
            project=tree["projects"][project],
            code=code,
            quantity=quantity,
            **kwargs,
        )

    return make


@pytest.fixture
def make_event(tree) -> Callable[..., Event]:
    def make(
        targets: dict[Any, int] | list[Any],
        end: dt.date,
        status: str = "held",
        host: str | None = "JAM",
        beneficiaries: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> Event:
        kwargs.setdefault("start_date", end - dt.timedelta(days=1))
        event = EventFactory(
            plan=tree["plan"],
            end_date=end,
            status=status,
            host_state=MemberState.objects.get(code=host) if host else None,
            **kwargs,
        )
        pairs = targets.items() if isinstance(targets, dict) else ((t, 1) for t in targets)
        for target, units in pairs:
            EventTargetFactory(event=event, target=target, units=units)
        if beneficiaries:
            event.beneficiaries.set(MemberState.objects.filter(code__in=beneficiaries))
        return event

    return make
