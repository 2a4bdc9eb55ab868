"""Users with a role and scope, for the accounts, API and security tests."""

from __future__ import annotations

from typing import Any

from cicte.access.models import Membership, Role
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Program
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"


def user_with_role(
    role: Role | str | None,
    *,
    username: str | None = None,
    member_state: str | MemberState | None = None,
    programs: list[Program] | None = None,
    organization: Organization | None = None,
    **user_fields: Any,
) -> Any:
    """A user with the memberships of ``role`` (one per program for a program manager; none
    when role is None)."""
    kwargs: dict[str, Any] = dict(user_fields)
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    if role is None:
        return user
    if isinstance(member_state, str):
        member_state = MemberState.objects.get(code=member_state)
    add_memberships(
        user, role, member_state=member_state, programs=programs, organization=organization
    )
    return user


def add_memberships(
    user: Any,
    role: Role | str,
    *,
    member_state: str | MemberState | None = None,
    programs: list[Program] | None = None,
    organization: Organization | None = None,
) -> list[Membership]:
    """Give ``user`` the memberships of ``role`` in its scope (kept alongside others)."""
    if isinstance(member_state, str):
        member_state = MemberState.objects.get(code=member_state)
    role = Role(role)
    if role == Role.PROGRAM_MANAGER:
        scopes: list[dict[str, Any]] = [{"program": p} for p in programs or []]
    elif role == Role.POINT_OF_CONTACT:
        scopes = [{"member_state": member_state}]
    elif role == Role.DONOR:
        if organization is None:
            organization = Organization.objects.create(name=f"Donor organization of {user}")
        scopes = [{"organization": organization}]
    else:
        scopes = [{}]
    created = [Membership.objects.create(user=user, role=role, **scope) for scope in scopes]
    for attribute in ("_cicte_memberships",):
        if hasattr(user, attribute):
            delattr(user, attribute)
    return created
