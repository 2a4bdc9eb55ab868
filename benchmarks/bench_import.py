"""Benchmark: importing a 10,000-row events spreadsheet into the 2012 Work Plan.

Builds a throwaway SQLite database in a temporary directory (``DATABASE_URL`` is set before
Django starts), migrates it, imports the 2012 plan from its text, then writes a reproducible
XLSX (``random.Random(seed)``) with the import columns: 1–2 target codes of the plan, every
kind, dates across 2012, the 35 member states, participants by sex, the plan's partners.

It measures, on the same machine:

- parsing the file (``read_events``, python-calamine), median of 3;
- ``events_import`` into an empty plan (every row creates an event), and again (re-import:
  every row is found by its import key and left unchanged);
- the whole command ``cicte import-events FILE.xlsx`` in a fresh process on a copy of the
  database taken before the import (wall time and the child's peak RSS);
- peak memory: tracemalloc's peak during parse + import, and this process's peak RSS.

Prints a Markdown section. Usage:
``python benchmarks/bench_import.py [--rows 10000] [--seed 2012] [--keep FILE.xlsx]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PLAN_FILE, ROOT, machine, markdown_table, print_target, setup_django

IMPORT_NOTE = (
    "below the floor's reach: the import's own SQL statements (one executemany per table per "
    "2,000 rows: events, their history records, beneficiaries, partners, contributions and "
    "the history of each, search entries) take about as long as the rest together (the "
    "floor row), so 20,000 rows/s would need those INSERTs alone to run several times faster "
    "than SQLite writes these ten indexed tables; the Python part (parse with calamine/csv, "
    "validation, row preparation) is about half. Close: write the history and search rows "
    "after the transaction (a background task), or fewer indexes during a bulk import"
)

# The command in a new Python process that reports its own peak RSS (VmHWM, Linux) on exit:
# ru_maxrss of children would count the benchmark process's memory at fork time.
_REPORT_PEAK = """
import atexit, sys
def _peak():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                sys.stderr.write("VMHWM_KB " + line.split()[1] + "\\n")
    except OSError:
        pass
atexit.register(_peak)
from cicte.cli import main
main(["cicte", *sys.argv[1:]])
"""
CICTE = [sys.executable, "-c", _REPORT_PEAK]
KINDS = ["workshop", "course", "mission", "exercise", "needs_assessment", "evaluation", "meeting"]
STATUSES = ["held"] * 6 + ["planned", "confirmed", "postponed", "cancelled"]
MODALITIES = ["national", "national", "subregional", "regional", "binational", "virtual"]


class SqlClock:
    """An ``execute_wrapper`` adding up the time spent in the database's statements: the
    floor of an import is the INSERTs (events, their history, relations, search entries)
    that any implementation must run."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def build_table(
    *, rows: int, seed: int, codes: list[str], partners: list[str], prefix: str = "Benchmark"
) -> list[list[object]]:
    """A reproducible table of ``rows`` events, header first (the same for the same seed)."""
    from cicte.delivery.parsing.spreadsheet import COLUMNS
    from cicte.directory.data import MEMBER_STATES

    rng = random.Random(seed)
    states = [code for code, *_rest in MEMBER_STATES]
    table: list[list[object]] = [list(COLUMNS)]
    for i in range(rows):
        start = dt.date(2012, 1, 2) + dt.timedelta(days=rng.randrange(0, 355))
        end = start + dt.timedelta(days=rng.randrange(0, 4))
        chosen = rng.sample(codes, rng.choice([1, 1, 1, 2]))
        target = "; ".join(c if rng.random() < 0.8 else f"{c}*{rng.randint(2, 3)}" for c in chosen)
        total = rng.randint(5, 60)
        women = rng.randint(0, total)
        men = rng.randint(0, total - women)
        host = rng.choice(states)
        beneficiaries = sorted({host, *rng.sample(states, rng.randint(0, 3))})
        table.append(
            [
                target,
                f"{prefix} event {i:05d}",
                rng.choice(KINDS),
                start,
                end,
                f"City {rng.randint(1, 200)}",
                host,
                "; ".join(beneficiaries),
                total,
                women,
                men,
                "; ".join(rng.sample(partners, rng.randint(0, 2))),
                rng.choice(STATUSES),
                1,
                rng.choice(MODALITIES),
                f"{rng.randrange(2_000, 80_000)}.00",
                "USD",
                "",
            ]
        )
    return table


