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
class PartnerRow:
    name: str
    acronym: str
    parent_unit: str
    units: list[str] = field(default_factory=list)


@dataclass
class PartnerGroupRows:
    key: str
    label: str
    organizations: list[PartnerRow] = field(default_factory=list)


def partner_directory() -> list[PartnerGroupRows]:
    """Organizations that a public plan lists as partners, grouped as the plan groups them,
    each with the sub-units the newest such plan names (1 query)."""
    from cicte.plan.models import PlanPartner, PlanStatus

    groups = {
        key: PartnerGroupRows(key=key, label=str(label)) for key, label in OrganizationGroup.choices
    }
    seen: set[int] = set()
    links = (
        PlanPartner.objects.exclude(plan__status=PlanStatus.DRAFT)
        .select_related("organization")
        .order_by("-plan__year", "order")
    )
    rows: list[tuple[str, PartnerRow]] = []
    for link in links:
        organization: Organization = link.organization
        if organization.pk in seen:
            continue
        seen.add(organization.pk)
        rows.append(
            (
                organization.group,
                PartnerRow(
                    name=organization.name,
                    acronym=organization.acronym,
                    parent_unit=organization.parent_unit,
                    units=list(link.units),
                ),
            )
        )
    for group, row in sorted(rows, key=lambda item: item[1].name.casefold()):
        groups[group].organizations.append(row)
    return [g for g in groups.values() if g.organizations]


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
