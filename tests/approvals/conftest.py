"""The approvals world: the real 2012 plan, a program manager of 1.B, another of 1.A,
Secretariat staff and an administrator, one held 1.B event and one 1.A event in 2012-H1."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.access.models import Membership, Role
from cicte.core.types import SYSTEM
from cicte.delivery.services import event_record
from cicte.plan.models import Program
from cicte.reports.services import narrative_save
from tests.plan_small import build_small_plan

PASSWORD = "a-long-test-password"


@dataclass
class World:
    plan: Any
    programs: dict[str, Any]
    users: dict[str, Any]
    events: dict[str, Any] = field(default_factory=dict)

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        if name == "admin":  # administrators sign in with a second factor
            device = TOTPDevice.objects.get_or_create(user=self.users[name], name="app")[0]
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    def target(self, code: str) -> Any:
        return self.plan.targets.get(code=code)


def make_users(django_user_model: Any, programs: dict[str, Any]) -> dict[str, Any]:
    users = {}
    for name, role, scope in (
        ("pm_b", Role.PROGRAM_MANAGER, programs["1.B"]),
        ("pm_a", Role.PROGRAM_MANAGER, programs["1.A"]),
        ("secretariat", Role.SECRETARIAT, None),
        ("admin", Role.ADMINISTRATOR, None),
    ):
        user = django_user_model.objects.create_user(
            username=name, password=PASSWORD, email=f"{name}@cicte.test"
        )
        Membership.objects.create(user=user, role=role, program=scope)
        users[name] = user
    return users


@pytest.fixture
def plan(request, db) -> Any:
    """The real 2012 plan for the "Done when" tests and the browser journey; a small one
    built with factories (same codes) for the others."""
    if request.module.__name__.endswith(("test_done_when", "test_browser_journey")):
        return request.getfixturevalue("plan_2012")
    return build_small_plan()


@pytest.fixture
def world(plan, django_user_model, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    # Many users per test: a fast hasher (sign-in still checks the password).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    plan_2012 = plan
    programs = {p.code: p for p in Program.objects.filter(plan=plan_2012)}
    world = World(plan_2012, programs, make_users(django_user_model, programs))
    world.events["b"] = event_record(
        actor=SYSTEM,
        plan=plan_2012,
        kind="workshop",
        title="Aviation security workshop Kingston",
        start_date=dt.date(2012, 3, 1),
        end_date=dt.date(2012, 3, 2),
        status="held",
        host_state=None,
        participants_total=20,
        participants_women=9,
        participants_men=11,
        targets=[(world.target("1.B.1.a"), 1)],
    )
    world.events["a"] = event_record(
        actor=SYSTEM,
        plan=plan_2012,
        kind="workshop",
        title="Port security workshop",
        start_date=dt.date(2012, 4, 1),
        end_date=dt.date(2012, 4, 2),
        status="held",
        targets=[(world.target("1.A.1.a"), 1)],
    )
    narrative_save(
        actor=SYSTEM, program=programs["1.B"], period="2012-H1", text="Aviation went well."
    )
    return world
