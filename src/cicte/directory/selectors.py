"""Reads of the directory: member states by subregion, partners by group."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language

from cicte.directory.countries import country_name
from cicte.directory.models import MemberState, Organization, OrganizationGroup, Subregion


@dataclass
class StateRow:
    code: str
    name: str
    subregion: str
    subregion_label: str
    small_island_state: bool


@dataclass
class SubregionGroup:
    key: str
    label: str
    states: list[StateRow] = field(default_factory=list)


def member_state_list() -> list[SubregionGroup]:
    """The 35 member states grouped by subregion, names in the active language (1 query)."""
    language = get_language() or "en"
    groups = {key: SubregionGroup(key=key, label=str(label)) for key, label in Subregion.choices}
    for state in MemberState.objects.all():
        groups[state.subregion].states.append(
            StateRow(
                code=state.code,
                name=country_name(state.code, language),
                subregion=state.subregion,
                subregion_label=groups[state.subregion].label,
                small_island_state=state.small_island_state,
            )
        )
    for group in groups.values():
        group.states.sort(key=lambda s: s.name)
    return list(groups.values())


@dataclass
class PartnerGroupRows:
    key: str
    label: str
    organizations: list[Organization] = field(default_factory=list)


def partner_directory() -> list[PartnerGroupRows]:
    """Organizations that some plan lists as partners, grouped as the plan groups them."""
    groups = {
        key: PartnerGroupRows(key=key, label=str(label)) for key, label in OrganizationGroup.choices
    }
    for organization in Organization.objects.filter(plans__isnull=False).distinct():
        groups[organization.group].organizations.append(organization)
    return [g for g in groups.values() if g.organizations]
