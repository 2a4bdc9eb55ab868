"""Shared fixtures. The real 2012 Work Plan is the first fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

PLAN_2012 = Path(__file__).resolve().parent.parent / "src/cicte/plan/fixtures/2012-work-plan.txt"


@pytest.fixture(scope="session")
def plan_2012_document():
    """The parsed 2012 Work Plan (plain data, parsed once per session)."""
    from cicte.plan.parsing.canonical import load_plan_file

    return load_plan_file(PLAN_2012).plan


@pytest.fixture
def plan_2012(db, plan_2012_document):
    """The 2012 Work Plan imported into the test database."""
    from cicte.plan.services import plan_import

    return plan_import(document=plan_2012_document).plan


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="officer", password="a-long-test-password", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
