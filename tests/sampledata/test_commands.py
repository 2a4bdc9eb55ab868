"""``cicte demo`` through call_command: deterministic, idempotent, resettable."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from cicte.delivery.models import Event, EventStatus
from cicte.sampledata.demo import DEMO_PREFIX

pytestmark = pytest.mark.django_db


def call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_demo_is_deterministic_idempotent_and_resettable(plan):
    out, _ = call("demo", "--plan", "2012")
    events = list(Event.objects.order_by("import_key"))
    assert events and all(e.title.startswith(DEMO_PREFIX) for e in events)
    assert all(e.notes.startswith(DEMO_PREFIX) for e in events)
    assert {e.status for e in events} >= {EventStatus.HELD}
    snapshot = [(e.import_key, e.title, e.start_date, e.status) for e in events]
    out, _ = call("demo", "--plan", "2012")
    assert "0 event(s) created" in out
    assert Event.objects.count() == len(events)
    real = Event.objects.create(
        plan=plan,
        kind="workshop",
        title="Real event",
        start_date=events[0].start_date,
        end_date=events[0].end_date,
    )
    out, _ = call("demo", "--reset")
    assert f"Removed {len(events)}" in out
    assert list(Event.objects.all()) == [real]
    call("demo", "--plan", "2012")
    again = [
        (e.import_key, e.title, e.start_date, e.status)
        for e in Event.objects.exclude(pk=real.pk).order_by("import_key")
    ]
    assert again == snapshot


def test_demo_needs_the_plan(db):
    with pytest.raises(CommandError, match="import-plan"):
        call("demo")
