"""Progress on the real 2012 Work Plan (imported from its text)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from cicte.core.periods import parse_period
from cicte.delivery.models import EventTarget
from cicte.plan.models import Target
from cicte.progress.selectors import plan_progress
from tests.factories import EventFactory


def test_real_plan_without_events(plan_2012):
    progress = plan_progress(plan=plan_2012)
    targets = Target.objects.filter(plan=plan_2012)
    assert len(progress.targets) == targets.count() > 0
    assert [wa.number for wa in progress.work_areas] == sorted(
        plan_2012.work_areas.values_list("number", flat=True)
    )
    numeric = targets.filter(quantity__isnull=False).exclude(funding="to_be_identified")
    assert progress.quantity == sum(numeric.values_list("quantity", flat=True))
    assert progress.numeric == numeric.count()
    assert progress.unfunded == targets.filter(funding="to_be_identified").count()
    assert progress.delivered == 0
    assert progress.percent == 0.0
    for t in progress.targets:
        if t.kind == "quantitative":
            assert (t.percent, t.status) == (0.0, "not_started")
        else:
            assert t.percent is None
            assert t.status == t.kind


def test_real_plan_with_events(plan_2012, staff_client):
    target = (
        Target.objects.filter(plan=plan_2012, quantity__gt=1)
        .exclude(funding="to_be_identified")
        .order_by("position")
        .first()
    )
    assert target is not None
    held = EventFactory(plan=plan_2012, end_date=dt.date(2012, 6, 30), status="held")
    later = EventFactory(
        plan=plan_2012, start_date=dt.date(2012, 7, 1), end_date=dt.date(2012, 7, 1)
    )
    EventTarget.objects.create(event=held, target=target, units=1)
    EventTarget.objects.create(event=later, target=target, units=target.quantity)
    h1 = plan_progress(plan=plan_2012, period=parse_period("2012-H1"))
    row = next(t for t in h1.targets if t.code == target.code)
    assert row.delivered == 1
    assert row.percent == round(100 / target.quantity, 1)
    year = plan_progress(plan=plan_2012)
    row = next(t for t in year.targets if t.code == target.code)
    assert (row.delivered, row.status) == (target.quantity + 1, "achieved")
    assert row.percent > 100

    out = StringIO()
    call_command("progress", "--plan", "2012", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["plan"]["symbol"] == plan_2012.symbol
    assert {t["code"]: t["delivered"] for t in data["targets"]}[target.code] == target.quantity + 1

    response = staff_client.get(reverse("workspace:dashboard"))
    assert response.status_code == 200
    assert target.code in response.content.decode()
