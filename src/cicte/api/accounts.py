"""Who am I: the caller's role and scope (handy to check a token)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cicte.access.permissions import (
    user_donor_organizations,
    user_member_states,
    user_memberships,
    user_program_ids,
    user_role,
)
from cicte.api.base import ERRORS, caller

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    member_state: str | None = None
    program: str | None = None
    organization: str | None = None


class MeOut(Schema):
    authenticated: bool
    username: str | None
    role: str | None = Field(None, description="The widest role held (see memberships).")
    member_state: str | None = Field(None, description="The first member state spoken for.")
    member_states: list[str] = []
    programs: list[str]
    organization: str | None
    memberships: list[MembershipOut] = []


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The caller's role and scope")
def me(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    if not user.is_authenticated:
        return {
            "authenticated": False,
            "username": None,
            "role": None,
            "member_state": None,
            "programs": [],
            "organization": None,
        }
    role = user_role(user)
    states = [state.code for state in user_member_states(user)]
    organizations = user_donor_organizations(user)
    program_ids = user_program_ids(user)
    memberships = user_memberships(user)
    return {
        "authenticated": True,
        "username": user.get_username(),
        "role": role.value if role else None,
        "member_state": states[0] if states else None,
        "member_states": states,
        "programs": sorted(
            m.program.code
            for m in memberships
            if m.program is not None and m.program_id in program_ids
        ),
        "organization": organizations[0].short_name if organizations else None,
        "memberships": [
            {
                "role": m.role,
                "member_state": m.member_state.code if m.member_state else None,
                "program": m.program.code if m.program else None,
                "organization": m.organization.short_name if m.organization else None,
            }
            for m in memberships
        ],
    }
