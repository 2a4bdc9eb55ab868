"""Issue 16, item 7: every page, the report and the exports at 10k → 100k → 1,000,000 events on
SQLite and PostgreSQL, each beside its raw-SQL floor in the same run; the API under 50 clients.

    nice -n 10 .venv/bin/python benchmarks/bench_1m.py [--reuse] [--data DIR]
        [--sizes 10000,100000,1000000] [--backends sqlite,postgres] [--runs 3] [--no-load]
    .venv/bin/python benchmarks/run_all.py --only 1m --merge     # into RESULTS.md

Data: ``cicte generate``'s generator (seed 2012, 20 plans, 15 named participants per event,
as of 2026-07-01) grown to each size and kept as **snapshots** outside git
(``benchmarks/snapshots.py``: ``DIR/sqlite-<size>.sqlite3`` files and PostgreSQL databases
``bench1m_<size>``; DIR defaults to ``$BENCH_DATA`` or /work/benchdata). ``--reuse`` measures
the snapshots that exist and generates only the missing ones; without it every snapshot is
generated again. The measurements run on the snapshot itself (they add a user, a token, a
session, a background job and a stored render; no event changes).

Each (backend, size) is measured in its own process, in process and server side (Django's test
client, the locmem cache, ``DEBUG=0``), median of ``--runs`` after one warm-up, on the 2025 plan
(the newest plan before the as-of date, so its events are held) and Jamaica:

- dashboard (2025-H1 + JAM): uncached (the whole cache cleared before each call: the first
  reader after a restart), after a change to the plan (``dataversion.bump(plan)`` before each
  call, what saving one of its events does: the plan's blocks and its part of the series
  over every plan are computed again, the other plans' parts come from the cache) and cached;
- target page (the plan's busiest target): uncached and after a change to the plan;
  member-state page (JAM), events list (plan + JAM): uncached;
- report data selector (2025-H1), uncached and after a change to the plan, beside the
  report's raw aggregates as its floor;
- fresh report render in the background: the PDF job (``render_report``, run by the
  immediate task backend), timed once from enqueue to success;
- the stored report served: the download link once the render is stored (StoredRender hit);
- XLSX and CSV export of the plan, each in a child process (peak RSS of that process);
  floor = one raw SQL statement of the same columns, related codes concatenated in SQL;
- ``GET /api/events?limit=50`` with a token, uncached and cached;
- at the largest size: gunicorn (production settings, 2 workers × 4 threads, file cache) on the
  snapshot and wrk with 50 connections pinned to core 1 (``bench_perf16.wrk_run``).

The floors are those of ``bench_pages.py`` and ``bench_perf16.py`` (``common.portable`` turns
their ``group_concat`` into ``string_agg`` on PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_pages
import bench_perf16
import common
import snapshots

PLAN_YEAR = 2025
STATE = "JAM"
PERIOD = f"{PLAN_YEAR}-H1"
SIZES = [10_000, 100_000, 1_000_000]
BACKENDS = ["sqlite", "postgres"]
PAGE_LIMIT_MS = 500
SERVED_LIMIT_MS = 200
RENDER_LIMIT_S = 120
RSS_LIMIT_MB = 300

# operation -> (label, kind). kind: page (≤ 2× floor and < 500 ms), served (< 200 ms),
# render (< 2 min), export (≤ 2× floor, RSS < 300 MB), info (no target).
OPERATIONS: dict[str, tuple[str, str]] = {
    "dashboard": ("dashboard, 2025-H1 + JAM, uncached", "page"),
    "dashboard_changed": ("dashboard, 2025-H1 + JAM, after a change to the plan", "page"),
    "dashboard_cached": ("dashboard, 2025-H1 + JAM, cached blocks", "page"),
    "target": ("target page (busiest target)", "page"),
    "target_changed": ("target page (busiest target), after a change to the plan", "page"),
    "member_state": ("member-state page (JAM)", "page"),
    "events_list": ("events list (plan + JAM)", "page"),
    "report_data": ("report data selector (2025-H1), uncached", "page"),
    "report_data_changed": ("report data selector (2025-H1), after a change to the plan", "page"),
    "report_served": ("stored report served (PDF, StoredRender hit)", "served"),
    "report_render": ("fresh report render in the background (PDF job)", "render"),
    "export_xlsx": ("XLSX export of the plan (child process)", "export"),
    "export_csv": ("CSV export of the plan (child process)", "export"),
    "api_uncached": ("API /api/events?limit=50, uncached", "page"),
    "api_cached": ("API /api/events?limit=50, cached", "page"),
}

# Why a target is missed and what would close it, per operation (read from the runs and
# the profiles of 2026-12-02 evening; a missed target without an entry says "see the growth
# table").
WHY: dict[str, str] = {
    "dashboard": "the first reader after a restart (every cache cleared) computes the "
    "work-area series over every plan: one grouped scan of every held contribution of 20 "
    "plans (~3.5 s of the figure at 1M on SQLite), against a floor that sums one half-year of "
    "one plan. The series are cached per plan, so after a write only the changed plan's part "
    "is computed again (next row). Close: a rollup table per (plan, half-year, target) kept "
    "by the writes, so that even a cold start reads a few thousand rows",
    "dashboard_changed": "what a write to the plan recomputes: the plan's blocks (the "
    "progress tree for the period and the state, the 35-state table's eight grouped joins, "
    "the summary) and the plan's own part of the series; SQL over the plan's held events of "
    "the half-year, several times the one grouped sum of the floor. Not profiled at 1M on "
    "PostgreSQL, where it is slower. Close: the 35-state table and the summary from one "
    "grouped pass per state (a rollup kept by the writes, as above)",
    "dashboard_cached": "the template rendering ~250 KB of HTML (35-state table, the tree, "
    "the charts) and Django's request cost. Close: cache the rendered fragment",
    "target": "uncached, the target's series over every plan (its code in 20 plans: ~0.85 s "
    "at 1M on SQLite) comes first; after a write only one plan's part is computed (next "
    "row). On PostgreSQL the floor itself (count + latest 50 of the busiest target's 13k "
    "events, ordered by end date through the contributions table) takes over 2 s. Close: "
    "the event's end date on the contribution row (or a covering index) so that the latest "
    "50 are an index range",
    "target_changed": "the page's progress of the target in the plan, the latest 50 events "
    "with their aggregated relations and the template, against a floor of a count and 50 "
    "ids (on PostgreSQL the floor itself is over 2 s: see the row above). Close: cache the "
    "target's progress per data version like the dashboard blocks",
    "member_state": "the state's progress (eight grouped queries, filtered to the state in "
    "SQL since this run) and the events page; the floor is the state's events only. Close: "
    "the state's block cached per data version, as the dashboard's",
    "events_list": "within 2× of its floor; the floor itself (count of the plan's JAM events "
    "+ latest 50) is ~0.3-1 s at 1M. Close: the count cached per data version",
    "report_data": "uncached, the at-a-glance series over every plan; in all cases ~50 "
    "queries: plan progress for the period and the year to date, the 35-state table, the "
    "held totals, funding (now SQL), evaluations, exercises, the first rows of the annex. "
    "This selector is not on a request's path: the report is rendered in the background "
    "once per data version and served from storage (the served row, a few ms). Close: the "
    "year-to-date progress and the state table from the dashboard's cached blocks",
    "report_data_changed": "as report_data without the other plans' parts of the series "
    "(cached per plan): what a render after a write costs",
    "report_render": "WeasyPrint layout of the PDF dominates; grows little with data",
    "report_served": "a stored render read and sent",
    "export_xlsx": "openpyxl's write-only mode (with lxml) still serialises every cell in "
    "Python (~1M cells at 1M events, ~25 µs each) while the floor only fetches the rows; "
    "memory stays constant. Close: a compiled XLSX writer (e.g. rust_xlsxwriter bindings)",
    "export_csv": "one streamed statement since this run (was a keyset page per chunk that "
    "made the database sort the plan and compute every row's subqueries again per chunk); "
    "what is left is Python per row: the relations' text split and sorted, the formula "
    "escape of each cell, csv.writer. Close: the cells' text (sorted, escaped) built in SQL",
    "api_uncached": "the fixed cost of a request: token check, memberships, middleware, "
    "ninja/pydantic serialisation of 50 items; the floor is only the SQL. Close: orjson "
    "serialisation of plain dicts",
    "api_cached": "no event query; what remains is Django's per-request cost (token hash and "
    "lookup, middleware, the response): a floor of raw SQL alone cannot be reached by any "
    "Django view. Close: serve cached bodies from a lighter path (the cache key from the "
    "token and query, before the middleware stack)",
    "wrk_cached": "queueing (Little's law): 50 clients at ~60-100 req/s wait 0.5-0.9 s each "
    "(the p50); p99 < 200 ms at 50 clients needs ≥ 250 req/s, i.e. ≤ 8 ms of CPU per request "
    "on 2 cores shared with wrk and the database, against ~11 ms in process for a cached "
    "list plus gunicorn's and the middleware's share. Close: answer cached bodies before the "
    "middleware stack with a cheaper token check, or more cores/workers",
    "wrk_uncached": "as the cached list, plus the event queries of every request (the "
    "uncached API row). Close: the cache (cached row), then as above",
}


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S", time.gmtime()), *parts, file=sys.stderr, flush=True)


# --- the child process of one export ----------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's resident high-water mark (VmHWM). Not ``ru_maxrss``: Linux keeps that
    across ``execve``, so a child started by a big process would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return common.max_rss_mb()


def export_child(fmt: str, plan_id: int) -> None:
    from cicte.delivery import exporting, selectors
    from cicte.plan.models import WorkPlan

    plan = WorkPlan.objects.get(pk=plan_id)
    base = peak_rss_mb()
    count = 0

    def counted():  # type: ignore[no-untyped-def]
        nonlocal count
        for row in selectors.export_rows(plan=plan):
            count += 1
            yield row

    write = exporting.write_events_xlsx if fmt == "xlsx" else exporting.write_events_csv
    started = time.perf_counter()
    with tempfile.TemporaryFile() as spool:
        write(counted(), spool)
        size = spool.tell()
    seconds = time.perf_counter() - started
    rss = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "rss_mb": rss, "base_mb": base, "events": count,
                      "bytes": size}))  # fmt: skip


def run_export(fmt: str, plan_id: int, url: str, runs: int) -> dict[str, Any]:
    """Median of ``runs`` child processes after one warm-up child; the highest peak RSS."""
    env = dict(os.environ, DATABASE_URL=url, DEBUG="0")
    samples = []
    for _ in range(runs + 1):
        out = subprocess.run(
            [sys.executable, __file__, "--export-child", fmt, str(plan_id), "--db", url],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    measured = samples[1:]
    return {
        "seconds": statistics.median(s["seconds"] for s in measured),
        "rss_mb": max(s["rss_mb"] for s in samples),
        "base_mb": min(s["base_mb"] for s in samples),
        "events": samples[0]["events"],
        "bytes": samples[0]["bytes"],
    }


# --- one (backend, size): in process ------------------------------------------------------------


def measure(
    backend: str, size: int, url: str, runs: int, load: bool, export_runs: int, partial: Path
) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"bench1m-{backend}-{snapshots.label(size)}-"))
    os.environ["CICTE_CACHE_URL"] = "locmem"
    os.environ["CICTE_TASKS"] = "immediate"
    os.environ["CICTE_VAR_DIR"] = str(work / "var")
    common.setup_django(url)

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from cicte.core import dataversion
    from cicte.core.periods import parse_period
    from cicte.delivery.models import Event, EventTarget
    from cicte.directory.models import MemberState
    from cicte.ops.models import Job
    from cicte.reports import tasks
    from cicte.reports.build import report_data
    from cicte.reports.models import StoredRender
    from cicte.sampledata.synthetic import synthetic_plans

    log(f"{backend} {snapshots.label(size)}: migrate")
    call_command("migrate", verbosity=0)
    events = Event.objects.count()
    plan = next(p for p in synthetic_plans() if p.year == PLAN_YEAR)
    period = parse_period(PERIOD)
    secret = bench_perf16.token()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench16")
    web = Client(HTTP_X_FORWARDED_PROTO="https")
    web.force_login(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_X_FORWARDED_PROTO="https")
    busiest = (
        EventTarget.objects.filter(target__plan=plan)
        .values("target_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    state = MemberState.objects.get(code=STATE).pk
    floor = bench_pages.floors(
        plan, state, busiest["target_id"], (period.start.isoformat(), period.end.isoformat())
    )
    out: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "events": events,
        "plan_events": Event.objects.filter(plan=plan).count(),
        "target_events": busiest["n"],
        "ops": {},
    }

    def record(name: str, seconds: float, floor_s: float | None, **extra: Any) -> None:
        out["ops"][name] = {"seconds": seconds, "floor": floor_s, **extra}
        partial.write_text(json.dumps(out, default=str))  # kept if a later step fails
        ratio = f" / floor {floor_s * 1000:.1f} ms" if floor_s else ""
        log(f"{backend} {snapshots.label(size)} {name}: {seconds * 1000:,.0f} ms{ratio}")

    def page(
        path: str, params: dict[str, Any], *, clear: bool = False, bump: bool = False,
        client: Any = web,
    ):  # fmt: skip
        def get() -> None:
            if clear:
                cache.clear()
            if bump:
                dataversion.bump(plan.pk)
            response = client.get(path, params)
            assert response.status_code == 200, (path, response.status_code)

        return get

    pages = {
        "dashboard": (
            reverse("workspace:dashboard"),
            {"plan": plan.pk, "period": PERIOD, "member_state": STATE},
            "dashboard",
        ),
        "target": (reverse("workspace:target", args=[busiest["target_id"]]), {}, "target"),
        "member_state": (
            reverse("workspace:member-state", args=[STATE]),
            {"plan": plan.pk},
            "member state",
        ),
        "events_list": (
            reverse("workspace:event-list"),
            {"plan": plan.pk, "member_state": STATE},
            "events list",
        ),
    }
    for name, (path, params, floor_name) in pages.items():
        floor_t = common.timed(floor[floor_name], runs=runs)
        uncached = common.timed(page(path, params, clear=True), runs=runs)
        record(name, uncached.median, floor_t.median)
        if name in ("dashboard", "target"):
            changed = common.timed(page(path, params, bump=True), runs=runs)
            record(f"{name}_changed", changed.median, floor_t.median)
        if name == "dashboard":
            cached = common.timed(page(path, params), runs=runs)
            record("dashboard_cached", cached.median, floor_t.median)

    log(f"{backend} {snapshots.label(size)}: report data")
    report_floor = bench_perf16.report_floor(plan.pk, period.start, period.end)

    def data(*, clear: bool = False, bump: bool = False):  # type: ignore[no-untyped-def]
        def run() -> None:
            if clear:
                cache.clear()
            if bump:
                dataversion.bump(plan.pk)
            report_data(plan=plan, period=period, language="en")

        return run

    data_t = common.timed(data(clear=True), runs=runs, warmup=1)
    record("report_data", data_t.median, report_floor)
    data_t = common.timed(data(bump=True), runs=runs, warmup=1)
    record("report_data_changed", data_t.median, report_floor)

    log(f"{backend} {snapshots.label(size)}: fresh report render (PDF job)")
    StoredRender.objects.filter(plan=plan).delete()
    started = time.perf_counter()
    job = tasks.report_render_request(
        actor=user,
        plan=plan,
        period=period,
        language="en",
        file_format="pdf",
        paper="a4",
        ui_language="en",
    )
    render_s = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded", (job.status, job.error)
    job_s = (job.finished_at - job.started_at).total_seconds() if job.finished_at else render_s
    record("report_render", job_s, report_floor, wall=render_s)
    download = reverse("workspace:report-download", args=["pdf"])
    served = common.timed(
        page(download, {"plan": plan.pk, "period": PERIOD, "lang": "en"}), runs=runs
    )
    record("report_served", served.median, None)

    log(f"{backend} {snapshots.label(size)}: exports")
    export_floor = bench_perf16.export_floor(plan.pk)
    for fmt in ("xlsx", "csv"):
        child = run_export(fmt, plan.pk, url, export_runs)
        record(
            f"export_{fmt}",
            child["seconds"],
            export_floor,
            rss_mb=child["rss_mb"],
            base_mb=child["base_mb"],
            rows=child["events"],
            bytes=child["bytes"],
        )

    log(f"{backend} {snapshots.label(size)}: API")
    api_floor = bench_perf16.api_floor()

    def api_uncached() -> None:
        cache.clear()
        assert api.get(bench_perf16.API).status_code == 200

    record("api_uncached", common.timed(api_uncached, runs=runs).median, api_floor)
    record(
        "api_cached",
        common.timed(lambda: api.get(bench_perf16.API), runs=runs).median,
        api_floor,
    )
    if load:
        connection.close()
        out["wrk"] = []
        for mode in ("", "none"):
            log(f"{backend} {snapshots.label(size)}: wrk, cache={mode or 'file'}")
            try:
                out["wrk"].append(bench_perf16.wrk_run(url, work / "var", secret, cache=mode,
                                                       seconds=15))  # fmt: skip
            except Exception as exc:  # the load test failing keeps the figures above
                out["wrk_error"] = f"{type(exc).__name__}: {exc}"[:300]
                log(f"wrk failed: {out['wrk_error']}")
    return out


# --- the report ---------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    return common.fmt_ms(seconds)


def wrk_ms(text: str | None) -> float | None:
    if not text:
        return None
    if text.endswith("us"):
        return float(text[:-2]) / 1000
    if text.endswith("ms"):
        return float(text[:-2])
    if text.endswith("m"):
        return float(text[:-1]) * 60_000
    return float(text[:-1]) * 1000


def rss_valid(op: dict[str, Any]) -> bool:
    """False for the runs before the VmHWM fix: their child reported the parent's peak, seen
    as a peak equal to the process's size before the export (base_mb)."""
    return abs(op["rss_mb"] - op.get("base_mb", 0)) > 0.01


