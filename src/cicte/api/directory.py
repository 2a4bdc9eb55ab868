"""Member states and partner organizations (public data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cicte import search
from cicte.api.base import ERRORS, not_found
from cicte.directory.indexing import SCOPE as ORGANIZATION_SCOPE
from cicte.directory.models import MemberState, Organization

router = Router(tags=["directory"])


class MemberStateOut(Schema):
    code: str
    alpha2: str
    name: str
    subregion: str
    small_island_state: bool


class OrganizationOut(Schema):
    id: int
    name: str
    acronym: str
    group: str
    website: str


class OrganizationFilters(Schema):
    group: str | None = None
    search: str | None = Field(
        None,
        max_length=200,
        description="Words of the name, acronym or parent unit (accents and case ignored).",
    )
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class OrganizationPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[OrganizationOut]


@router.get(
    "/member-states", response={200: list[MemberStateOut], **ERRORS}, summary="Member states"
)
def member_state_list(request: HttpRequest, subregion: str | None = None) -> list[MemberState]:
    """The 35 OAS member states (names in the request's language)."""
    states = MemberState.objects.order_by("code")
    if subregion:
        states = states.filter(subregion=subregion)
    return list(states)


@router.get(
    "/member-states/{code}", response={200: MemberStateOut, **ERRORS}, summary="One member state"
)
def member_state_detail(request: HttpRequest, code: str) -> MemberState:
    state = MemberState.objects.filter(code=code.upper()[:3]).first()
    if state is None:
        raise not_found(f"No member state {code[:10]!r}.")
    return state


@router.get(
    "/organizations", response={200: OrganizationPageOut, **ERRORS}, summary="Organizations"
)
def organization_list(request: HttpRequest, filters: Query[OrganizationFilters]) -> dict[str, Any]:
    """Partner organizations and donors."""
    organizations = Organization.objects.order_by("name")
    if filters.group:
        organizations = organizations.filter(group=filters.group)
    if filters.search and filters.search.strip():
        # Name, acronym or parent unit (each word a word's beginning; accents and case
        # ignored); narrows the group filter above, keeps the order by name.
        organizations = search.narrow(organizations, ORGANIZATION_SCOPE, filters.search)
    limit = max(1, min(filters.limit, 500))
    offset = max(0, filters.offset)
    return {
        "total": organizations.count(),
        "limit": limit,
        "offset": offset,
        "items": list(organizations.order_by("name")[offset : offset + limit]),
    }
