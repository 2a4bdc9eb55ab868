"""``event_rows``: the one read model of events (API, export, progress tables, report)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cicte.delivery.models import Event, EventTarget
from cicte.delivery.selectors import event_rows
from cicte.delivery.types import EventRecord, PartnerRef, TargetUnits
from cicte.directory.models import MemberState, Organization
from tests.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _add_events(plan, count: int, start: int = 0) -> None:
    """``count`` events, each with two beneficiaries, two partners and two targets."""
    states = list(MemberState.objects.order_by("code"))
    partners = [OrganizationFactory(name=f"Partner {i}", acronym="") for i in range(3)]
    targets = list(plan.targets.order_by("position"))
    for i in range(start, start + count):
        event = EventFactory(
            plan=plan, start_date=dt.date(2012, 1 + i % 12, 1), host_state=states[i % 35]
        )
        event.beneficiaries.add(states[(i + 1) % 35], states[(i + 2) % 35])
        event.partners.add(partners[i % 3], partners[(i + 1) % 3])
        for target in (targets[i % len(targets)], targets[(i + 1) % len(targets)]):
            EventTarget.objects.create(event=event, target=target, units=1 + i % 2)


def test_event_rows_query_count_does_not_grow_with_events(plan, django_assert_num_queries):
    """N and 5N events: one query (the related codes aggregated in SQL in the same row)."""
    _add_events(plan, 6)
    events = Event.objects.filter(plan=plan).order_by("start_date", "id")
    with django_assert_num_queries(1):
        assert len(event_rows(events)) == 6
    _add_events(plan, 24, start=6)
    with django_assert_num_queries(1):
        records = event_rows(events)
    assert len(records) == 30
    assert all(len(r.beneficiaries) == 2 for r in records)
    assert all(len(r.partners) == 2 for r in records)
    assert all(len(r.targets) == 2 for r in records)


def test_event_rows_reads_every_field_in_order(plan):
    jam, brb, tto = (MemberState.objects.get(code=c) for c in ("JAM", "BRB", "TTO"))
    cip = Organization.objects.get(acronym="CIP")
    icao = Organization.objects.get(acronym="ICAO")
    donor = OrganizationFactory(name="Donor State", acronym="")
    event = EventFactory(
        plan=plan,
        title="Port security workshop",
        kind="workshop",
        start_date=dt.date(2012, 3, 5),
        end_date=dt.date(2012, 3, 7),
        city="Kingston",
        host_state=jam,
        status="held",
        modality="national",
        participants_total=30,
        participants_women=12,
        participants_men=18,
        funding_source=donor,
        cost=Decimal("1500.50"),
        currency="USD",
        notes="Two days",
    )
    event.beneficiaries.add(tto, brb, jam)
    event.partners.add(icao, cip)
    second, first = plan.targets.get(code="1.A.1.b"), plan.targets.get(code="1.A.1.a")
    EventTarget.objects.create(event=event, target=second, units=2)
    EventTarget.objects.create(event=event, target=first, units=1)
    other = EventFactory(plan=plan, host_state=None, start_date=dt.date(2012, 1, 1))

    records = event_rows(Event.objects.filter(plan=plan).order_by("start_date"))

    assert [r.id for r in records] == [other.pk, event.pk]
    assert records[0] == EventRecord(
        id=other.pk,
        plan_id=plan.pk,
        plan_symbol=plan.symbol,
        plan_year=2012,
        kind=other.kind,
        title=other.title,
        start_date=other.start_date,
        end_date=other.end_date,
        modality=other.modality,
        city="",
        status="held",
        host_state=None,
        participants_total=0,
        participants_women=0,
        participants_men=0,
        funding_source=None,
        cost=None,
        currency="USD",
        notes="",
    )
    record = records[1]
    assert (record.plan_symbol, record.plan_year, record.host_state) == (
        "CICTE/doc.5/12 rev. 1",
        2012,
        "JAM",
    )
    assert record.beneficiaries == ["BRB", "JAM", "TTO"]  # by code
    assert record.partners == [  # by organization name
        PartnerRef(cip.pk, cip.name, "CIP"),
        PartnerRef(icao.pk, icao.name, "ICAO"),
    ]
    assert [p.short_name for p in record.partners] == ["CIP", "ICAO"]
    assert record.targets == [  # in plan order
        TargetUnits(first.pk, "1.A.1.a", 1),
        TargetUnits(second.pk, "1.A.1.b", 2),
    ]
    assert record.funding_source == "Donor State"  # no acronym: the name
    assert (record.cost, record.currency, record.notes) == (Decimal("1500.50"), "USD", "Two days")
    assert (record.participants_total, record.participants_women, record.participants_men) == (
        30,
        12,
        18,
    )


def test_event_rows_of_a_slice_and_of_nothing(plan, django_assert_num_queries):
    _add_events(plan, 8)
    events = Event.objects.filter(plan=plan).order_by("start_date", "id")
    expected = list(events.values_list("pk", flat=True))[2:5]
    page = event_rows(events[2:5])
    assert [r.id for r in page] == expected
    assert all(len(r.targets) == 2 for r in page)
    with django_assert_num_queries(1):  # no related query for an empty list
        assert event_rows(events.filter(pk=0)) == []


def test_event_rows_lists_an_event_once_through_a_relation(plan):
    _add_events(plan, 3)
    both = Event.objects.filter(beneficiaries__code__in=["ATG", "ARG", "BHS", "BRB", "BLZ"])
    ids = [r.id for r in event_rows(both)]
    assert len(ids) == len(set(ids)) == len(set(both.values_list("pk", flat=True)))