def judge(name: str, op: dict[str, Any]) -> tuple[str, str, bool]:
    """(figure, target, met) for one operation at one size."""
    kind = OPERATIONS[name][1]
    seconds, floor = op["seconds"], op.get("floor")
    ratio = seconds / floor if floor else None
    if kind == "page":
        met = ratio is not None and ratio <= 2 and seconds * 1000 < PAGE_LIMIT_MS
        figure = f"{_ms(seconds)} ms ({ratio:.1f}× floor {_ms(floor)} ms)"
        return figure, f"≤ 2× floor and < {PAGE_LIMIT_MS} ms", met
    if kind == "served":
        return f"{_ms(seconds)} ms", f"< {SERVED_LIMIT_MS} ms", seconds * 1000 < SERVED_LIMIT_MS
    if kind == "render":
        return f"{seconds:,.1f} s", f"< {RENDER_LIMIT_S // 60} min", seconds < RENDER_LIMIT_S
    rss = f"peak RSS {op['rss_mb']:.0f} MB" if rss_valid(op) else "RSS not measured"
    met = ratio is not None and ratio <= 2 and rss_valid(op) and op["rss_mb"] < RSS_LIMIT_MB
    figure = f"{_ms(seconds)} ms ({ratio:.1f}× floor {_ms(floor)} ms), {rss}"
    return figure, f"≤ 2× floor, RSS < {RSS_LIMIT_MB} MB", met


