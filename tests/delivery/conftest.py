"""Fixtures for delivery tests: a small plan built with factories (fast, independent of the
2012 plan parser); tests that need the real plan use ``plan_2012`` from tests/conftest.py."""

from __future__ import annotations

import pytest

from cicte.plan.models import PlanPartner
from tests.factories import (
    OrganizationFactory,
    ProgramFactory,
    ProjectFactory,
    TargetFactory,
    WorkAreaFactory,
    WorkPlanFactory,
)


@pytest.fixture
def plan(db):
    """Plan 2012 with targets 1.A.1.a (4 workshops), 1.A.1.b (2 missions),
    1.B.1.a (40 scholarships), 2.A.1.a (qualitative) and partners CIP and ICAO."""
    plan = WorkPlanFactory(symbol="CICTE/doc.5/12 rev. 1", year=2012, title="2012 Work Plan")
    area1 = WorkAreaFactory(plan=plan, number=1, title="Border controls")
    area2 = WorkAreaFactory(plan=plan, number=2, title="Legislative assistance")
    maritime = ProgramFactory(work_area=area1, letter="A", code="1.A", title="Maritime security")
    aviation = ProgramFactory(work_area=area1, letter="B", code="1.B", title="Aviation security")
    legal = ProgramFactory(work_area=area2, letter="A", code="2.A", title="Legislative assistance")
    ports = ProjectFactory(program=maritime, number=1, code="1.A.1", title="Port security")
    icao = ProjectFactory(program=aviation, number=1, code="1.B.1", title="Scholarships")
    laws = ProjectFactory(program=legal, number=1, code="2.A.1", title="Legislation")
    TargetFactory(
        project=ports,
        code="1.A.1.a",
        quantity=4,
        unit="Workshops",
        text="4 Workshops on port security",
        position=1,
    )
    TargetFactory(
        project=ports,
        code="1.A.1.b",
        quantity=2,
        unit="Missions",
        text="2 Technical missions",
        position=2,
    )
    TargetFactory(
        project=icao,
        code="1.B.1.a",
        quantity=40,
        unit="Scholarships",
        text="40 Scholarships for ICAO training courses",
        position=3,
    )
    TargetFactory(
        project=laws,
        code="2.A.1.a",
        quantity=None,
        unit="",
        text="Legislative assistance on request",
        position=4,
    )
    cip = OrganizationFactory(
        name="Executive Secretariat of the Inter-American Committee on Ports",
        acronym="CIP",
        group="oas_general_secretariat",
    )
    icao_org = OrganizationFactory(
        name="International Civil Aviation Organization", acronym="ICAO", group="international"
    )
    PlanPartner.objects.create(plan=plan, organization=cip, order=1)
    PlanPartner.objects.create(plan=plan, organization=icao_org, order=2)
    return plan


@pytest.fixture
def target(plan):
    return plan.targets.get(code="1.A.1.a")


@pytest.fixture
def other_plan_target(db):
    return TargetFactory(code="1.A.1.a")


@pytest.fixture
def officer(db, django_user_model):
    return django_user_model.objects.create_user(
        username="delivery-officer", password="a-long-test-password", is_staff=True
    )
