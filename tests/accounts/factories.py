"""Users with a role and scope, for the accounts, API and security tests."""

from __future__ import annotations

from typing import Any

from cicte.accounts.models import Role, UserProfile
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
    """A user with a profile of ``role`` (no profile when role is None)."""
    kwargs: dict[str, Any] = dict(user_fields)
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    if role is None:
        return user
    if isinstance(member_state, str):
        member_state = MemberState.objects.get(code=member_state)
    profile = UserProfile.objects.create(
        user=user, role=role, member_state=member_state, organization=organization
    )
    if programs:
        profile.programs.set(programs)
    return user
