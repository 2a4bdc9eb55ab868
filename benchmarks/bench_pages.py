"""Benchmark: the event pages of issue 16 against their raw-SQL floors, in the same run.

Builds a throwaway SQLite database, grows ``cicte generate``'s synthetic data (20 plans, no
named participants: the pages read counts only) to each size, and times, in process through
``django.test.Client`` as a staff user (server side, median of ``--runs`` after one warm-up):

- the dashboard for one half-year and one member state (``?period=<year>-H1&member_state=JAM``);
- the target page of the busiest target; the member-state page (JAM, the newest plan);
- the events list filtered to JAM; ``GET /api/events?member_state=JAM&limit=50``;

and, for each, a **floor**: raw SQL that computes the same numbers (sums per target; the
count and the latest 50 rows with their related codes) with the same indexes. The machine is
shared, so read the ratio (page ÷ floor) more than the times.

Usage: ``python benchmarks/bench_pages.py [--sizes 10000,100000] [--runs 3]``.
"""

# The floors are constant SQL text with bound parameters: no input reaches the strings.
# ruff: noqa: S608
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fmt_ms, machine, markdown_table, portable, setup_django, timed

YEARS, FIRST_YEAR, SEED, AS_OF = 20, 2012, 2012, dt.date(2026, 7, 1)
STATE = "JAM"
PAGE = 50
ROWS = """SELECT e.id, e.title, e.end_date,
  (SELECT group_concat(m.code) FROM delivery_event_beneficiaries b
     JOIN directory_memberstate m ON m.id = b.memberstate_id WHERE b.event_id = e.id),
  (SELECT group_concat(t.code) FROM delivery_eventtarget x
     JOIN plan_target t ON t.id = x.target_id WHERE x.event_id = e.id)
FROM delivery_event e WHERE e.id IN ({ids}) ORDER BY e.end_date DESC, e.id DESC LIMIT 50"""
STATE_IDS = """SELECT b.event_id FROM delivery_event_beneficiaries b
  JOIN delivery_event e ON e.id = b.event_id WHERE b.memberstate_id = %(state)s {where}
UNION SELECT e.id FROM delivery_event e WHERE e.host_state_id = %(state)s {where}"""


