"""Reads of the directory: member states by subregion (the partners of the plans are read
by :func:`cicte.plan.selectors.partner_directory`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language

from cicte.directory.countries import country_name
from cicte.directory.models import MemberState, Organization, Subregion


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


def organization_lookup() -> dict[str, Organization]:
    """Every organization by case-folded name and acronym (names win over acronyms)."""
    index: dict[str, Organization] = {}
    organizations = list(Organization.objects.all())
    for organization in organizations:
        if organization.acronym:
            index.setdefault(organization.acronym.casefold(), organization)
    for organization in organizations:
        index[organization.name.casefold()] = organization
    return index