def report(results: dict[str, dict[int, Any]], args: argparse.Namespace) -> None:
    info = common.machine()
    sizes = args.size_list
    print("## One million events: pages, report, exports, API (`benchmarks/bench_1m.py`)\n")
    print(
        f"`cicte generate` data (seed 2012, 20 plans, 15 named participants per event, as of "
        f"2026-07-01) at {', '.join(f'{s:,}' for s in sizes)} events on SQLite "
        f"{info['sqlite']} and PostgreSQL {info['postgresql'] or '(not reachable)'}, from the "
        f"snapshots of `benchmarks/snapshots.py`; the {PLAN_YEAR} plan, {PERIOD} and {STATE}. "
        f"In process, server side, median of {args.runs} after a warm-up (exports: child "
        f"processes, median of {args.export_runs} after a warm-up child; the report render: "
        "one run), each beside its raw-SQL floor measured in the same process.\n"
    )
    print(
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_mb']:,} MB, "
        f"{info['os']}, Python {info['python']}, Django {info['django']}, {info['date']}; "
        "the runs of each (backend, size) one at a time (see below).\n"
    )
    notes = []
    for backend in args.backend_list:
        for size in sizes:
            r = results.get(backend, {}).get(size)
            if isinstance(r, str):
                notes.append(f"- {backend} at {size:,} events: **not measured** — {r}")
            elif isinstance(r, dict) and r.get("error"):
                notes.append(f"- {backend} at {size:,} events: {r['error']}; the rows missing "
                             "below were not measured")  # fmt: skip
    if notes:
        print("\n".join(notes) + "\n")

    generation = []
    for backend in args.backend_list:
        path = Path(args.data) / f"generate-{backend}.json"
        if not path.exists():
            continue
        steps = json.loads(path.read_text())
        rows_before = 0
        for step in steps:
            added_rows = step["rows_after"] - rows_before
            rows_before = step["rows_after"]
            rate = added_rows / step["seconds"] if step["seconds"] else 0
            generation.append(
                [backend, f"to {step['size']:,}", f"{step['events_added']:,}",
                 f"{added_rows:,}", f"{step['seconds']:,.0f}", f"{rate:,.0f}"]
            )  # fmt: skip
    if generation:
        print("### Generation (`benchmarks/snapshots.py`, search entries indexed after)\n")
        print(
            common.markdown_table(
                ["backend", "step", "events added", "rows written", "seconds", "rows/s"],
                generation,
                "llrrrr",
            )
        )
        print(
            "\nTarget ≥ 30,000 rows/s at 1M. The two backends' snapshots were generated at the "
            "same time (one core each, with profiling beside them), so the large step is a "
            "loaded figure; the rate falls as the indexes grow (B-tree inserts at random "
            "positions of the participants' and relations' indexes). Close: drop and rebuild "
            "the secondary indexes around a bulk generation, or generate in id order per "
            "table.\n"
        )
    print("### Growth: time in ms (ratio to the floor)\n")
    print(
        "Exports: time, then the child process's peak RSS; *RSS n/a* where the run used "
        "`ru_maxrss`, which Linux carries across `execve` (the child reported its parent's "
        "peak): those runs were made before the fix and their RSS is not a measurement.\n"
    )
    headers = ["operation", "backend", *[f"{snapshots.label(s)} events" for s in sizes]]
    rows = []
    for name, (label, _kind) in OPERATIONS.items():
        for backend in args.backend_list:
            cells = []
            for size in sizes:
                r = results.get(backend, {}).get(size)
                op = r["ops"].get(name) if isinstance(r, dict) else None
                if op is None:
                    cells.append("—")
                    continue
                text = _ms(op["seconds"])
                if op.get("floor"):
                    text += f" ({op['seconds'] / op['floor']:.1f}×)"
                if "rss_mb" in op:
                    text += f", {op['rss_mb']:.0f} MB" if rss_valid(op) else ", RSS n/a"
                cells.append(text)
            rows.append([label, backend, *cells])
    print(common.markdown_table(headers, rows, "ll" + "r" * len(sizes)))
    print()
    print("### Floors: raw SQL of the same numbers, ms\n")
    floors_rows = []
    seen = {}
    for name, (label, _kind) in OPERATIONS.items():
        if name in ("dashboard_cached", "api_cached", "report_served", "report_render"):
            continue
        for backend in args.backend_list:
            cells = []
            for size in sizes:
                r = results.get(backend, {}).get(size)
                op = r["ops"].get(name) if isinstance(r, dict) else None
                cells.append(_ms(op.get("floor")) if op else "—")
            seen[(name, backend)] = cells
            floors_rows.append([label, backend, *cells])
    print(common.markdown_table(headers, floors_rows, "ll" + "r" * len(sizes)))
    print()
    shape = []
    for backend in args.backend_list:
        for size in sizes:
            r = results.get(backend, {}).get(size)
            if isinstance(r, dict):
                shape.append(
                    f"{backend} {snapshots.label(size)}: {r['events']:,} events, the {PLAN_YEAR} "
                    f"plan {r['plan_events']:,}, busiest target {r['target_events']:,}, "
                    f"measured from {r['date']}"
                )
    if shape:
        print("Data measured: " + "; ".join(shape) + ".\n")
    dates = sorted({r["date"] for b in results.values() for r in b.values() if isinstance(r, dict)})
    if dates:
        print(
            f"Measured between {dates[0]} and {dates[-1]}, one backend and size at a time "
            "(`nice -n 5`); other work (a test run, a profile) shared the 2 cores at moments, "
            "so single figures can be noisy: read the ratios and the growth."
        )

    print(
        "### Targets, at the largest size where each was measured\n\n"
        "Targets of issue 16 (at 1M events: pages and API ≤ 2× floor and < 500 ms, a stored "
        "report served < 200 ms, a fresh render < 2 min, exports ≤ 2× floor and < 300 MB RSS, "
        "p99 < 200 ms at 50 clients with 0 errors). The reasons were read from the figures "
        "(growth, floors, query counts), not from a profile at 1M unless said.\n"
    )
    target_rows = []
    for backend in args.backend_list:
        measured = [s for s in sizes if isinstance(results.get(backend, {}).get(s), dict)]
        if not measured:
            continue
        for name, (label, _kind) in OPERATIONS.items():
            # the largest size at which this operation was measured
            found = [s for s in measured if name in results[backend][s]["ops"]]
            if not found:
                continue
            size = found[-1]
            op = results[backend][size]["ops"][name]
            figure, target, met = judge(name, op)
            why = "" if met else WHY.get(name, "see the growth table")
            where = f"{label} ({snapshots.label(size)} events, {backend})"
            target_rows.append([where, figure, target, "**met**" if met else "**missed**", why])
            common.print_target(where, figure, target, met, why)
        with_wrk = [s for s in measured if results[backend][s].get("wrk")]
        size = with_wrk[-1] if with_wrk else measured[-1]
        r = results[backend][size]
        for w in r.get("wrk", []):
            p99 = wrk_ms(w.get("p99"))
            met = p99 is not None and p99 < 200 and w["errors"] == 0
            met = met and w["socket_errors"] == "none"
            cached = "cached" if w["cache"] == "file" else "uncached"
            where = f"API list p99 at 50 clients, {cached} ({snapshots.label(size)}, {backend})"
            figure = (
                f"{w['p99']} (p50 {w['p50']}, {w['rps']} req/s, {w['errors']} non-2xx, "
                f"socket errors: {w['socket_errors']})"
            )
            why = "" if met else WHY.get(f"wrk_{cached}", "see the load-test table")
            target_rows.append([where, figure, "p99 < 200 ms, 0 errors",
                                "**met**" if met else "**missed**", why])  # fmt: skip
            common.print_target(where, figure, "p99 < 200 ms, 0 errors", met, why)
    print(
        common.markdown_table(
            ["operation", "figure", "target", "met?", "why missed / what would close it"],
            target_rows,
            "lllll",
        )
    )
    print()
    wrk_rows = []
    for backend in args.backend_list:
        for size in sizes:
            r = results.get(backend, {}).get(size)
            for w in r.get("wrk", []) if isinstance(r, dict) else []:
                wrk_rows.append([
                    f"{backend}, {snapshots.label(size)}",
                    "cached (file cache)" if w["cache"] == "file" else "uncached (none)",
                    w["requests"], w["rps"], w["p50"], w["p99"], w["errors"], w["socket_errors"],
                ])  # fmt: skip
    for backend in args.backend_list:
        for size in sizes:
            r = results.get(backend, {}).get(size)
            if isinstance(r, dict) and r.get("wrk_error"):
                print(f"- wrk at {size:,} events on {backend} failed: {r['wrk_error']}\n")
    if wrk_rows:
        print("### API under load: wrk, 50 connections\n")
        print(
            "gunicorn 2 workers × 4 threads (gthread), production settings, on the snapshot; "
            "wrk pinned to core 1 (`taskset -c 1 wrk -t2 -c50 -d15s --latency --timeout 10s`), "
            "`GET /api/events?limit=50` with a Secretariat token; the file cache, then "
            "`CICTE_CACHE_URL=none`.\n"
        )
        print(
            common.markdown_table(
                ["data", "list", "requests", "req/s", "p50", "p99", "non-2xx", "socket errors"],
                wrk_rows,
                "llrrrrrl",
            )
        )
        print()


