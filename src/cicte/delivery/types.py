"""Plain data of delivery reads (no Django imports): the one read model of an event.

:func:`cicte.delivery.selectors.event_rows` fills :class:`EventRecord` for any queryset of
events; the API, the event export, the progress tables and the semi-annual report each
project it onto their own shape. Counts only, never personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple


class PartnerRef(NamedTuple):
    """A partner organization of an event."""

    id: int
    name: str
    acronym: str

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class TargetUnits(NamedTuple):
    """An event counts toward a target with a number of units."""

    target_id: int
    code: str
    units: int


@dataclass(slots=True)
class EventRecord:
    """One event with the codes of what it relates to (plan, states, partners, targets)."""

    id: int
    plan_id: int
    plan_symbol: str
    plan_year: int
    kind: str
    title: str
    start_date: dt.date
    end_date: dt.date
    modality: str
    city: str
    status: str
    host_state: str | None  # alpha-3
    participants_total: int
    participants_women: int
    participants_men: int
    cost: Decimal | None
    currency: str
    notes: str
    funding_source: str | None  # acronym, else name
    beneficiaries: list[str] = field(default_factory=list)  # alpha-3, by code
    partners: list[PartnerRef] = field(default_factory=list)  # by organization name
    targets: list[TargetUnits] = field(default_factory=list)  # in plan order