def build_xlsx(*, rows: int, seed: int, codes: list[str], partners: list[str]) -> bytes:
    """A reproducible spreadsheet of ``rows`` events (the same bytes for the same seed)."""
    return xlsx_of(build_table(rows=rows, seed=seed, codes=codes, partners=partners))


def xlsx_of(table: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Events")
    for line in table:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_of(table: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table:
        writer.writerow(v.isoformat() if isinstance(v, dt.date) else v for v in line)
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--keep", type=Path, help="also save the generated XLSX here")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cicte-bench-import-"))
    try:
        database = workdir / "bench.sqlite3"
        setup_django(f"sqlite:///{database}")
        from django.core.management import call_command

        from cicte.core.types import SYSTEM
        from cicte.delivery.models import Event
        from cicte.delivery.parsing.spreadsheet import read_events
        from cicte.delivery.services import events_import
        from cicte.plan.selectors import plan_get

        call_command("migrate", verbosity=0)
        call_command("import_plan", str(PLAN_FILE), stdout=io.StringIO(), stderr=io.StringIO())
        plan = plan_get("2012")
        codes = list(
            plan.targets.filter(quantity__isnull=False)
            .order_by("position")
            .values_list("code", flat=True)
        )
        partners = list(plan.partners.order_by("name").values_list("name", flat=True))

        from django.db import connection, connections

        connections.close_all()
        pristine = workdir / "pristine.sqlite3"
        shutil.copyfile(database, pristine)

        started = time.perf_counter()
        data = build_xlsx(rows=args.rows, seed=args.seed, codes=codes, partners=partners)
        generate_s = time.perf_counter() - started
        xlsx = workdir / "events.xlsx"
        xlsx.write_bytes(data)
        if args.keep:
            args.keep.write_bytes(data)

        csv_data = csv_of(
            build_table(
                rows=args.rows, seed=args.seed, codes=codes, partners=partners, prefix="CSV"
            )
        )

        def clocked(func: Any) -> tuple[Any, float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            value = func()
            return value, time.perf_counter() - started, time.process_time() - cpu

        phases: dict[str, dict[str, tuple[float, float]]] = {}
        sheet = None
        for name, content in (("XLSX", data), ("CSV", csv_data)):
            samples = [clocked(lambda content=content: read_events(content)) for _ in range(3)]
            sheet = samples[0][0]
            assert not sheet.errors, sheet.errors[:5]
            parse = sorted((wall, cpu) for _value, wall, cpu in samples)[1]
            checked, *validate = clocked(
                lambda sheet=sheet: events_import(
                    actor=SYSTEM, plan=plan, rows=sheet.rows, dry_run=True
                )
            )
            assert checked.created == args.rows and not checked.errors, checked.errors[:5]
            clock = SqlClock()
            with connection.execute_wrapper(clock):
                done, *whole = clocked(
                    lambda sheet=sheet: events_import(actor=SYSTEM, plan=plan, rows=sheet.rows)
                )
            assert done.created == args.rows and not done.errors, done.errors[:5]
            phases[name] = {
                "parse": parse,
                "validate": (validate[0], validate[1]),
                "write": (whole[0] - validate[0], whole[1] - validate[1]),
                "import": (whole[0], whole[1]),
                "end to end": (parse[0] + whole[0], parse[1] + whole[1]),
                "floor: the import's SQL statements alone": (clock.seconds, clock.seconds),
            }
        assert Event.objects.count() == 2 * args.rows
        sheet = read_events(data)

        started, cpu = time.perf_counter(), time.process_time()
        again = events_import(actor=SYSTEM, plan=plan, rows=sheet.rows)
        reimport_s = time.perf_counter() - started
        reimport_cpu_s = time.process_time() - cpu
        assert again.unchanged == args.rows and Event.objects.count() == 2 * args.rows

        # Peak Python heap for parse + import into a fresh plan (tracemalloc slows this run,
        # so it is not timed). Run on the pristine copy through a fresh process-local DB.
        Event.objects.all().delete()
        tracemalloc.start()
        tracemalloc.reset_peak()
        traced_sheet = read_events(data)
        events_import(actor=SYSTEM, plan=plan, rows=traced_sheet.rows)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        env = {
            "DATABASE_URL": f"sqlite:///{pristine}",
            "DJANGO_SETTINGS_MODULE": "cicte.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT / "src"),
            "DEBUG": "0",
        }
        started = time.perf_counter()
        completed = subprocess.run(
            [*CICTE, "import-events", str(xlsx), "--plan", "2012"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        command_s = time.perf_counter() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        command_cpu_s = children.ru_utime + children.ru_stime
        peaks = [
            int(line.split()[1])
            for line in completed.stderr.splitlines()
            if line.startswith("VMHWM_KB ")
        ]
        if completed.returncode != 0:
            raise SystemExit(f"cicte import-events failed:\n{completed.stderr[-2000:]}")
        rss_child_mb = (
            peaks[0] / 1024
            if peaks
            else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = args.rows
    info = machine()
    print(f"## Events spreadsheet import ({rows:,} rows, 2012 plan, SQLite)\n")
    print(
        f"Machine: {info.get('cpu', '?')}, {info.get('nproc', '?')} cores; "
        f"{info.get('date', '')}. File: {len(data) / 1024:,.0f} KiB XLSX, seed {args.seed} "
        f"(generated in {generate_s:.2f} s).\n"
    )

    def line(label: str, wall: float, cpu: float) -> list[str]:
        return [label, f"{wall:.2f}", f"{rows / wall:,.0f}", f"{cpu:.2f}", f"{rows / cpu:,.0f}"]

    table = [
        line(f"{name}: {phase}", *figures)
        for name, by_phase in phases.items()
        for phase, figures in by_phase.items()
    ]
    table += [
        line("re-import of the same rows (all unchanged)", reimport_s, reimport_cpu_s),
        line("whole command `cicte import-events` (new process)", command_s, command_cpu_s),
    ]
    print(
        markdown_table(["measurement", "wall s", "rows/s (wall)", "CPU s", "rows/s (CPU)"], table)
    )
    print(
        "Wall time depends on the machine's load (load average "
        f"{os.getloadavg()[0]:.1f} on {info.get('nproc', '?')} cores at the end); CPU time "
        "is this process's (or the command's) own.\n"
    )
    print(
        markdown_table(
            ["memory", "MB"],
            [
                ["tracemalloc peak, parse + import", f"{traced_peak / 1024 / 1024:.0f}"],
                ["peak RSS, benchmark process", f"{rss_self_mb:.0f}"],
                ["peak RSS, `cicte import-events` process", f"{rss_child_mb:.0f}"],
            ],
        )
    )
    for name, floor in (("CSV", 20_000), ("XLSX", 10_000)):
        wall, cpu = phases[name]["end to end"]
        rate, cpu_rate = rows / wall, rows / cpu
        print_target(
            f"{name} import rows/s end to end (parse + events_import)",
            f"{rate:,.0f} rows/s wall, {cpu_rate:,.0f} rows/s CPU",
            f"≥ {floor:,} rows/s",
            rate >= floor,
            "" if rate >= floor else IMPORT_NOTE,
        )
    print_target(
        "spreadsheet import peak memory (command RSS)",
        f"{rss_child_mb:.0f} MB",
        "< 500 MB",
        rss_child_mb < 500,
    )


if __name__ == "__main__":
    main()
