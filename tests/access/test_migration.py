"""Existing users keep their access: the user profiles of the first release become
memberships (one per program for a program manager), each with an audit record."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("accounts", "0002_remove_historicaluser_password"), ("access", None)]
AFTER = [("accounts", "0003_remove_userprofile"), ("access", "0002_from_profiles")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture(autouse=True)
def _back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_profiles_become_memberships():
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Profile = old.get_model("accounts", "UserProfile")
    Program = old.get_model("plan", "Program")
    WorkPlan = old.get_model("plan", "WorkPlan")
    WorkArea = old.get_model("plan", "WorkArea")
    MemberState = old.get_model("directory", "MemberState")
    plan = WorkPlan.objects.create(symbol="CICTE/doc.5/12 rev. 1", year=2012, title="Plan")
    area = WorkArea.objects.create(plan=plan, number=1, title="Area")
    programs = [
        Program.objects.create(plan=plan, work_area=area, letter=letter, code=f"1.{letter}")
        for letter in "AB"
    ]
    manager = User.objects.create(username="manager")
    Profile.objects.create(user=manager, role="program_manager").programs.set(programs)
    poc = User.objects.create(username="poc")
    Profile.objects.create(
        user=poc, role="point_of_contact", member_state=MemberState.objects.get(code="JAM")
    )
    officer = User.objects.create(username="officer")
    Profile.objects.create(user=officer, role="secretariat")
    new = _migrate(AFTER)
    Membership = new.get_model("access", "Membership")
    rows = sorted(
        Membership.objects.values_list(
            "user__username", "role", "member_state__code", "program__code"
        )
    )
    assert rows == [
        ("manager", "program_manager", None, "1.A"),
        ("manager", "program_manager", None, "1.B"),
        ("officer", "secretariat", None, None),
        ("poc", "point_of_contact", "JAM", None),
    ]
    history = new.get_model("access", "HistoricalMembership")
    assert (
        history.objects.filter(history_change_reason="migrated from the user's role").count() == 4
    )
