"""Who am I: the caller's role and scope (handy to check a token)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from cicte.accounts.permissions import (
    user_donor_organization,
    user_member_state,
    user_profile,
    user_role,
)
from cicte.api.base import ERRORS, caller

router = Router(tags=["accounts"])


class MeOut(Schema):
    authenticated: bool
    username: str | None
    role: str | None
    member_state: str | None
    programs: list[str]
    organization: str | None


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
    state = user_member_state(user)
    organization = user_donor_organization(user)
    profile = user_profile(user)
    programs = (
        sorted(profile.programs.values_list("code", flat=True))
        if profile is not None and role == "program_manager"
        else []
    )
    return {
        "authenticated": True,
        "username": user.get_username(),
        "role": role.value if role else None,
        "member_state": state.code if state else None,
        "programs": programs,
        "organization": organization.short_name if organization else None,
    }
