"""``cicte demo`` on the real 2012 Work Plan."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from cicte.delivery.models import Event, EventKind, EventStatus, EventTarget


@pytest.mark.django_db
def test_demo_on_the_2012_plan(plan_2012):
    call_command("demo", stdout=io.StringIO())
    events = list(Event.objects.filter(plan=plan_2012))
    assert 60 <= len(events) <= 90
    assert all(e.title.startswith("[DEMO]") and e.notes.startswith("[DEMO]") for e in events)
    statuses = Counter(e.status for e in events)
    assert statuses[EventStatus.HELD] > len(events) / 2
    assert {EventStatus.PLANNED, EventStatus.CONFIRMED} & set(statuses)
    assert all(e.end_date.month > 6 for e in events if e.status != EventStatus.HELD)
    assert len({e.host_state_id for e in events if e.host_state_id}) >= 20
    numeric = plan_2012.targets.filter(quantity__isnull=False)
    held_units = Counter()
    for code, units in EventTarget.objects.filter(event__status=EventStatus.HELD).values_list(
        "target__code", "units"
    ):
        held_units[code] += units
    touched = {c for c in numeric.values_list("code", flat=True) if held_units[c]}
    assert len(touched) >= numeric.count() * 0.6
    assert any(held_units[t.code] > t.quantity for t in numeric)  # over-delivery
    scholarships = [e for e in events if e.kind == EventKind.SCHOLARSHIP]
    assert any(e.provider and e.provider.acronym == "ICAO" for e in scholarships)
    held = [e for e in events if e.status == EventStatus.HELD]
    assert all(e.participants_women + e.participants_men <= e.participants_total for e in held)
    assert sum(1 for e in held if e.country_participation.exists()) > len(held) / 2