# --- main ---------------------------------------------------------------------------------------


def ensure_snapshots(backend: str, data: Path, sizes: list[int], reuse: bool) -> str | None:
    """Generate the missing snapshots (all of them without ``reuse``); None or why not."""
    missing = [s for s in sizes if not (reuse and snapshots.exists(backend, data, s))]
    if not missing:
        return None
    if backend == "postgres" and common.postgres_version() is None:
        return f"no PostgreSQL server answers at {common.POSTGRES_URL}"
    wanted = sorted(set(sizes) | set(missing))
    command = [sys.executable, str(Path(snapshots.__file__)), "--backend", backend,
               "--sizes", ",".join(map(str, wanted)), "--data", str(data)]  # fmt: skip
    if not reuse:
        command.append("--fresh")
    log(f"{backend}: generating snapshots {', '.join(snapshots.label(s) for s in missing)}")
    done = subprocess.run(command, check=False)
    return None if done.returncode == 0 else f"generating the snapshots failed ({done.returncode})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--data", default=str(snapshots.DEFAULT_DATA))
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the existing snapshots, generate only the missing ones (the default)",
    )
    parser.add_argument("--fresh", action="store_true", help="generate every snapshot again")
    parser.add_argument(
        "--from-saved",
        action="store_true",
        help="take each (backend, size) already measured from DIR/results-*.json",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--no-load", action="store_true", help="no wrk load test")
    parser.add_argument("--quick", action="store_true", help="10k only, no load test")
    parser.add_argument("--export-child", nargs=2)
    parser.add_argument("--child", nargs=3, metavar=("BACKEND", "SIZE", "URL"))
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--db", default="")
    parser.add_argument(
        "--missing-why",
        default=os.environ.get("BENCH_1M_MISSING", "no saved measurement (not measured)"),
        help="with --from-saved: the reason printed for a size without saved figures",
    )
    parser.add_argument("--partial", default="")
    # run_all.py passes only --quick: further options come from BENCH_1M_ARGS
    args = parser.parse_args([*sys.argv[1:], *os.environ.get("BENCH_1M_ARGS", "").split()])
    if args.export_child:
        common.setup_django(args.db)
        export_child(args.export_child[0], int(args.export_child[1]))
        return
    if args.child:
        backend, size, url = args.child[0], int(args.child[1]), args.child[2]
        partial = Path(args.partial or os.devnull)
        result = measure(backend, size, url, args.runs, args.load, args.export_runs, partial)
        print(json.dumps(result, default=str))
        return
    args.reuse = not args.fresh
    args.size_list = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    args.backend_list = [b.strip() for b in args.backends.split(",") if b.strip()]
    data = Path(args.data)
    results: dict[str, dict[int, Any]] = {}
    for backend in args.backend_list:
        results[backend] = {}
        # --from-saved: print what was measured, measure or generate nothing
        why = (
            None if args.from_saved else ensure_snapshots(backend, data, args.size_list, args.reuse)
        )
        for size in args.size_list:
            if why is not None and not snapshots.exists(backend, data, size):
                results[backend][size] = why
                continue
            saved = data / f"results-{backend}-{snapshots.label(size)}.json"
            if args.from_saved:
                partial = saved.with_suffix(".partial.json")
                if saved.exists():
                    results[backend][size] = json.loads(saved.read_text())
                elif partial.exists():
                    results[backend][size] = {
                        **json.loads(partial.read_text()),
                        "error": "measured only in part (the run was stopped or failed)",
                    }
                else:
                    results[backend][size] = args.missing_why
                continue
            url = snapshots.snapshot_url(backend, data, size)
            partial = saved.with_suffix(".partial.json")
            partial.unlink(missing_ok=True)
            load = not (args.no_load or args.quick) and size == max(args.size_list)
            command = [sys.executable, __file__, "--child", backend, str(size), url, "--runs",
                       str(args.runs), "--export-runs", str(args.export_runs),
                       "--partial", str(partial)]  # fmt: skip
            if load:
                command.append("--load")
            started = time.perf_counter()
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
            if done.returncode != 0:
                why = f"the measuring process failed (exit code {done.returncode})"
                if partial.exists():  # what it measured before failing
                    results[backend][size] = {**json.loads(partial.read_text()), "error": why}
                else:
                    results[backend][size] = why
                continue
            results[backend][size] = json.loads(done.stdout.strip().splitlines()[-1])
            took = time.perf_counter() - started
            log(f"{backend} {snapshots.label(size)} measured in {took:.0f} s")
            saved.write_text(json.dumps(results[backend][size], default=str))
    report(results, args)


if __name__ == "__main__":
    main()
