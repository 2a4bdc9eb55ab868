"""Fixtures of the journeys tests: one person per role, on the real 2012 Work Plan."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.access.models import Role
from cicte.core.types import SYSTEM
from cicte.delivery.models import EventStatus
from cicte.delivery.services import CountryRow, event_record
from cicte.directory.models import Organization
from tests.accounts.factories import PASSWORD, user_with_role

__all__ = ["PASSWORD"]


@pytest.fixture(scope="module", autouse=True)
def fast_passwords():
    """The journeys sign in through the real form many times: a fast hasher for the module."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def plan_2012(django_db_setup, django_db_blocker, plan_2012_document, fast_passwords):
    """The real 2012 Work Plan, imported once for the module inside a transaction that is
    rolled back at its end (each test runs in a savepoint within it, as usual)."""
    from django.db import transaction

    from cicte.plan.services import plan_import

    with django_db_blocker.unblock(), transaction.atomic():
        plan = plan_import(document=plan_2012_document, actor=SYSTEM).plan
        plan.people = _people(plan)
        yield plan
        transaction.set_rollback(True)


@pytest.fixture
def people(plan_2012, db):
    """A point of contact of Jamaica, a donor (the Government of Canada), a program manager
    of 1.A, a Secretariat officer and a user without a role (made once per module)."""
    return plan_2012.people


def _people(plan_2012):
    canada, _created = Organization.objects.get_or_create(name="Canada")  # directory/0003
    return {
        "contact": user_with_role(Role.POINT_OF_CONTACT, username="contact", member_state="JAM"),
        "donor": user_with_role(Role.DONOR, username="donor", organization=canada),
        "manager": user_with_role(
            Role.PROGRAM_MANAGER,
            username="manager",
            programs=[plan_2012.programs.get(code="1.A")],
        ),
        "officer": user_with_role(Role.SECRETARIAT, username="officer"),
        "nobody": user_with_role(None, username="nobody"),
    }


def held_event(plan, *, code="1.A.3.a", units=1, **values):
    """A held event toward ``code`` (Jamaica benefits, 5 of its 20 participants came)."""
    defaults = {
        "kind": "workshop",
        "title": "Maritime drills workshop",
        "start_date": dt.date(2012, 3, 5),
        "end_date": dt.date(2012, 3, 7),
        "status": EventStatus.HELD,
        "beneficiaries": ["JAM", "BRB"],
        "host_state": None,
        "participants_total": 20,
        "participants_women": 9,
        "participants_men": 11,
        "country_participation": [CountryRow("JAM", 2, 3, 0)],
    }
    defaults.update(values)
    return event_record(
        actor=SYSTEM, plan=plan, targets=[(plan.targets.get(code=code), units)], **defaults
    )
