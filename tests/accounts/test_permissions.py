"""The role model: permission functions and django-rules permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from cicte.access import permissions as p
from cicte.access.models import Role
from cicte.delivery import permissions as dp
from cicte.directory.models import MemberState
from tests.accounts.factories import user_with_role
from tests.factories import EventFactory, EventTargetFactory, ProgramFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory()


@pytest.fixture
def other_program(program):
    return ProgramFactory(work_area=program.work_area, letter="B", plan=program.plan)


@pytest.fixture
def users(program):
    return {
        "anonymous": AnonymousUser(),
        "no_role": user_with_role(None, username="norole"),
        "legacy_staff": user_with_role(None, username="legacy", is_staff=True),
        "superuser": user_with_role(None, username="root", is_superuser=True, is_staff=True),
        "admin": user_with_role(Role.ADMINISTRATOR, username="admin1"),
        "secretariat": user_with_role(Role.SECRETARIAT, username="sec"),
        "manager": user_with_role(Role.PROGRAM_MANAGER, username="pm", programs=[program]),
        "poc": user_with_role(Role.POINT_OF_CONTACT, username="poc", member_state="JAM"),
        "donor": user_with_role(Role.DONOR, username="donor"),
    }


def test_user_role_and_is_secretariat(users):
    expected = {
        "anonymous": (None, False),
        "no_role": (None, False),
        "legacy_staff": (Role.SECRETARIAT, True),
        "superuser": (Role.ADMINISTRATOR, True),
        "admin": (Role.ADMINISTRATOR, True),
        "secretariat": (Role.SECRETARIAT, True),
        "manager": (Role.PROGRAM_MANAGER, True),
        "poc": (Role.POINT_OF_CONTACT, False),
        "donor": (Role.DONOR, False),
    }
    for key, (role, secretariat) in expected.items():
        assert p.user_role(users[key]) == role, key
        assert p.is_secretariat(users[key]) is secretariat, key


def test_inactive_user_has_no_role(users):
    user = users["secretariat"]
    user.is_active = False
    assert p.user_role(user) is None
    assert not p.is_secretariat(user)


def test_user_member_state_only_for_points_of_contact(users):
    assert p.user_member_state(users["poc"]) == MemberState.objects.get(code="JAM")
    for key in ("anonymous", "no_role", "admin", "secretariat", "manager", "donor"):
        assert p.user_member_state(users[key]) is None, key


def test_can_edit_program(users, program, other_program):
    assert p.can_edit_program(users["manager"], program)
    assert not p.can_edit_program(users["manager"], other_program)
    assert p.can_edit_program(users["secretariat"], other_program)
    assert p.can_edit_program(users["admin"], other_program)
    for key in ("anonymous", "no_role", "poc", "donor"):
        assert not p.can_edit_program(users[key], program), key


def test_can_edit_event(users, program, other_program):
    mine = EventTargetFactory(target=TargetFactory(project__program=program)).event
    theirs = EventTargetFactory(target=TargetFactory(project__program=other_program)).event
    assert dp.can_edit_event(users["manager"], mine)
    assert not dp.can_edit_event(users["manager"], theirs)
    assert dp.can_edit_event(users["secretariat"], theirs)
    for key in ("anonymous", "no_role", "poc", "donor"):
        assert not dp.can_edit_event(users[key], mine), key


def test_can_view_member_state(users):
    assert p.can_view_member_state(users["poc"], "JAM")
    assert p.can_view_member_state(users["poc"], "jam")
    assert not p.can_view_member_state(users["poc"], "BRB")
    assert p.can_view_member_state(users["secretariat"], "BRB")
    assert not p.can_view_member_state(users["anonymous"], "JAM")
    assert not p.can_view_member_state(users["donor"], "JAM")


def test_can_see_personal_data(users):
    hosted = EventFactory(host_state=MemberState.objects.get(code="JAM"))
    elsewhere = EventFactory(host_state=MemberState.objects.get(code="BRB"))
    beneficiary = EventFactory(host_state=MemberState.objects.get(code="BRB"))
    beneficiary.beneficiaries.add(MemberState.objects.get(code="JAM"))
    assert dp.can_see_personal_data(users["secretariat"])
    assert dp.can_see_personal_data(users["manager"], elsewhere)
    assert dp.can_see_personal_data(users["poc"], hosted)
    assert dp.can_see_personal_data(users["poc"], beneficiary)
    assert not dp.can_see_personal_data(users["poc"], elsewhere)
    assert not dp.can_see_personal_data(users["poc"])
    for key in ("anonymous", "no_role", "donor"):
        assert not dp.can_see_personal_data(users[key], hosted), key


def test_rules_permissions(users, program, other_program):
    assert users["manager"].has_perm("cicte.edit_program", program)
    assert not users["manager"].has_perm("cicte.edit_program", other_program)
    assert users["secretariat"].has_perm("cicte.use_workspace")
    assert not users["poc"].has_perm("cicte.use_workspace")
    assert users["admin"].has_perm("cicte.manage_users")
    assert not users["secretariat"].has_perm("cicte.manage_users")
    assert users["poc"].has_perm("cicte.view_member_state", "JAM")
    assert not users["poc"].has_perm("cicte.view_member_state", "BRB")
