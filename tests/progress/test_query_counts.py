"""The number of queries does not grow with the number of events or targets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cicte.core.periods import parse_period
from cicte.directory.models import MemberState
from cicte.progress import selectors
from tests.factories import CountryParticipationFactory, OrganizationFactory

STATUSES = ["held", "held", "planned", "confirmed", "postponed", "cancelled"]


@pytest.fixture
def populate(tree, make_target, make_event):
    """n targets spread over the three projects and 2n events spread over the year."""
    states = list(MemberState.objects.order_by("code"))
    partner = OrganizationFactory()

    def fill(n: int, prefix: str = "T") -> None:
        targets = []
        for i in range(n):
            quantity = None if i % 5 == 4 else 3
            funding = "to_be_identified" if i % 7 == 6 else "identified"
            targets.append(make_target(f"{prefix}{i}", quantity, project=i % 3, funding=funding))
        for i in range(2 * n):
            event = make_event(
                {targets[i % n]: 1 + i % 2, targets[(i + 1) % n]: 1},
                dt.date(2012, 1 + i % 12, 10),
                status=STATUSES[i % len(STATUSES)],
                host=states[i % 35].code,
                beneficiaries=(states[(i + 3) % 35].code, states[(i + 7) % 35].code),
            )
            event.partners.add(partner)
            CountryParticipationFactory(event=event, member_state=states[(i + 3) % 35])

    return fill


CASES = [
    ("plan_progress", lambda plan: selectors.plan_progress(plan=plan), 5),
    (
        "plan_progress filtered",
        lambda plan: selectors.plan_progress(
            plan=plan,
            period=parse_period("2012-H1"),
            work_area=1,
            program="1.A",
            member_state="BRB",
        ),
        5,
    ),
    ("plan_summary", lambda plan: selectors.plan_summary(plan=plan), 9),
    ("member_state_progress", lambda plan: selectors.member_state_progress(plan=plan), 8),
    # one query: the related codes aggregated in SQL (delivery.selectors.event_rows)
    ("events_planned_not_held", lambda plan: selectors.events_planned_not_held(plan=plan), 1),
    ("targets_without_delivery", lambda plan: selectors.targets_without_delivery(plan=plan), 5),
]


@pytest.mark.parametrize(("name", "call", "queries"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("size", [4, 40])
def test_selector_queries_are_constant(
    tree, populate, django_assert_num_queries, name, call, queries, size
):
    populate(size)
    with django_assert_num_queries(queries):
        result = call(tree["plan"])
    assert result is not None


@pytest.mark.parametrize("size", [4, 40])
def test_target_events_queries_are_constant(tree, populate, django_assert_num_queries, size):
    populate(size)
    from cicte.plan.models import Target

    target = Target.objects.get(plan=tree["plan"], code="T0")
    with django_assert_num_queries(2):  # the total, the page
        page = selectors.target_events(target=target, size=2)
    assert len(page.rows) == 2
    assert page.total > 2


@pytest.mark.parametrize("size", [4, 40])
def test_plan_progress_figures_scale(tree, populate, size):
    """Sanity check on the populated data: every held unit is counted once."""
    populate(size)
    progress = selectors.plan_progress(plan=tree["plan"])
    from cicte.delivery.models import EventTarget

    held_units = sum(
        EventTarget.objects.filter(event__status="held", target__plan=tree["plan"]).values_list(
            "units", flat=True
        )
    )
    assert sum(t.delivered for t in progress.targets) == held_units
    assert len(progress.targets) == size


def test_dashboard_queries_are_constant(staff_client, tree, populate, django_assert_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("workspace:dashboard")
    populate(4, "S")
    staff_client.get(url)  # warm the session and caches
    cache.clear()  # the blocks computed, not served (test_dashboard_cache.py: the cached path)
    with CaptureQueriesContext(connection) as small:
        assert staff_client.get(url, {"plan": tree["plan"].pk}).status_code == 200
    populate(40, "L")  # 11 times the targets and events
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        response = staff_client.get(url, {"plan": tree["plan"].pk})
    assert response.status_code == 200
    assert "L39" in response.content.decode()
