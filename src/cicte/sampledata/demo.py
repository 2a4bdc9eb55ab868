"""A deterministic, clearly labelled sample of 2012 events (``cicte demo``).

Every demo event has a title and notes starting with ``[DEMO]`` and an ``import_key``
starting with ``demo-``, so re-running adds nothing and ``--reset`` removes only them.
The events are written through ``event_record`` like any other.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cicte.core.types import Actor
from cicte.delivery.models import Event, EventKind, EventStatus, Modality
from cicte.delivery.services import (
    CountryRow,
    event_record,
    events_delete_matching,
)
from cicte.directory.countries import country_name
from cicte.directory.data import MEMBER_STATES
from cicte.directory.models import MemberState, Organization
from cicte.directory.services import organization_create
from cicte.plan.models import Funding, Target, WorkPlan

DEMO_PREFIX = "[DEMO]"
DEMO_KEY_PREFIX = "demo-"
SEED = 2012
DEMO_TODAY = dt.date(2012, 10, 15)  # the sample reads as if seen in mid-October 2012

CITIES = {
    "ATG": "St. John's", "ARG": "Buenos Aires", "BHS": "Nassau", "BRB": "Bridgetown",
    "BLZ": "Belmopan", "BOL": "La Paz", "BRA": "Brasília", "CAN": "Ottawa",
    "CHL": "Santiago", "COL": "Bogotá", "CRI": "San José", "CUB": "Havana",
    "DMA": "Roseau", "DOM": "Santo Domingo", "ECU": "Quito", "SLV": "San Salvador",
    "GRD": "St. George's", "GTM": "Guatemala City", "GUY": "Georgetown",
    "HTI": "Port-au-Prince", "HND": "Tegucigalpa", "JAM": "Kingston",
    "MEX": "Mexico City", "NIC": "Managua", "PAN": "Panama City", "PRY": "Asunción",
    "PER": "Lima", "KNA": "Basseterre", "LCA": "Castries", "VCT": "Kingstown",
    "SUR": "Paramaribo", "TTO": "Port of Spain", "USA": "Washington, D.C.",
    "URY": "Montevideo", "VEN": "Caracas",
}  # fmt: skip

_KIND_WORDS = (
    ("scholarship", EventKind.SCHOLARSHIP),
    ("evaluation", EventKind.EVALUATION),
    ("assessment", EventKind.NEEDS_ASSESSMENT),
    ("mission", EventKind.MISSION),
    ("exercise", EventKind.EXERCISE),
    ("cme", EventKind.EXERCISE),
    ("simulation", EventKind.EXERCISE),
    ("course", EventKind.COURSE),
    ("training", EventKind.COURSE),
    ("workshop", EventKind.WORKSHOP),
    ("roundtable", EventKind.MEETING),
    ("meeting", EventKind.MEETING),
    ("conference", EventKind.MEETING),
)
_MODALITY_WORDS = (
    ("bi-national", Modality.BINATIONAL),
    ("binational", Modality.BINATIONAL),
    ("sub-regional", Modality.SUBREGIONAL),
    ("subregional", Modality.SUBREGIONAL),
    ("regional", Modality.REGIONAL),
    ("national", Modality.NATIONAL),
    ("virtual", Modality.VIRTUAL),
)


class DemoError(Exception):
    pass


@dataclass
class DemoResult:
    created: int
    existing: int
    targets_used: int


def _kind_for(text: str) -> str:
    lowered = text.casefold()
    for word, kind in _KIND_WORDS:
        if word in lowered:
            return kind
    return EventKind.OTHER


def _modality_for(text: str, rng: random.Random) -> str:
    lowered = text.casefold()
    for word, modality in _MODALITY_WORDS:
        if word in lowered:
            return modality
    return rng.choice([Modality.NATIONAL, Modality.NATIONAL, Modality.SUBREGIONAL])


@dataclass
class _Planned:
    target: Target
    kind: str
    modality: str
    units: int
    force_held: bool = False


def _plan_events(targets: list[Target], rng: random.Random) -> list[_Planned]:
    """Which events to create: a share of each numeric target, one target over-delivered."""
    numeric = [t for t in targets if t.quantity and t.funding != Funding.TO_BE_IDENTIFIED]
    planned: list[_Planned] = []
    over = next((t for t in numeric if 2 <= (t.quantity or 0) <= 3), None)
    skipped = {t.pk for t in numeric[3::9]}  # a few targets stay untouched ("nothing yet")
    for target in numeric:
        if target.pk in skipped and target is not over:
            continue
        label = f"{target.unit} {target.text}"
        kind = _kind_for(label)
        quantity = target.quantity or 1
        if kind == EventKind.SCHOLARSHIP:
            awards = [rng.randint(2, 5) for _ in range(min(4, max(1, quantity // 5)))]
            planned += [_Planned(target, kind, Modality.VIRTUAL, n) for n in awards]
            continue
        if target is over:
            count = quantity + 1
        else:
            count = max(1, min(4, round(quantity * rng.uniform(0.35, 0.85))))
        planned += [
            _Planned(target, kind, _modality_for(label, rng), 1, force_held=target is over)
            for _ in range(count)
        ]
    return planned


def _dates(index: int, total: int, rng: random.Random, kind: str) -> tuple[dt.date, dt.date]:
    day = dt.date(2012, 1, 16) + dt.timedelta(days=int(330 * index / max(total, 1)))
    day += dt.timedelta(days=rng.randint(-6, 6))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    lengths: dict[str, int] = {
        EventKind.COURSE: 4,
        EventKind.WORKSHOP: 2,
        EventKind.EXERCISE: 1,
        EventKind.MISSION: 2,
        EventKind.SCHOLARSHIP: 9,
    }
    length = lengths.get(kind, 1)
    return day, min(day + dt.timedelta(days=length), dt.date(2012, 12, 20))


def _status(end: dt.date, rng: random.Random) -> str:
    if end.month <= 6:
        return EventStatus.HELD
    if end <= DEMO_TODAY:
        draw = rng.random()
        if draw < 0.05:
            return EventStatus.POSTPONED
        if draw < 0.1:
            return EventStatus.CANCELLED
        return EventStatus.HELD
    return rng.choice(
        [
            EventStatus.PLANNED,
            EventStatus.CONFIRMED,
            EventStatus.CONFIRMED,
            EventStatus.POSTPONED,
            EventStatus.CANCELLED,
        ]
    )


def demo_load(*, actor: Actor, plan: WorkPlan) -> DemoResult:
    """Create the demo events for ``plan`` (idempotent)."""
    targets = list(
        Target.objects.filter(plan=plan).select_related("project__program").order_by("position")
    )
    if not targets:
        raise DemoError(
            _("The plan %(symbol)s has no targets: import the plan first.")
            % {"symbol": plan.symbol}
        )
    rng = random.Random(SEED)  # noqa: S311 - sample data, not security
    planned = _plan_events(targets, rng)
    rng.shuffle(planned)  # spread every target's events over the year
    states = {s.code: s for s in MemberState.objects.all()}
    by_subregion: dict[str, list[str]] = {}
    for code, _alpha2, subregion, _sids in MEMBER_STATES:
        by_subregion.setdefault(subregion, []).append(code)
    partners = list(plan.partners.order_by("planpartner__order"))
    existing_keys = set(
        Event.objects.filter(import_key__startswith=DEMO_KEY_PREFIX).values_list(
            "import_key", flat=True
        )
    )
    created = 0
    with transaction.atomic():
        icao = Organization.objects.filter(acronym__iexact="ICAO").first()
        if icao is None and any(_is_icao(p) for p in planned):
            icao = organization_create(
                actor=actor, name="International Civil Aviation Organization", acronym="ICAO"
            )
        for index, item in enumerate(planned):
            key = f"{DEMO_KEY_PREFIX}{plan.year}-{index:03d}"
            # Draw every random value even for existing events, so the sequence stays stable.
            host = rng.choice(sorted(states))
            start, end = _dates(index, len(planned), rng, item.kind)
            status = _status(end, rng)
            if item.force_held:  # the over-delivered target: every event held
                if end > DEMO_TODAY:
                    start, end = start - dt.timedelta(days=182), end - dt.timedelta(days=182)
                status = EventStatus.HELD
            region = by_subregion[states[host].subregion]
            if item.modality in (Modality.SUBREGIONAL, Modality.REGIONAL):
                pool = region if item.modality == Modality.SUBREGIONAL else sorted(states)
                beneficiaries = sorted(set(rng.sample(pool, min(len(pool), rng.randint(3, 6)))))
                beneficiaries = sorted({host, *beneficiaries})
            elif item.modality == Modality.BINATIONAL:
                beneficiaries = sorted({host, rng.choice(region)})
            else:
                beneficiaries = [host]
            total = rng.randint(14, 42) if item.kind != EventKind.SCHOLARSHIP else item.units
            women = round(total * rng.uniform(0.25, 0.55))
            men = total - women - (rng.randint(0, 3) if total > 20 else 0)
            chosen_partners = rng.sample(partners, min(len(partners), rng.randint(0, 2)))
            cost = Decimal(rng.randrange(6_000, 65_000, 250))
            if key in existing_keys:
                continue
            country_rows = _country_rows(beneficiaries, women, men, total - women - men)
            held = status == EventStatus.HELD
            kind_label = str(EventKind(item.kind).label)
            place = country_name(host, "en")
            title = f"{DEMO_PREFIX} {kind_label}: {item.target.project.program.title.title()}"
            title += f" ({place})" if item.modality != Modality.VIRTUAL else " (virtual)"
            event_record(
                actor=actor,
                plan=plan,
                kind=item.kind,
                title=title[:300],
                start_date=start,
                end_date=end,
                targets=[(item.target, item.units)],
                status=status,
                modality=item.modality,
                city="" if item.modality == Modality.VIRTUAL else CITIES.get(host, ""),
                host_state=None if item.modality == Modality.VIRTUAL else states[host],
                beneficiaries=[states[c] for c in beneficiaries],
                participants_total=total if held else 0,
                participants_women=women if held else 0,
                participants_men=men if held else 0,
                country_participation=country_rows if held else [],
                partners=chosen_partners,
                cost=cost,
                currency="USD",
                notes=f"{DEMO_PREFIX} Sample event generated by 'cicte demo'; not a real delivery.",
                course=item.target.project.title[:300]
                if item.kind == EventKind.SCHOLARSHIP
                else "",
                provider=icao if _is_icao(item) else None,
                import_key=key,
            )
            created += 1
    return DemoResult(
        created=created,
        existing=len(planned) - created,
        targets_used=len({p.target.pk for p in planned}),
    )


def _is_icao(item: _Planned) -> bool:
    return item.kind == EventKind.SCHOLARSHIP and "icao" in item.target.project.title.casefold()


def _country_rows(codes: list[str], women: int, men: int, not_stated: int) -> list[CountryRow]:
    """Split participants over the beneficiary states (first states get the remainder)."""
    rows = []
    n = len(codes)
    for i, code in enumerate(codes):
        w = women // n + (1 if i < women % n else 0)
        m = men // n + (1 if i < men % n else 0)
        x = not_stated // n + (1 if i < not_stated % n else 0)
        if w or m or x:
            rows.append(CountryRow(code, w, m, x))
    return rows


def demo_reset(*, actor: Actor) -> int:
    """Delete the demo events only (title ``[DEMO]…`` and key ``demo-…``)."""
    return events_delete_matching(
        actor=actor,
        query=Q(import_key__startswith=DEMO_KEY_PREFIX, title__startswith=DEMO_PREFIX),
    )
