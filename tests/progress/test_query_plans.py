"""Guards of the event pages (issue 16): every query of the dashboard filtered by one member
state, the target page, the member-state page, the events list and the API event list reads
the events table through an index (``EXPLAIN``: no full scan), and each page runs the same
number of queries at N and 5N events."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from cicte.directory.models import MemberState
from tests.factories import OrganizationFactory

# The events table and its aliases in Django's subqueries ("delivery_event" U0).
_ALIASES = re.compile(r'"delivery_event"(?: AS)? "?(U\d+|T\d+)"?')


def _pages(tree: dict[str, Any], target_pk: int) -> dict[str, tuple[str, dict[str, str]]]:
    plan = str(tree["plan"].pk)
    return {
        "dashboard": (
            reverse("workspace:dashboard"),
            {"plan": plan, "period": "2012-H1", "member_state": "JAM"},
        ),
        "target": (reverse("workspace:target", args=[target_pk]), {}),
        "member state": (reverse("workspace:member-state", args=["JAM"]), {"plan": plan}),
        "events list": (reverse("workspace:event-list"), {"plan": plan, "member_state": "JAM"}),
        "API event list": ("/api/events", {"member_state": "JAM", "limit": "20"}),
    }


@pytest.fixture
def populate(tree, make_target, make_event) -> Callable[[int], Any]:
    states = list(MemberState.objects.order_by("code"))
    partner = OrganizationFactory()
    targets: list[Any] = []

    def fill(n: int) -> Any:
        if not targets:
            targets.extend(make_target(f"T{i}", 5, project=i % 3) for i in range(3))
        for i in range(n):
            event = make_event(
                {targets[i % 3]: 1, targets[(i + 1) % 3]: 2},
                dt.date(2012, 1 + i % 12, 10),
                status=("held", "planned", "held", "cancelled")[i % 4],
                host=states[i % 35].code if i % 3 else "JAM",
                beneficiaries=(states[(i + 5) % 35].code, "JAM") if i % 2 else (),
            )
            event.partners.add(partner)
        return targets[0]

    return fill


@contextmanager
def _recorded() -> Any:
    """Every (sql, params) the block sends to the database."""
    seen: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _full_scans_of_events(sql: str, params: Any) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny test tables make a sequential scan the cheapest plan; forbid it, so that
            # a Seq Scan left in the plan means that no index can serve the query.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            lines = [str(row[0]) for row in cursor.fetchall()]
            cursor.execute("SET LOCAL enable_seqscan = on")
            return [line for line in lines if re.search(r"Seq Scan on delivery_event\b", line)]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        lines = [str(row[-1]) for row in cursor.fetchall()]
    names = {"delivery_event", *_ALIASES.findall(sql)}
    scans = []
    for line in lines:
        match = re.match(r"SCAN (\S+)", line.strip())
        if match and match.group(1) in names:
            scans.append(line)
    return scans


@pytest.mark.parametrize(
    "page", ["dashboard", "target", "member state", "events list", "API event list"]
)
def test_no_full_scan_of_the_events_table(staff_client, tree, populate, page):
    target = populate(12)
    url, params = _pages(tree, target.pk)[page]
    with _recorded() as queries:
        assert staff_client.get(url, params).status_code == 200
    on_events = [(sql, p) for sql, p in queries if "delivery_event" in sql]
    assert on_events, "the page reads no event"
    for sql, p in on_events:
        scans = _full_scans_of_events(sql, p)
        assert not scans, f"{page}: a full scan of the events table\n{scans}\n{sql}"


@pytest.mark.parametrize(
    "page", ["dashboard", "target", "member state", "events list", "API event list"]
)
def test_query_count_is_constant_in_the_number_of_events(
    staff_client, tree, populate, django_assert_num_queries, page
):
    target = populate(6)
    url, params = _pages(tree, target.pk)[page]
    staff_client.get(url, params)  # warm the session
    cache.clear()  # measure the uncached path (the API list is cached per data version)
    with _recorded() as small:
        first = staff_client.get(url, params)
    assert first.status_code == 200
    populate(24)  # 5N events
    cache.clear()
    with django_assert_num_queries(len(small)):
        assert staff_client.get(url, params).status_code == 200
