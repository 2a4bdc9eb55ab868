"""Benchmark: how the report, pages and API grow with data size, on SQLite and PostgreSQL.

For each backend, in a throwaway database (an SQLite file in a temporary folder; a
``cicte_bench`` database created and dropped on the PostgreSQL server at
``BENCH_POSTGRES_URL``/``TEST_POSTGRES_URL`` when one answers), this script:

1. migrates, imports the 2012 Work Plan and, with ``cicte generate``'s generator, grows the
   synthetic data incrementally to each size (default 10k, 100k, 200k events over 20 yearly
   plans, about 15 named participants per event);
2. at each size, times (server side, in process, median of several runs after a warm-up):
   - the floor: ONE raw SQL aggregate computing the per-target delivered units of the
     report's plan and period (held events ending in the period);
   - the semi-annual report's data selector ``report_data`` and each rendered format
     (html/pdf/docx/xlsx), and the progress selector ``plan_progress``;
   - the dashboard, event list and report pages and the ``/api/events`` list through
     ``django.test.Client`` as a signed-in staff user;
   - the number of SQL queries of each, and its memory: tracemalloc peak (Python heap of
     that one operation) and ru_maxrss (the worker process's high-water mark);
3. prints a Markdown section (growth table, targets) and writes ``benchmarks/growth.svg``.

Each backend runs in its own worker process (Django is configured once per process, and
ru_maxrss is per process). Usage:

    python benchmarks/bench_scale.py                 # 10k, 100k, 200k on both backends
    python benchmarks/bench_scale.py --quick         # 2k and 5k events, fewer runs
    python benchmarks/bench_scale.py --sizes 10000,50000 --backends sqlite
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    BENCH_DIR,
    Timing,
    fmt_ms,
    markdown_table,
    max_rss_mb,
    postgres_version,
    print_target,
    setup_django,
    throwaway_postgres,
    timed,
    traced_peak_mb,
)

REPORT_PAGE_NOTE = (
    "the HTML is fast (~0.1 s); the time is the report data selector (see the report-data "
    "row): every section is built in Python from every held event of the half-year; fix as "
    "there: aggregate per section in SQL, load only the rendered annex rows, cache per plan, "
    "period and language"
)

YEARS = 20
FIRST_YEAR = 2012
AS_OF = dt.date(2026, 7, 1)  # fixed, so the data (statuses) do not change with the day
REPORT_YEAR = 2025  # the report's plan: a past year, mostly held events
REPORT_PERIOD = f"{REPORT_YEAR}-H1"
SEED = 2012
FORMATS = ("html", "pdf", "docx", "xlsx")
SLOW_FORMATS = ("pdf", "docx")
SLOW_SECONDS = 2.0  # an operation slower than this is timed once (its first call)
FLOOR_SQL = """
SELECT et.target_id, SUM(et.units)
FROM delivery_eventtarget et
JOIN delivery_event e ON e.id = et.event_id
WHERE e.plan_id = %s AND e.status = 'held' AND e.end_date BETWEEN %s AND %s
GROUP BY et.target_id
"""
# Targets of issue 7.
REPORT_FLOOR_RATIO = 2.0
PAGE_SECONDS = 1.0
PEAK_MB = 500.0


# --- worker: one backend, all sizes ------------------------------------------------------------


@dataclass
class Op:
    name: str
    func: Callable[[], Any] | None
    runs: int = 5
    warmup: int = 1
    trace: bool = True  # also count queries and trace the heap (extra calls)
    note: str = ""


def _operations(runs: int, render: bool) -> list[Op]:
    """What to time at each size; ``render``: also the report's rendered formats (they take
    the data object, not the database, so one backend is enough)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from cicte.core.periods import parse_period
    from cicte.plan.models import WorkPlan
    from cicte.progress.selectors import plan_progress

    plan = WorkPlan.objects.get(symbol__startswith=f"CICTE/doc.5/{REPORT_YEAR % 100:02d} (syn")
    period = parse_period(REPORT_PERIOD)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True}
    )
    client = Client()
    client.force_login(user)

    def floor() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [plan.pk, period.start, period.end])
            return cursor.fetchall()

    ops: list[Op] = [
        Op("SQL floor (one aggregate query)", floor, runs * 2),
        Op("plan_progress selector", lambda: plan_progress(plan=plan, period=period), runs),
    ]
    try:
        from cicte.reports.build import report_data
    except ImportError as exc:
        ops.append(Op("report_data selector", None, note=f"not available: {exc}"))
    else:
        data_box: dict[str, Any] = {}

        def data() -> Any:
            data_box["data"] = report_data(plan=plan, period=period, language="en")
            return data_box["data"]

        ops.append(Op("report_data selector", data, runs))
        try:
            from cicte.reports.renderers import render as render_report
        except ImportError as exc:
            ops.append(Op("report renderers", None, note=f"not available: {exc}"))
        else:
            for fmt in FORMATS:

                def rendered(fmt: str = fmt) -> Any:
                    if "data" not in data_box:
                        data()
                    return render_report(data_box["data"], fmt)

                name = f"report rendered as {fmt} (from its data)"
                if not render:
                    ops.append(Op(name, None, note="measured on the first backend only"))
                elif fmt in SLOW_FORMATS:  # seconds to minutes: once, no extra traced call
                    ops.append(Op(name, rendered, runs=1, warmup=1, trace=False))
                else:
                    ops.append(Op(name, rendered, max(1, runs // 2)))

    def page(url_name: str, params: dict[str, Any]) -> tuple[Callable[[], Any] | None, str]:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            return None, f"no URL named {url_name} yet"

        def get() -> Any:
            response = client.get(url, params)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            return response

        return get, ""

    for label, url_name, params in (
        ("dashboard page", "workspace:dashboard", {"plan": plan.pk, "period": REPORT_PERIOD}),
        ("event list page", "workspace:event-list", {"plan": plan.pk, "period": REPORT_PERIOD}),
        (
            "report page (HTML preview)",
            "workspace:report",
            {"plan": plan.pk, "period": REPORT_PERIOD, "lang": "en"},
        ),
        ("API /api/events list (one client)", "api:event_list", {"plan": plan.year}),
        ("event form page", "workspace:event-create", {"plan": plan.pk}),
        ("assistance request form page", "workspace:assistance-new", {}),
        ("participant feedback page", "workspace:evaluations-feedback", {}),
    ):
        func, note = page(url_name, params)
        if func is None and url_name.startswith("api"):
            func, note = _api_get(client, "/api/events", params)
        ops.append(Op(label, func, runs, note=note))
    func, note = _api_get(client, "/api/events", {})
    ops.append(Op("API /api/events list, all plans (one client)", func, runs, note=note))
    return ops


def _api_get(client: Any, path: str, params: dict[str, Any]) -> tuple[Callable[[], Any], str]:
    def get() -> Any:
        response = client.get(path, params)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        return response

    return get, ""


def _measure(ops: list[Op]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out: dict[str, Any] = {}
    for op in ops:
        row: dict[str, Any] = {"note": op.note}
        if op.func is None:
            out[op.name] = row
            continue
        try:
            started = time.perf_counter()
            op.func()  # the warm-up, timed: a slow operation is measured by it alone
            first = time.perf_counter() - started
            if first > SLOW_SECONDS:
                timing = Timing(first, [first])
                op.trace = False
            else:
                timing = timed(op.func, runs=op.runs, warmup=max(0, op.warmup - 1))
            row.update(seconds=timing.median, samples=timing.samples)
            if op.trace:
                with CaptureQueriesContext(connection) as queries:
                    op.func()
                row.update(queries=len(queries.captured_queries), traced_mb=traced_peak_mb(op.func))
            else:
                row["note"] = (row["note"] + " timed once, heap not traced (see RSS)").strip()
            row["rss_mb"] = max_rss_mb()
        except Exception as exc:  # a broken page must not hide the others
            row["error"] = f"{type(exc).__name__}: {exc}"[:200]
        out[op.name] = row
        print(f"  {op.name}: {row.get('seconds', row.get('error', op.note))}", file=sys.stderr)
    return out


def worker(
    backend: str, url: str, sizes: list[int], runs: int, per_event: int, render: bool
) -> list[dict]:
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from cicte.delivery.models import Event, Participant
    from cicte.sampledata.synthetic import base_plan, synthetic_data_generate

    call_command("migrate", verbosity=0)
    base_plan()
    results = []
    have = 0
    for size in sizes:
        delta = size - have
        print(f"[{backend}] generating {delta:,} events (to {size:,})", file=sys.stderr)
        cpu_started = time.process_time()
        generated = synthetic_data_generate(
            years=YEARS,
            events=delta,
            participants=delta * per_event,
            seed=SEED,
            plan_year_start=FIRST_YEAR,
            as_of=AS_OF,
            append=True,
        )
        generate_cpu = time.process_time() - cpu_started  # this process (PostgreSQL: client)
        have = size
        rss_after_generate = max_rss_mb()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum would have done by now
                cursor.execute("ANALYZE")
        started = time.perf_counter()
        ops = _measure(_operations(runs, render))
        results.append(
            {
                "backend": backend,
                "size": size,
                "events": Event.objects.count(),
                "participants": Participant.objects.count(),
                "generated_rows": generated.rows,
                "generate_seconds": generated.seconds,
                "generate_rows_per_s": generated.rows_per_second,
                "generate_events_per_s": generated.events_per_second,
                "generate_cpu_rows_per_s": generated.rows / generate_cpu if generate_cpu else 0,
                "rss_after_generate_mb": rss_after_generate,
                "measure_seconds": time.perf_counter() - started,
                "ops": ops,
            }
        )
    return results


# --- parent: run the workers, report -----------------------------------------------------------


def run_backend(backend: str, url: str, args: argparse.Namespace, render: bool) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                backend,
                "--url",
                url,
                "--sizes",
                ",".join(str(s) for s in args.sizes),
                "--runs",
                str(args.runs),
                "--per-event",
                str(args.per_event),
                "--json-out",
                str(out),
                *(["--render"] if render else []),
            ],
            check=True,
        )
        return list(json.loads(out.read_text()))
    finally:
        out.unlink(missing_ok=True)


def _op(result: dict, name: str) -> dict:
    return dict(result["ops"].get(name, {}))


def _cell(row: dict) -> str:
    if "error" in row:
        return "error"
    if "seconds" not in row:
        return "n/a"
    return fmt_ms(row["seconds"])


SERIES_LABELS = {
    "SQL floor (one aggregate query)": "SQL floor",
    "report_data selector": "report_data",
    "report rendered as html (from its data)": "report HTML render",
    "dashboard page": "dashboard page",
    "event list page": "event list page",
}


def _nice_step(span: float) -> float:
    raw = span / 5 or 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def growth_svg(results: dict[str, list[dict]], series: list[str]) -> str:
    """A hand-written SVG line chart: median ms against events; one colour per operation,
    solid for SQLite, dashed for PostgreSQL."""
    width, height, left, right, top, bottom = 900, 440, 70, 270, 40, 50
    points: list[tuple[str, int, str, list[tuple[int, float]]]] = []
    for backend, rows in results.items():
        for index, name in enumerate(series):
            pts = [
                (r["size"], _op(r, name)["seconds"] * 1000)
                for r in rows
                if "seconds" in _op(r, name)
            ]
            if pts:
                points.append((backend, index, name, pts))
    xs = [x for *_, pts in points for x, _ in pts] or [1]
    ys = [y for *_, pts in points for _, y in pts] or [1.0]
    step = _nice_step(max(ys))
    y_max = step * math.ceil(max(ys) / step) or 1.0
    x_max = max(xs)
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return left + plot_w * x / x_max

    def sy(y: float) -> float:
        return top + plot_h * (1 - y / y_max)

    colours = ["#555555", "#c0392b", "#1f5fa8", "#2e8b57", "#d35400", "#8e44ad", "#b8860b"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        "<title>Median time against data size (benchmarks/bench_scale.py)</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="22" font-size="14" font-weight="bold">Median time (ms) against '
        "events in the database</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#000"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#000"/>',
        f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">events</text>',
        f'<text x="18" y="{top + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 18 {top + plot_h / 2})">median ms</text>',
    ]
    value = 0.0
    while value <= y_max + step / 2:
        parts.append(
            f'<line x1="{left - 4}" y1="{sy(value):.1f}" x2="{left + plot_w}" '
            f'y2="{sy(value):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{sy(value) + 4:.1f}" text-anchor="end">{value:,.0f}</text>'
        )
        value += step
    for x in sorted(set(xs)):
        parts.append(
            f'<text x="{sx(x):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{x:,}</text>'
        )
    for i, (backend, index, name, pts) in enumerate(points):
        colour = colours[index % len(colours)]
        dash = ' stroke-dasharray="7 4"' if backend == "postgresql" else ""
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        parts += [
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in pts
        ]
        ly = top + 18 * i
        label = f"{backend}: {SERIES_LABELS.get(name, name)}"
        parts.append(
            f'<line x1="{left + plot_w + 14}" y1="{ly}" x2="{left + plot_w + 44}" y2="{ly}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{left + plot_w + 50}" y="{ly + 4}">{_escape(label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report(
    results: dict[str, list[dict]], skipped: dict[str, str], args: argparse.Namespace
) -> None:
    sizes = ", ".join(f"{s:,}" for s in args.sizes)
    print("## Scale: report, pages and API against data size (`benchmarks/bench_scale.py`)\n")
    print(
        f"Synthetic data from `cicte generate` (seed {SEED}, {YEARS} yearly plans cloned from "
        f"the 2012 plan, {args.per_event} named participants per event, statuses as of "
        f"{AS_OF}), grown incrementally to {sizes} events in a throwaway database per backend. "
        f"The report is plan {REPORT_YEAR}, period {REPORT_PERIOD}. Times are server side, in "
        f"process: median of {args.runs} runs after a warm-up (rendered formats: "
        f"{max(1, args.runs // 2)}). *floor* = one raw SQL aggregate of the per-target "
        "delivered units for the same plan and period. Memory: *heap* = tracemalloc peak of "
        "the one operation; *RSS* = the worker process's ru_maxrss after it.\n"
    )
    for backend, reason in skipped.items():
        print(f"**{backend}: not run** — {reason}\n")
    for backend, rows in results.items():
        if not rows:
            continue
        names = list(rows[0]["ops"])
        print(f"### {backend}\n")
        headers = [
            "events",
            "participants",
            "generate rows/s",
            "events/s",
            "rows per CPU-second of the worker",
            "worker RSS after it, MB",
        ]
        print(
            markdown_table(
                headers,
                [
                    (
                        f"{r['events']:,}",
                        f"{r['participants']:,}",
                        f"{r['generate_rows_per_s']:,.0f}",
                        f"{r.get('generate_events_per_s', 0):,.0f}",
                        f"{r.get('generate_cpu_rows_per_s', 0):,.0f}",
                        f"{r.get('rss_after_generate_mb', 0):,.0f}",
                    )
                    for r in rows
                ],
            )
        )
        table = []
        for name in names:
            cells = [name]
            for r in rows:
                op = _op(r, name)
                cells.append(_cell(op))
            last = _op(rows[-1], name)
            cells.append(str(last.get("queries", "—")))
            cells.append(f"{last['traced_mb']:.1f}" if "traced_mb" in last else "—")
            cells.append(f"{last['rss_mb']:.0f}" if "rss_mb" in last else "—")
            note = last.get("error") or last.get("note") or ""
            cells.append(note.replace("|", "/"))
            table.append(cells)
        print(
            markdown_table(
                [
                    "operation (median ms)",
                    *[f"{r['events']:,} ev." for r in rows],
                    "queries",
                    "heap MB",
                    "RSS MB",
                    "note",
                ],
                table,
                align="l" + "r" * (len(rows) + 3) + "l",
            )
        )
        floor = _op(rows[-1], "SQL floor (one aggregate query)").get("seconds")
        data = _op(rows[-1], "report_data selector").get("seconds")
        if floor and data:
            print(
                f"report_data ÷ SQL floor at {rows[-1]['events']:,} events: "
                f"**{data / floor:,.1f}×** ({fmt_ms(data)} ms vs {fmt_ms(floor)} ms).\n"
            )
        first_floor = _op(rows[0], "SQL floor (one aggregate query)").get("seconds")
        first_data = _op(rows[0], "report_data selector").get("seconds")
        if len(rows) > 1 and floor and data and first_floor and first_data:
            d_data, d_floor = data - first_data, floor - first_floor
            marginal = (
                f"{d_data / d_floor:,.1f}×" if d_floor > 0 and d_data > 0 else "n/a: within noise"
            )
            print(
                f"Growth from {rows[0]['events']:,} to {rows[-1]['events']:,} events: "
                f"report_data {d_data * 1000:+,.0f} ms, SQL floor {d_floor * 1000:+,.1f} ms "
                f"(marginal ratio {marginal}). What the data size adds to the report is the "
                "part to compare with the floor; the rest is a fixed cost (its queries and "
                "the building of every section), the same at any size.\n"
            )
    _targets(results, args)
    svg = growth_svg(
        results,
        [
            "SQL floor (one aggregate query)",
            "report_data selector",
            "report rendered as html (from its data)",
            "dashboard page",
            "event list page",
        ],
    )
    if not args.no_svg:
        (BENCH_DIR / "growth.svg").write_text(svg)
        print("![time against data size](growth.svg)\n")


def _targets(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    for backend, rows in results.items():
        if not rows:
            continue
        last = rows[-1]
        n = f"{last['events']:,} events, {backend}"
        floor = _op(last, "SQL floor (one aggregate query)").get("seconds")
        data = _op(last, "report_data selector").get("seconds")
        if floor and data:
            ratio = data / floor
            print_target(
                f"report data ≤ 2× SQL floor ({n})",
                f"{ratio:,.1f}× ({fmt_ms(data)} ms / {fmt_ms(floor)} ms)",
                "≤ 2×",
                ratio <= REPORT_FLOOR_RATIO,
                "" if ratio <= REPORT_FLOOR_RATIO else _why_ratio(last),
            )
        else:
            print_target(f"report data ≤ 2× SQL floor ({n})", "not measured", "≤ 2×", None,
                         _op(last, "report_data selector").get("note", ""))  # fmt: skip
        for label, name in (
            ("dashboard < 1 s", "dashboard page"),
            ("report HTML < 1 s (data + render)", "report rendered as html (from its data)"),
            ("report page < 1 s", "report page (HTML preview)"),
        ):
            op = _op(last, name)
            seconds = op.get("seconds")
            if name.startswith("report rendered") and seconds is not None and data:
                seconds += data
            if seconds is None and "first backend" in op.get("note", ""):
                continue  # the renderers do not touch the database: see the first backend
            if seconds is None:
                print_target(f"{label} ({n})", "not measured", "< 1 s", None,
                             op.get("error") or op.get("note", ""))  # fmt: skip
                continue
            met = seconds < PAGE_SECONDS
            note = "" if met or not name.startswith("report") else REPORT_PAGE_NOTE
            print_target(f"{label} ({n})", f"{fmt_ms(seconds)} ms", "< 1 s", met, note)
        peaks = [
            (op.get("rss_mb", 0.0), name) for name, op in last["ops"].items() if "rss_mb" in op
        ]
        heap = [
            (op.get("traced_mb", 0.0), name)
            for name, op in last["ops"].items()
            if "traced_mb" in op
        ]
        if peaks:
            generated = max(r.get("rss_after_generate_mb", 0.0) for r in rows)
            print_target(
                f"peak memory < 500 MB: cicte generate to {last['events']:,} events ({backend})",
                f"worker RSS {generated:,.0f} MB after generating",
                "< 500 MB",
                generated < PEAK_MB,
                "" if generated < PEAK_MB else "generation batches: lower --batch",
            )
            rss, _ = max(peaks)
            top_heap, top_name = max(heap)
            grew, previous = [], generated
            for name, op in last["ops"].items():  # which operations raised the high-water mark
                if op.get("rss_mb", 0.0) > previous + 5:
                    grew.append(f"{name} +{op['rss_mb'] - previous:,.0f} MB")
                    previous = op["rss_mb"]
            print_target(
                f"peak memory < 500 MB, any single operation ({n})",
                f"RSS high-water {rss:,.0f} MB (raised by: {', '.join(grew) or 'none'}); "
                f"largest traced heap {top_heap:,.0f} MB ({top_name})",
                "< 500 MB",
                rss < PEAK_MB,
                ""
                if rss < PEAK_MB
                else "ru_maxrss is the process high-water mark, so the operations listed "
                "raised it; an unbounded list (every event in one page) is the usual cause: "
                "paginate it",
            )
        print_target(
            f"generate throughput ({backend})",
            f"{last['generate_rows_per_s']:,.0f} rows/s",
            "≥ 30,000 rows/s (issue 16; rows of every table, search index included)",
            last["generate_rows_per_s"] >= 30_000,
        )


def _why_ratio(row: dict) -> str:
    queries = _op(row, "report_data selector").get("queries")
    return (
        f"report_data is a fixed cost: {queries} queries and every section built in Python "
        "(plan tree, mandates, coverage by state, annex), against one aggregate over the few "
        "thousand rows of one half-year, which both backends answer from the (plan, status, "
        "end_date) index in milliseconds. Fix: cache ReportData per (plan, period, language), "
        "invalidated when an event of the plan changes, and share one grouped query between "
        "sections; see the growth line for the size-dependent part."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,200000", help="events, comma-separated")
    parser.add_argument("--quick", action="store_true", help="2k and 5k events, 2 runs")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-event", type=int, default=15, help="named participants per event")
    parser.add_argument("--no-svg", action="store_true", help="do not write benchmarks/growth.svg")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    if args.quick:
        args.sizes, args.runs = [s for s in args.sizes if s <= 5000] or [2000, 5000], 2
    if args.worker:
        rows = worker(args.worker, args.url, args.sizes, args.runs, args.per_event, args.render)
        Path(args.json_out).write_text(json.dumps(rows))
        return
    results: dict[str, list[dict]] = {}
    skipped: dict[str, str] = {}
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        render = not results  # renderers do not touch the database: first backend only
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/bench.sqlite3"
                results[backend] = run_backend(backend, url, args, render)
        elif backend in {"postgresql", "postgres"}:
            if postgres_version() is None:
                skipped["postgresql"] = "no PostgreSQL server answered (set BENCH_POSTGRES_URL)."
                continue
            with throwaway_postgres("cicte_bench") as url:
                results["postgresql"] = run_backend("postgresql", url, args, render)
        else:
            skipped[backend] = "unknown backend (use sqlite, postgresql)."
    report(results, skipped, args)


if __name__ == "__main__":
    main()
