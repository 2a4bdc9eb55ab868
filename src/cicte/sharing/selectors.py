"""Reads of the sharing layer that depend on who asks: members (or only their count) and the
directory (contact data for vetted members only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cicte.sharing import permissions
from cicte.sharing.models import (
    Community,
    CommunityMembership,
    MembershipStatus,
    SharingOrganisation,
)


@dataclass(frozen=True)
class MemberRow:
    name: str
    organisation: str
    role: str


@dataclass(frozen=True)
class CommunityView:
    community: Community
    member_count: int
    members: list[MemberRow] | None  # None: hidden from this reader (a count only)
    is_member: bool


def community_view(actor: Any, community: Community) -> CommunityView:
    active = CommunityMembership.objects.filter(
        community=community, status=MembershipStatus.ACTIVE
    ).select_related("user", "organisation")
    members = None
    if permissions.can_see_members(actor, community):
        members = [
            MemberRow(m.user.get_full_name() or m.user.get_username(), m.organisation.name, m.role)
            for m in active
        ]
    return CommunityView(
        community, active.count(), members, permissions.is_member(actor, community)
    )


def communities_for(actor: Any) -> list[CommunityView]:
    return [community_view(actor, c) for c in Community.objects.select_related("host")]


@dataclass(frozen=True)
class OrganisationRow:
    pk: int
    name: str
    kind: str
    country: str
    sector: str
    contact: dict[str, str] | None  # None unless the reader is vetted
    key_warning: str


def organisations_for(actor: Any) -> list[OrganisationRow]:
    """The directory as ``actor`` may see it: vetted members see every organisation with its
    contact data and key; others see only the organisations listed publicly, by name."""
    vetted = permissions.is_vetted(actor)
    organisations = SharingOrganisation.objects.select_related("country")
    if not vetted:
        organisations = organisations.filter(listed_publicly=True)
    rows = []
    for o in organisations:
        contact = None
        if vetted:
            contact = {
                "email": o.email,
                "phone": o.phone,
                "website": o.website,
                "pgp_fingerprint": o.pgp_fingerprint,
                "pgp_uid": o.pgp_uid,
                "pgp_expires": o.pgp_expires.isoformat() if o.pgp_expires else "",
            }
        rows.append(
            OrganisationRow(
                o.pk,
                o.name,
                o.get_kind_display() if vetted else "",
                o.country.code if (vetted and o.country) else "",
                o.get_sector_display() if vetted else "",
                contact,
                o.key_warning() if vetted else "",
            )
        )
    return rows


def pending_requests(actor: Any) -> list[CommunityMembership]:
    """Membership requests the actor decides (the Secretariat) or sponsors."""
    qs = CommunityMembership.objects.filter(status=MembershipStatus.REQUESTED).select_related(
        "community", "user", "organisation"
    )
    if permissions.can_manage_communities(actor):
        return list(qs)
    user_id = getattr(actor, "pk", None)
    return list(qs.filter(sponsorships__sponsor_id=user_id).distinct())
