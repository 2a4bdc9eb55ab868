"""Benchmark: the progress dashboard and selectors with 10,000 events on the 2012 Work Plan.

Builds a throwaway SQLite database (``DATABASE_URL`` points at a temporary file before Django
starts), runs the migrations, imports the 2012 plan from its text, bulk-creates 10,000 events
(with their target contributions, beneficiaries and per-country participation) spread over
2012 and the 35 member states, then times, in this process (server side, no network):

- ``GET /workspace/`` through ``django.test.Client`` as a signed-in staff user (median of 5
  after one warm-up request), for the whole year and for ``2012-H1`` filtered to one state;
- the selectors ``plan_progress``, ``member_state_progress`` and ``plan_summary``.

Prints a Markdown section. Usage: ``python benchmarks/bench_dashboard.py [--events 10000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "src/cicte/plan/fixtures/2012-work-plan.txt"
STATUSES = ["held"] * 7 + ["planned", "confirmed", "postponed", "cancelled"]
KINDS = ["workshop", "course", "mission", "exercise", "needs_assessment", "meeting"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def timed(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    func()  # warm-up
    samples = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def populate(n_events: int) -> tuple[Any, int]:
    from cicte.core.types import SYSTEM
    from cicte.delivery.models import CountryParticipation, Event, EventTarget
    from cicte.directory.models import MemberState
    from cicte.plan.models import Target
    from cicte.plan.parsing.canonical import load_plan_file
    from cicte.plan.services import plan_import

    plan = plan_import(document=load_plan_file(PLAN).plan, actor=SYSTEM).plan
    targets = list(Target.objects.filter(plan=plan).order_by("position"))
    states = list(MemberState.objects.order_by("code"))
    rng = random.Random(2012)  # deterministic data
    events = []
    for i in range(n_events):
        end = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(366))
        women = rng.randrange(0, 20)
        men = rng.randrange(0, 20)
        events.append(
            Event(
                plan=plan,
                kind=rng.choice(KINDS),
                title=f"Benchmark event {i}",
                start_date=end - dt.timedelta(days=rng.randrange(0, 5)),
                end_date=end,
                status=rng.choice(STATUSES),
                modality="national",
                host_state=rng.choice(states),
                participants_total=women + men + rng.randrange(0, 3),
                participants_women=women,
                participants_men=men,
            )
        )
    Event.objects.bulk_create(events, batch_size=2000)
    events = list(Event.objects.filter(plan=plan).only("id", "participants_women"))
    contributions, beneficiaries, participation = [], [], []
    through = Event.beneficiaries.through
    for event in events:
        for target in rng.sample(targets, k=rng.choice([1, 1, 2])):
            contributions.append(
                EventTarget(event=event, target=target, units=rng.choice([1, 1, 1, 2]))
            )
        for state in rng.sample(states, k=rng.choice([1, 2, 3])):
            beneficiaries.append(through(event_id=event.pk, memberstate_id=state.pk))
            participation.append(
                CountryParticipation(
                    event=event, member_state=state, women=rng.randrange(6), men=rng.randrange(6)
                )
            )
    EventTarget.objects.bulk_create(contributions, batch_size=5000)
    through.objects.bulk_create(beneficiaries, batch_size=5000)
    CountryParticipation.objects.bulk_create(participation, batch_size=5000)
    return plan, len(targets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["DEBUG"] = "0"  # no query log in memory, as in production
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicte.settings")
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from cicte.core.periods import parse_period
        from cicte.progress import selectors

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        plan, n_targets = populate(args.events)
        setup_seconds = time.perf_counter() - started

        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(username="bench", password=None, is_staff=True)
        client = Client()
        client.force_login(user)

        def dashboard(**params: str) -> Callable[[], Any]:
            def get() -> Any:
                response = client.get("/workspace/", {"plan": plan.pk, **params})
                assert response.status_code == 200, response.status_code
                return response

            return get

        h1 = parse_period("2012-H1")
        rows: list[tuple[str, float, int]] = []
        for label, func in [
            ("dashboard `GET /workspace/` (whole year)", dashboard()),
            (
                "dashboard `GET /workspace/?period=2012-H1&member_state=JAM`",
                dashboard(period="2012-H1", member_state="JAM"),
            ),
            (
                "dashboard htmx partial (whole year)",
                lambda: client.get("/workspace/", {"plan": plan.pk}, HTTP_HX_REQUEST="true"),
            ),
            ("`plan_progress` (whole year)", lambda: selectors.plan_progress(plan=plan)),
            ("`plan_progress` (2012-H1)", lambda: selectors.plan_progress(plan=plan, period=h1)),
            (
                "`member_state_progress` (whole year)",
                lambda: selectors.member_state_progress(plan=plan),
            ),
            ("`plan_summary` (whole year)", lambda: selectors.plan_summary(plan=plan)),
        ]:
            seconds, _result = timed(func, args.runs)
            with CaptureQueriesContext(connection) as ctx:
                func()
            rows.append((label, seconds, len(ctx.captured_queries)))
        progress = selectors.plan_progress(plan=plan)

    nproc = os.cpu_count()
    print(f"## Progress dashboard with {args.events:,} events (`benchmarks/bench_dashboard.py`)\n")
    print(
        f"{args.events:,} events ({progress.delivered:,} units delivered toward numeric "
        f"targets) on the 2012 plan "
        f"({n_targets} targets), SQLite; data set up in {setup_seconds:.1f} s. "
        f"Median of {args.runs} runs after one warm-up, in process (server side).\n"
    )
    print(
        f"Machine: {nproc} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.\n"
    )
    print("| measurement | median ms | queries |")
    print("| --- | ---: | ---: |")
    for label, seconds, queries in rows:
        print(f"| {label} | {seconds * 1000:.0f} | {queries} |")
    print()


if __name__ == "__main__":
    main()
