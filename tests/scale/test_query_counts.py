"""Query-count guards: every page and API list runs the same number of SQL queries with N and
with 5N events (no N+1 queries). Data-driven: add a page or endpoint by adding one ``Entry``.

The data is synthetic (``cicte generate``'s generator) on the real 2012 plan's structure:
N events with their contributions, beneficiaries, partners, participation and named
participants (an event of every status in each half-year), then 4N more appended to the
same plan; each page is requested once to warm
up, then counted at N and at 5N. An entry whose URL does not exist yet is skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from cicte.delivery.models import Event, EventStatus, EventTarget
from cicte.plan.models import Target, WorkPlan
from cicte.reports.models import StoredRender
from cicte.sampledata.synthetic import synthetic_data_generate, synthetic_plans

N = 30
PER_EVENT = 15
AS_OF = dt.date(2013, 1, 15)  # the whole of 2012 is past: mostly held events


@dataclass
class Scene:
    plan: WorkPlan
    target: Target
    event: Event


@dataclass
class Entry:
    id: str
    url_name: str = ""  # a URL name (reversed) ...
    path: str = ""  # ... or a literal path (the API), formatted with the scene
    args: Callable[[Scene], list[Any]] = lambda scene: []
    params: Callable[[Scene], dict[str, Any]] = lambda scene: {}
    headers: dict[str, str] = field(default_factory=dict)

    def url(self, scene: Scene) -> str | None:
        """The URL, or None when it does not exist (yet)."""
        if self.url_name:
            try:
                return reverse(self.url_name, args=self.args(scene))
            except NoReverseMatch:
                return None
        path = self.path.format(plan=scene.plan.pk, year=scene.plan.year, event=scene.event.pk)
        try:
            match = resolve(path)
        except Resolver404:
            return None
        return None if getattr(match.func, "__name__", "") == "api_not_found" else path


def _period(scene: Scene) -> dict[str, Any]:
    return {"plan": scene.plan.pk, "period": "2012-H1"}


ENTRIES = [
    # staff workspace
    Entry("dashboard", "workspace:dashboard", params=lambda s: {"plan": s.plan.pk}),
    Entry("dashboard, half-year", "workspace:dashboard", params=_period),
    Entry(
        "dashboard, half-year, one state",
        "workspace:dashboard",
        params=lambda s: {**_period(s), "member_state": "JAM"},
    ),
    Entry(
        "dashboard htmx partial",
        "workspace:dashboard",
        params=lambda s: {"plan": s.plan.pk},
        headers={"HX-Request": "true"},
    ),
    Entry("event list", "workspace:event-list", params=lambda s: {"plan": s.plan.pk}),
    Entry("event list, half-year", "workspace:event-list", params=_period),
    Entry(
        "event list, state and status",
        "workspace:event-list",
        params=lambda s: {"plan": s.plan.pk, "member_state": "JAM", "status": "held"},
    ),
    Entry("event list, page 2", "workspace:event-list", params=lambda s: {"page": 2}),
    Entry("event detail", "workspace:event", args=lambda s: [s.event.pk]),
    Entry("target page", "workspace:target", args=lambda s: [s.target.pk]),
    Entry(
        "member-state page",
        "workspace:member-state",
        args=lambda s: ["JAM"],
        params=lambda s: {"plan": s.plan.pk},
    ),
    Entry("report page", "workspace:report", params=lambda s: {**_period(s), "lang": "en"}),
    Entry(
        "report download (xlsx)",
        "workspace:report-download",
        args=lambda s: ["xlsx"],
        params=lambda s: {**_period(s), "lang": "en"},
    ),
    Entry("event form", "workspace:event-create", params=lambda s: {"plan": s.plan.pk}),
    Entry("event edit form", "workspace:event-edit", args=lambda s: [s.event.pk]),
    Entry("event export (xlsx)", "workspace:event-export", params=lambda s: {"plan": s.plan.pk}),
    Entry(
        "event target search",
        "workspace:event-target-search",
        params=lambda s: {"plan": s.plan.pk, "q": "work"},
    ),
    Entry("assistance queue", "workspace:assistance-queue"),
    Entry("assistance request form", "workspace:assistance-new"),
    Entry("evaluations list", "workspace:evaluations-list"),
    Entry("evaluation form", "workspace:evaluations-new"),
    Entry("recommendations", "workspace:evaluations-recommendations"),
    Entry("participant feedback", "workspace:evaluations-feedback"),
    Entry("funding overview", "workspace:funding-overview", params=lambda s: {"plan": s.plan.pk}),
    Entry("donors", "workspace:funding-donors"),
    # public pages
    Entry("public home", "public:home"),
    Entry("public plan page", "public:plan", args=lambda s: [s.plan.year]),
    Entry("public member states", "public:member-states"),
    Entry("public member-state page", "public:member-state", args=lambda s: ["JAM"]),
    Entry("public partners", "public:partners"),
    Entry("public mandates", "public:mandates"),
    Entry("public reports", "public-reports:list"),
    # API lists
    Entry("API events", path="/api/events"),
    Entry("API events of a plan", path="/api/events", params=lambda s: {"plan": s.plan.year}),
    Entry("API plans", path="/api/plans"),
    Entry("API targets", path="/api/plans/{year}/targets"),
    Entry("API work areas", path="/api/plans/{year}/work-areas"),
    Entry("API programs", path="/api/plans/{year}/programs"),
    Entry("API projects", path="/api/plans/{year}/projects"),
    Entry("API mandates", path="/api/mandates"),
    Entry("API progress", path="/api/plans/{year}/progress"),
    Entry("API member states", path="/api/member-states"),
    Entry("API organizations", path="/api/organizations"),
    Entry("API event participants", path="/api/events/{event}/participants"),
    Entry("API reports", path="/api/reports"),
    Entry("API narratives", path="/api/narratives", params=lambda s: {"plan": s.plan.year}),
]


def _grow(events: int) -> None:
    synthetic_data_generate(
        years=1,
        events=events,
        participants=events * PER_EVENT,
        seed=5,
        plan_year_start=2012,
        batch=37,
        as_of=AS_OF,
        append=True,
    )


def _cover_statuses(plan: WorkPlan) -> None:
    """Give each half-year an event of every status, so that no list of the small data set
    is empty (Django skips the prefetch queries of an empty list, which is not an N+1)."""
    for half in (1, 2):
        months = (1, 6) if half == 1 else (7, 12)
        events = list(
            Event.objects.filter(
                plan=plan, end_date__month__gte=months[0], end_date__month__lte=months[1]
            ).order_by("id")[: len(EventStatus.values)]
        )
        assert len(events) == len(EventStatus.values), "too few events: raise N"
        for event, status in zip(events, EventStatus.values, strict=True):
            Event.objects.filter(pk=event.pk).update(status=status)


def _count(client: Any, url: str, entry: Entry, scene: Scene) -> tuple[int, int]:
    # Count the uncached path: cached lists (cicte.core.caching), stored report renders.
    caches["default"].clear()
    StoredRender.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, entry.params(scene), headers=entry.headers)
    assert response.status_code == 200, f"{entry.id}: GET {url} answered {response.status_code}"
    return len(queries.captured_queries), response.status_code


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_queries_do_not_grow_with_events(entry, plan_2012, staff_client):
    _grow(N)
    plan = synthetic_plans()[0]
    _cover_statuses(plan)
    target = (
        Target.objects.filter(plan=plan, contributions__isnull=False).order_by("position").first()
    )
    event = Event.objects.filter(plan=plan, participants__isnull=False).order_by("id").first()
    assert target is not None and event is not None
    scene = Scene(plan=plan, target=target, event=event)
    url = entry.url(scene)
    if url is None:
        pytest.skip(f"{entry.url_name or entry.path}: this URL does not exist yet")
    _count(staff_client, url, entry, scene)  # warm-up (session, caches)
    small, _ = _count(staff_client, url, entry, scene)
    _grow(4 * N)
    assert Event.objects.filter(plan=plan).count() == 5 * N
    assert EventTarget.objects.filter(target=target).count() > 1
    large, _ = _count(staff_client, url, entry, scene)
    assert large == small, (
        f"{entry.id}: {small} queries with {N} events but {large} with {5 * N} (N+1 query?)"
    )
