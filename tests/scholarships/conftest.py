"""The scholarships world: the real 2012 plan, ICAO (provider), a donor, Secretariat staff,
points of contact of Jamaica, Barbados, Trinidad and Tobago and Mexico, and a donor user.
The services' clock is set to 1 April 2012 (nominations close on 15 April 2012)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from cicte.access.models import Membership, Role
from cicte.directory.models import MemberState, Organization
from tests.plan_small import build_small_plan

PASSWORD = "a-long-test-password"
NOW = dt.datetime(2012, 4, 1, 12, 0, tzinfo=dt.UTC)


class Clock:
    """Stands in for ``django.utils.timezone`` inside the scholarships services."""

    def __init__(self, now: dt.datetime) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current

    def localdate(self) -> dt.date:
        return self.current.date()


@dataclass
class World:
    plan: Any
    icao: Any
    donor: Any
    users: dict[str, Any]
    clock: Clock

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


@pytest.fixture
def plan(request, db) -> Any:
    """The real 2012 plan for the "Done when" test; a small one built with factories (same
    target codes) for the rule tests."""
    if request.module.__name__.endswith("test_done_when"):
        return request.getfixturevalue("plan_2012")
    return build_small_plan()


@pytest.fixture
def world(plan, django_user_model, settings, tmp_path, monkeypatch) -> World:
    plan_2012 = plan
    settings.MEDIA_ROOT = tmp_path
    # Many users per test: a fast hasher (sign-in still checks the password).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CICTE_SITE_URL = "https://cicte.test"
    clock = Clock(NOW)
    monkeypatch.setattr("cicte.scholarships.services.timezone", clock)
    icao, _ = Organization.objects.get_or_create(
        name="International Civil Aviation Organization", defaults={"acronym": "ICAO"}
    )
    donor = Organization.objects.create(name="Government of Canada (test donor)", acronym="CAN-D")
    users: dict[str, Any] = {}
    staff = django_user_model.objects.create_user(
        username="officer", password=PASSWORD, email="officer@cicte.test"
    )
    Membership.objects.create(user=staff, role=Role.SECRETARIAT)
    users["officer"] = staff
    for code in ("JAM", "BRB", "TTO", "MEX"):
        user = django_user_model.objects.create_user(
            username=f"poc_{code.lower()}", password=PASSWORD, email=f"poc.{code.lower()}@gov.test"
        )
        Membership.objects.create(
            user=user, role=Role.POINT_OF_CONTACT, member_state=MemberState.objects.get(code=code)
        )
        users[f"poc_{code.lower()}"] = user
    follower = django_user_model.objects.create_user(username="donor", password=PASSWORD)
    Membership.objects.create(user=follower, role=Role.DONOR, organization=donor)
    users["donor"] = follower
    return World(plan_2012, icao, donor, users, clock)