def floors(plan: Any, state: int, target: int, h1: tuple[str, str]) -> dict[str, Any]:
    from django.db import connection

    def run(*queries: tuple[str, dict[str, Any]]) -> Any:
        def go() -> Any:
            with connection.cursor() as cursor:
                out = []
                for sql, params in queries:
                    cursor.execute(portable(sql), params)
                    out.append(cursor.fetchall())
                return out

        return go

    in_plan = "AND e.plan_id = %(plan)s"
    in_h1 = in_plan + " AND e.end_date BETWEEN %(start)s AND %(end)s"
    params = {"plan": plan.pk, "state": state, "target": target, "start": h1[0], "end": h1[1]}
    state_h1 = STATE_IDS.format(where=in_h1)
    state_plan = STATE_IDS.format(where=in_plan)
    state_all = STATE_IDS.format(where="")
    sums = f"""SELECT x.target_id, SUM(CASE WHEN e.status = 'held' THEN x.units END),
      SUM(CASE WHEN e.status IN ('planned', 'confirmed') THEN x.units END)
      FROM delivery_eventtarget x JOIN delivery_event e ON e.id = x.event_id
      WHERE e.plan_id = %(plan)s AND e.end_date BETWEEN %(start)s AND %(end)s
      AND e.id IN ({state_h1}) GROUP BY x.target_id"""
    by_target = "SELECT event_id FROM delivery_eventtarget WHERE target_id = %(target)s"
    return {
        "dashboard": run((sums, params)),
        "target": run(
            (f"SELECT COUNT(*) FROM ({by_target}) AS q", params),
            (ROWS.format(ids=by_target), params),
        ),
        "member state": run(
            (f"SELECT COUNT(*) FROM ({state_plan}) AS q", params),
            (ROWS.format(ids=state_plan), params),
        ),
        "events list": run(
            (f"SELECT COUNT(*) FROM ({state_plan}) AS q", params),
            (ROWS.format(ids=state_plan), params),
        ),
        "API event list": run(
            (f"SELECT COUNT(*) FROM ({state_all}) AS q", params),
            (ROWS.format(ids=state_all), params),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(f"sqlite:///{tmp}/bench.sqlite3")
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db.models import Count
        from django.test import Client
        from django.urls import reverse

        from cicte.delivery.models import EventTarget
        from cicte.directory.models import MemberState
        from cicte.plan.models import WorkPlan
        from cicte.sampledata.synthetic import base_plan, synthetic_data_generate

        call_command("migrate", verbosity=0)
        base_plan()
        user = get_user_model().objects.create_user(username="bench", is_staff=True)
        client = Client()
        client.force_login(user)
        results = []
        have = 0
        for size in sizes:
            print(f"generating {size - have:,} events (to {size:,})", file=sys.stderr)
            started = time.perf_counter()
            synthetic_data_generate(
                years=YEARS,
                events=size - have,
                participants=0,
                seed=SEED,
                plan_year_start=FIRST_YEAR,
                as_of=AS_OF,
                append=True,
            )
            generated = time.perf_counter() - started
            rate = (size - have) / generated
            have = size
            plan = WorkPlan.objects.order_by("-year").first()
            assert plan is not None
            busiest = (
                EventTarget.objects.filter(target__plan=plan)
                .values("target_id")
                .annotate(n=Count("id"))
                .order_by("-n")
                .first()
            )
            assert busiest is not None
            state = MemberState.objects.get(code=STATE).pk
            year = plan.year
            pages = {
                "dashboard": (
                    reverse("workspace:dashboard"),
                    {"plan": plan.pk, "period": f"{year}-H1", "member_state": STATE},
                ),
                "target": (reverse("workspace:target", args=[busiest["target_id"]]), {}),
                "member state": (
                    reverse("workspace:member-state", args=[STATE]),
                    {"plan": plan.pk},
                ),
                "events list": (
                    reverse("workspace:event-list"),
                    {"plan": plan.pk, "member_state": STATE},
                ),
                "API event list": ("/api/events", {"member_state": STATE, "limit": PAGE}),
            }
            floor = floors(plan, state, busiest["target_id"], (f"{year}-01-01", f"{year}-06-30"))
            for name, (url, params) in pages.items():

                def get(url: str = url, params: Any = params) -> Any:
                    response = client.get(url, params)
                    assert response.status_code == 200, (url, response.status_code)

                page_t = timed(get, runs=args.runs)
                floor_t = timed(floor[name], runs=args.runs)
                results.append(
                    (
                        f"{size:,}",
                        name,
                        fmt_ms(page_t.median),
                        fmt_ms(floor_t.median),
                        f"{page_t.median / max(floor_t.median, 1e-6):.1f}×",
                    )
                )
                print(f"{size:,} {name}: {page_t.ms:.0f} ms / {floor_t.ms:.1f} ms", file=sys.stderr)
            results.append((f"{size:,}", f"(generated at {rate:,.0f} events/s)", "", "", ""))
    info = machine()
    print("## Event pages against their SQL floors (`benchmarks/bench_pages.py`)\n")
    print(
        f"`cicte generate` data ({YEARS} plans, no named participants) at "
        f"{', '.join(f'{s:,}' for s in sizes)} events, SQLite {info['sqlite']}; "
        f"{info['nproc']} CPUs ({info['cpu']}), {info['date']}. Server side, in process, "
        f"median of {args.runs} after one warm-up; the floor is raw SQL computing the same "
        "numbers in the same run. The machine is shared and loaded: read the ratios.\n"
    )
    print(markdown_table(["events", "page", "page ms", "floor ms", "ratio"], results, "llrrr"))


if __name__ == "__main__":
    main()
