"""Benchmark: the semi-annual report (`cicte report`), every format, on the demo data and on
100,000 synthetic events.

A throwaway SQLite file database (DATABASE_URL set before ``django.setup()``); the real 2012
Work Plan imported with ``load_plan_file`` + ``plan_import``; then

1. ``cicte demo`` (the delivery app's sample, about 70 events): the report for 2012-H1;
2. the demo removed and N synthetic events (default 100,000) bulk-created across 2012 for the
   same plan (random kind, dates, host, 1-3 beneficiaries, 0-2 partners, one contribution,
   participation by the host state; 85 % held): the report for 2012-H1 (about half of them).

For each dataset: the selector (``report_data``: queries and seconds) and each renderer
(seconds, output size), median of ``--runs`` runs for the demo and one run at scale.
Event tables in HTML/PDF/DOCX stop at 1,000 rows (XLSX has every event), see docs/reports.md.
Prints a Markdown section. Usage:

    python benchmarks/bench_report.py [--events 100000] [--runs 3] [--seed 2012]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PLAN_FILE, machine, markdown_table, print_target, setup_django

FORMATS = ("html", "pdf", "docx", "xlsx")


def _median_time(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def _synthetic_events(plan: Any, count: int, seed: int) -> None:
    from cicte.delivery.models import CountryParticipation, Event, EventTarget
    from cicte.directory.models import MemberState
    from cicte.plan.models import Target

    rng = random.Random(seed)
    states = list(MemberState.objects.all())
    partners = list(plan.partners.all()) or []
    targets = list(Target.objects.filter(plan=plan, quantity__isnull=False))
    kinds = [
        "workshop",
        "course",
        "mission",
        "exercise",
        "needs_assessment",
        "evaluation",
        "meeting",
        "scholarship",
    ]
    batch = 5000
    created = 0
    while created < count:
        size = min(batch, count - created)
        events = []
        for i in range(size):
            start = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 360))
            end = start + dt.timedelta(days=rng.randrange(0, 5))
            end = min(end, dt.date(2012, 12, 31))
            women = rng.randrange(0, 20)
            men = rng.randrange(0, 20)
            events.append(
                Event(
                    plan=plan,
                    kind=rng.choice(kinds),
                    title=f"[SYNTHETIC] Event {created + i:06d}",
                    start_date=start,
                    end_date=end,
                    city="City",
                    host_state=rng.choice(states),
                    status="held" if rng.random() < 0.85 else "planned",
                    participants_total=women + men + rng.randrange(0, 3),
                    participants_women=women,
                    participants_men=men,
                )
            )
        events = Event.objects.bulk_create(events)
        beneficiaries = Event.beneficiaries.through
        partner_rows = Event.partners.through
        links, partner_links, contributions, participation = [], [], [], []
        for event in events:
            for state in rng.sample(states, rng.randrange(1, 4)):
                links.append(beneficiaries(event_id=event.pk, memberstate_id=state.pk))
            if partners:
                for org in rng.sample(partners, min(len(partners), rng.randrange(0, 3))):
                    partner_links.append(partner_rows(event_id=event.pk, organization_id=org.pk))
            contributions.append(EventTarget(event=event, target=rng.choice(targets), units=1))
            participation.append(
                CountryParticipation(
                    event=event,
                    member_state=event.host_state,
                    women=event.participants_women,
                    men=event.participants_men,
                    not_stated=event.participants_not_stated,
                )
            )
        beneficiaries.objects.bulk_create(links, batch_size=batch)
        partner_rows.objects.bulk_create(partner_links, batch_size=batch)
        EventTarget.objects.bulk_create(contributions, batch_size=batch)
        CountryParticipation.objects.bulk_create(participation, batch_size=batch)
        created += size


def _measure(label: str, plan: Any, runs: int) -> list[list[Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cicte.core.periods import parse_period
    from cicte.reports.build import report_data
    from cicte.reports.renderers import render

    period = parse_period("2012-H1")

    def build() -> Any:
        return report_data(plan=plan, period=period, language="en", issued=dt.date(2012, 7, 16))

    with CaptureQueriesContext(connection) as queries:
        data = build()
    seconds, data = _median_time(build, runs)
    events = data.section("summary").data.events_held
    rows: list[list[Any]] = [
        [
            label,
            f"{events:,}",
            "report_data (selector)",
            f"{seconds:.2f}",
            f"{len(queries.captured_queries)} queries",
        ]
    ]
    for fmt in FORMATS:
        seconds, content = _median_time(lambda fmt=fmt: render(data, fmt), runs)
        size = f"{len(content) / 1024:,.0f} KiB"
        rows.append([label, f"{events:,}", fmt, f"{seconds:.2f}", size])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure on the demo data")
    parser.add_argument("--seed", type=int, default=2012)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(f"sqlite:///{tmp}/bench-report.sqlite3")
        from django.core.management import call_command

        from cicte.core.types import SYSTEM
        from cicte.plan.parsing.canonical import load_plan_file
        from cicte.plan.services import plan_import

        call_command("migrate", verbosity=0)
        plan = plan_import(document=load_plan_file(PLAN_FILE).plan, actor=SYSTEM).plan
        call_command("demo", verbosity=0)
        rows = _measure("demo (cicte demo)", plan, args.runs)
        demo_pdf = float(rows[2][3])
        call_command("demo", reset=True, verbosity=0)
        started = time.perf_counter()
        _synthetic_events(plan, args.events, args.seed)
        insert_seconds = time.perf_counter() - started
        rows += _measure(f"synthetic ({args.events:,} events in 2012)", plan, 1)

    info = machine()
    print("## Semi-annual report (`cicte report`)\n")
    print(
        f"{info['nproc']} CPU ({info['cpu']}), Python {info['python']}, Django "
        f"{info['django']}, SQLite {info['sqlite']}, {info['date']}. Report for 2012-H1 in "
        f"English on the 2012 Work Plan; seconds are the median of {args.runs} runs for the "
        "demo data and one run at scale. Event tables in HTML/PDF/DOCX stop at 1,000 rows "
        "(XLSX lists every event).\n"
    )
    print(
        markdown_table(
            ["data", "events in 2012-H1", "step", "seconds", "output / queries"],
            rows,
            align="lrlrr",
        )
    )
    print(f"\nSynthetic data inserted in {insert_seconds:.1f} s (bulk_create, not measured above).")
    print_target(
        "Semi-annual report PDF on the demo data",
        f"{demo_pdf:.1f} s",
        "ready in a minute (issue 4)",
        demo_pdf < 60,
    )


if __name__ == "__main__":
    main()
