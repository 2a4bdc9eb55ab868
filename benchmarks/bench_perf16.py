"""Issue 16 (items 2, 3, 4, 6, part of 7): report data and PDF, the plan's XLSX export, the API
event list cached and uncached, each beside its raw-SQL floor in the same run; the API under
50 clients with wrk.

    nice -n 10 .venv/bin/python benchmarks/bench_perf16.py [--sizes 10000,100000] [--quick]
                                                          [--no-load] [--keep DIR]

1. a throwaway SQLite database grown with ``cicte generate``'s generator (seed 2012, 20
   plans, 15 named participants per event) to each size;
2. at each size, in process (server side; median of 3 after a warm-up unless said):
   - *report data*: ``report_data`` for the newest plan's H1 against its floor (the raw SQL
     aggregates the report's numbers come from: units per target, participants by sex, states
     reached, partners engaged; one statement each);
   - *report PDF*: the PDF rendered from that data once, **before** (``table-layout: auto``,
     1,000 annex rows) and **after** (``fixed`` with column widths, 500 rows);
   - *XLSX export*: the plan's events export in a child process each (peak RSS =
     ``resource.getrusage().ru_maxrss`` of that process), **before** (one read of every event,
     then the workbook) and **after** (2,000-event chunks into the write-only workbook on a
     temporary file); floor = one raw SQL statement of the same columns with the related
     codes concatenated in SQL, fetched in full;
   - *API event list*: ``GET /api/events?limit=50`` with a token through the test client,
     uncached (cache cleared before each call) and cached; floor = the count and the page's
     rows in raw SQL;
3. at the largest size: gunicorn (production settings, 2 workers × 4 threads, the default file
   cache) on this database, and **wrk** pinned to one core (``taskset -c 1``), 50 connections,
   2 threads, 15 s, on the cached list (one URL) and on the uncached one (``CICTE_CACHE_URL=none``).

Prints one Markdown section (stdout) and progress (stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AS_OF = dt.date(2026, 7, 1)
API = "/api/events?limit=50"


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --- the child process of one export --------------------------------------------------------


def export_child(mode: str, plan_id: int) -> None:
    import resource

    from cicte.delivery import exporting, selectors
    from cicte.plan.models import WorkPlan

    plan = WorkPlan.objects.get(pk=plan_id)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    if mode == "before":  # what main did: every event in one list, then the workbook in memory
        selectors.EXPORT_CHUNK = 10**9
        rows = list(selectors.export_rows(plan=plan))
        size = len(exporting.events_xlsx(rows))
        count = len(rows)
    else:
        count = 0

        def counted():
            nonlocal count
            for row in selectors.export_rows(plan=plan):
                count += 1
                yield row

        with tempfile.TemporaryFile() as spool:
            exporting.write_events_xlsx(counted(), spool)
            size = spool.tell()
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "rss_mb": rss, "base_mb": before, "events": count, "bytes": size}
        )
    )


def export_floor(plan_id: int) -> float:
    from django.db import connection

    sql = """
        SELECT e.id, e.title, e.kind, e.start_date, e.end_date, e.city, h.code,
               (SELECT group_concat(m.code, '; ') FROM delivery_event_beneficiaries b
                  JOIN directory_memberstate m ON m.id = b.memberstate_id WHERE b.event_id = e.id),
               e.participants_total, e.participants_women, e.participants_men,
               (SELECT group_concat(o.name, '; ') FROM delivery_event_partners p
                  JOIN directory_organization o ON o.id = p.organization_id
                  WHERE p.event_id = e.id),
               e.status,
               (SELECT group_concat(t.code, '; ') FROM delivery_eventtarget et
                  JOIN plan_target t ON t.id = et.target_id WHERE et.event_id = e.id),
               e.modality, e.cost, e.currency, e.notes
        FROM delivery_event e LEFT JOIN directory_memberstate h ON h.id = e.host_state_id
        WHERE e.plan_id = %s ORDER BY e.start_date, e.id
    """

    def run() -> int:
        with connection.cursor() as cursor:
            cursor.execute(common.portable(sql), [plan_id])
            return len(cursor.fetchall())

    return common.timed(run, runs=3, warmup=1).median


def run_export(mode: str, plan_id: int, url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0")
    out = subprocess.run(
        [sys.executable, __file__, "--export-child", mode, str(plan_id), "--db", url],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- in-process measurements ---------------------------------------------------------------


def report_floor(plan_id: int, start: dt.date, end: dt.date) -> float:
    from django.db import connection

    statements = [
        """SELECT et.target_id, SUM(et.units) FROM delivery_eventtarget et
           JOIN delivery_event e ON e.id = et.event_id
           WHERE e.plan_id = %s AND e.status = 'held' AND e.end_date BETWEEN %s AND %s
           GROUP BY et.target_id""",
        """SELECT COUNT(*), SUM(participants_total), SUM(participants_women),
                  SUM(participants_men) FROM delivery_event
           WHERE plan_id = %s AND status = 'held' AND end_date BETWEEN %s AND %s""",
        """SELECT cp.member_state_id, SUM(cp.women), SUM(cp.men), SUM(cp.not_stated)
           FROM delivery_countryparticipation cp JOIN delivery_event e ON e.id = cp.event_id
           WHERE e.plan_id = %s AND e.status = 'held' AND e.end_date BETWEEN %s AND %s
           GROUP BY cp.member_state_id""",
        """SELECT COUNT(DISTINCT s) FROM (
             SELECT e.host_state_id AS s FROM delivery_event e
             WHERE e.plan_id = %s AND e.status = 'held' AND e.end_date BETWEEN %s AND %s
             UNION SELECT b.memberstate_id FROM delivery_event_beneficiaries b
             JOIN delivery_event e ON e.id = b.event_id
             WHERE e.plan_id = %s AND e.status = 'held' AND e.end_date BETWEEN %s AND %s) AS q""",
        """SELECT COUNT(DISTINCT p.organization_id) FROM delivery_event_partners p
           JOIN delivery_event e ON e.id = p.event_id
           WHERE e.plan_id = %s AND e.status = 'held' AND e.end_date BETWEEN %s AND %s""",
    ]

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                params = [plan_id, start, end] * sql.count("BETWEEN")
                cursor.execute(sql, params)
                cursor.fetchall()

    return common.timed(run, runs=3, warmup=1).median


def api_floor() -> float:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM delivery_event")
            cursor.fetchall()
            cursor.execute(
                common.portable(
                    """SELECT e.id, e.title, e.start_date, e.end_date, e.status, h.code,
                     (SELECT group_concat(m.code) FROM delivery_event_beneficiaries b
                      JOIN directory_memberstate m ON m.id = b.memberstate_id
                      WHERE b.event_id = e.id),
                     (SELECT group_concat(t.code) FROM delivery_eventtarget et
                      JOIN plan_target t ON t.id = et.target_id WHERE et.event_id = e.id)
                   FROM delivery_event e LEFT JOIN directory_memberstate h ON h.id = e.host_state_id
                   ORDER BY e.end_date DESC, e.id DESC LIMIT 50"""
                )
            )
            cursor.fetchall()

    return common.timed(run, runs=5, warmup=1).median


def token() -> str:
    from django.contrib.auth import get_user_model

    from cicte.access.models import Membership, Role
    from cicte.accounts.services import token_create

    user, created = get_user_model().objects.get_or_create(username="bench16")
    if created:
        Membership.objects.create(user=user, role=Role.SECRETARIAT)
    return token_create(actor=user, name=f"bench {time.time()}").secret


# --- wrk -------------------------------------------------------------------------------------


def wrk_run(url: str, var_dir: Path, secret: str, *, cache: str, seconds: int) -> dict:
    env = dict(os.environ)
    env.update(
        CICTE_ENV="production",
        DEBUG="0",
        SECRET_KEY="b" * 60 + "x1Y",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=url,
        CICTE_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="cicte.settings",
        LOG_LEVEL="ERROR",
        CICTE_CACHE_URL=cache,
        SECURE_SSL_REDIRECT="0",
    )
    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cicte.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "error",
        ],
        env=env,
        cwd=str(ROOT),
    )
    try:
        import urllib.request

        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        command = [
            "taskset",
            "-c",
            "1",
            "wrk",
            "-t2",
            "-c50",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Authorization: Bearer {secret}",
            "-H",
            "X-Forwarded-Proto: https",
            f"http://127.0.0.1:{port}{API}",
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine: workers still finishing
            server.kill()
            server.wait(timeout=30)

    def pick(pattern: str) -> str | None:
        match = re.search(pattern, out)
        return match[1] if match else None

    non2xx = int(pick(r"Non-2xx or 3xx responses: (\d+)") or 0)
    socket = pick(r"Socket errors: (.*)")
    return {
        "p50": pick(r"50%\s+(\S+)"),
        "p99": pick(r"99%\s+(\S+)"),
        "rps": pick(r"Requests/sec:\s+(\S+)"),
        "requests": pick(r"(\d+) requests in"),
        "errors": non2xx,
        "socket_errors": socket or "none",
        "cache": cache or "file",
    }


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--keep", default="")
    parser.add_argument("--export-child", nargs=2)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    if args.export_child:
        common.setup_django(args.db)
        export_child(args.export_child[0], int(args.export_child[1]))
        return
    sizes = [2000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench16-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["CICTE_CACHE_URL"] = "locmem"
    os.environ["CICTE_VAR_DIR"] = str(work / "var")
    common.setup_django(url)

    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from cicte.core.periods import parse_period
    from cicte.delivery.models import Event
    from cicte.reports import sections
    from cicte.reports.build import report_data
    from cicte.reports.renderers import pdf
    from cicte.sampledata.synthetic import base_plan, synthetic_data_generate, synthetic_plans

    call_command("migrate", verbosity=0)
    base_plan()
    secret = token()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_X_FORWARDED_PROTO="https")
    rows: list[list[object]] = []
    have = Event.objects.count()
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        if size > have:
            log(f"generating up to {size:,} events")
            started = time.perf_counter()
            synthetic_data_generate(
                years=20,
                events=size - have,
                participants=(size - have) * 15,
                seed=2012,
                plan_year_start=2012,
                as_of=AS_OF,
                append=True,
            )
            log(f"  {time.perf_counter() - started:.0f} s")
            have = size
        plans = synthetic_plans()  # 2025: the last plan before the as-of date (held events)
        plan = next((p for p in plans if p.year == 2025), plans[-1])
        period = parse_period(f"{plan.year}-H1")
        held = Event.objects.filter(
            plan=plan, status="held", end_date__gte=period.start, end_date__lte=period.end
        ).count()
        plan_events = Event.objects.filter(plan=plan).count()
        r: dict[str, float] = {}
        log(f"{size:,}: report data")
        r["floor_report"] = report_floor(plan.pk, period.start, period.end)
        data_t = common.timed(
            lambda plan=plan, period=period: report_data(plan=plan, period=period, language="en"),
            runs=3,
            warmup=1,
        )
        r["report_data"] = data_t.median
        log(f"{size:,}: report PDF after / before")
        started = time.perf_counter()
        pdf_after = pdf.render(data_t.result)
        r["pdf_after"] = time.perf_counter() - started
        r["pdf_after_kb"] = len(pdf_after) / 1024
        old_css, old_rows = pdf.table_css, sections.DOCUMENT_ROWS
        pdf.table_css, sections.DOCUMENT_ROWS = (lambda: ""), 1000
        try:
            old_data = report_data(plan=plan, period=period, language="en")
            started = time.perf_counter()
            pdf_before = pdf.render(old_data)
            r["pdf_before"] = time.perf_counter() - started
            r["pdf_before_kb"] = len(pdf_before) / 1024
        finally:
            pdf.table_css, sections.DOCUMENT_ROWS = old_css, old_rows
        log(f"{size:,}: XLSX export")
        r["floor_export"] = export_floor(plan.pk)
        for mode in ("before", "after"):
            child = run_export(mode, plan.pk, url)
            r[f"export_{mode}"] = child["seconds"]
            r[f"export_{mode}_rss"] = child["rss_mb"]
            r[f"export_{mode}_base"] = child["base_mb"]
        log(f"{size:,}: API list")
        r["floor_api"] = api_floor()

        def uncached() -> None:
            cache.clear()
            assert client.get(API).status_code == 200

        r["api_uncached"] = common.timed(uncached, runs=5, warmup=1).median
        r["api_cached"] = common.timed(lambda: client.get(API), runs=9, warmup=1).median
        r["held"], r["plan_events"] = held, plan_events
        results[size] = r

    ms = common.fmt_ms
    print(
        "## Issue 16: report, exports, API cache against their SQL floors "
        "(`benchmarks/bench_perf16.py`)\n"
    )
    print(
        f"SQLite, `cicte generate` data (seed 2012, 20 plans, 15 named participants per "
        f"event) grown to {', '.join(f'{s:,}' for s in sizes)} events; the report and the "
        f"export are the newest plan's (its H1 for the report). In process, server side; "
        f"median of 3 (API: 5 uncached, 9 cached) after a warm-up; PDFs timed once. "
        f"Run with `nice -n 10` on the shared 2-core machine: read the ratios.\n"
    )
    m = common.machine()
    print(
        f"Machine: {m.get('nproc')} CPUs ({m.get('cpu')}), Python {m.get('python')}, "
        f"Django {m.get('django')}, SQLite {m.get('sqlite')}, {m.get('date')}.\n"
    )
    for size, r in results.items():
        rows.extend(
            [
                [
                    f"{size:,}",
                    "report data selector",
                    ms(r["report_data"]),
                    ms(r["floor_report"]),
                    f"{r['report_data'] / r['floor_report']:.1f}×",
                    f"{int(r['held']):,} held events in the half-year",
                ],
                [
                    f"{size:,}",
                    "report PDF, before (auto layout, 1,000 rows)",
                    ms(r["pdf_before"]),
                    ms(r["floor_report"]),
                    f"{r['pdf_before'] / r['floor_report']:.0f}×",
                    f"{r['pdf_before_kb']:,.0f} KiB",
                ],
                [
                    f"{size:,}",
                    "report PDF, after (fixed layout, 500 rows)",
                    ms(r["pdf_after"]),
                    ms(r["floor_report"]),
                    f"{r['pdf_after'] / r['floor_report']:.0f}×",
                    f"{r['pdf_after_kb']:,.0f} KiB; {r['pdf_before'] / r['pdf_after']:.1f}× faster",
                ],
                [
                    f"{size:,}",
                    "XLSX export of the plan, before (one read)",
                    ms(r["export_before"]),
                    ms(r["floor_export"]),
                    f"{r['export_before'] / r['floor_export']:.1f}×",
                    f"{int(r['plan_events']):,} events; peak RSS {r['export_before_rss']:.0f} MB "
                    f"(process at start {r['export_before_base']:.0f} MB)",
                ],
                [
                    f"{size:,}",
                    "XLSX export of the plan, after (streamed)",
                    ms(r["export_after"]),
                    ms(r["floor_export"]),
                    f"{r['export_after'] / r['floor_export']:.1f}×",
                    f"peak RSS {r['export_after_rss']:.0f} MB "
                    f"(process at start {r['export_after_base']:.0f} MB)",
                ],
                [
                    f"{size:,}",
                    "API /api/events?limit=50, uncached",
                    ms(r["api_uncached"]),
                    ms(r["floor_api"]),
                    f"{r['api_uncached'] / r['floor_api']:.1f}×",
                    "",
                ],
                [
                    f"{size:,}",
                    "API /api/events?limit=50, cached",
                    ms(r["api_cached"]),
                    ms(r["floor_api"]),
                    f"{r['api_cached'] / r['floor_api']:.1f}×",
                    "",
                ],
            ]
        )
    print(
        common.markdown_table(
            ["events", "operation", "time ms", "floor ms", "ratio", "note"], rows, "rlrrrl"
        )
    )
    print()
    if not args.no_load:
        from django.db import connection

        connection.close()
        print(f"### API under load: wrk, 50 connections, at {sizes[-1]:,} events\n")
        print(
            "gunicorn 2 workers × 4 threads (gthread), production settings, on the same "
            "SQLite file; wrk 4.x pinned to core 1 (`taskset -c 1 wrk -t2 -c50 -d15s "
            "--latency --timeout 10s`), `GET /api/events?limit=50` with a Secretariat token.\n"
        )
        load_rows = []
        for cache_mode in ("", "none"):
            log(f"wrk, cache={cache_mode or 'file'}")
            w = wrk_run(url, work / "var", secret, cache=cache_mode, seconds=15)
            load_rows.append(
                [
                    "cached (file cache)" if not cache_mode else "uncached (CICTE_CACHE_URL=none)",
                    w["requests"],
                    w["rps"],
                    w["p50"],
                    w["p99"],
                    w["errors"],
                    w["socket_errors"],
                ]
            )
            p99 = w["p99"] or "0s"
            p99_ms = (
                float(p99[:-2])
                if p99.endswith("ms")
                else (float(p99[:-2]) / 1000 if p99.endswith("us") else float(p99[:-1]) * 1000)
            )
            common.print_target(
                f"API list p99 at 50 clients ({'cached' if not cache_mode else 'uncached'}, "
                f"{sizes[-1]:,} events, sqlite)",
                f"{w['p99']} (p50 {w['p50']}, {w['rps']} req/s, {w['errors']} errors)",
                "p99 < 200 ms, 0 errors",
                p99_ms < 200 and w["errors"] == 0 and w["socket_errors"] == "none",
                "",
            )
        print(
            common.markdown_table(
                ["list", "requests", "req/s", "p50", "p99", "non-2xx", "socket errors"],
                load_rows,
                "lrrrrrl",
            )
        )
        print()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
