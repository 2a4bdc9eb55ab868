"""Helpers shared by the benchmarks: machine description, timing, memory, throwaway databases,
Markdown output and the target markers that ``run_all.py`` gathers into RESULTS.md.

Any ``bench_*.py`` may use them (``sys.path`` holds this folder when a script runs):

    from common import measure, print_target, setup_django

A benchmark states a figure against a target of issue 7 with ``print_target(...)``; it prints
an HTML comment that ``run_all.py`` collects into the "Targets" table at the top of
RESULTS.md (and that Markdown viewers do not show).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import sqlite3
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
PLAN_FILE = ROOT / "src/cicte/plan/fixtures/2012-work-plan.txt"
# A PostgreSQL role allowed to create databases; the benchmarks create and drop their own.
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL",
    os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cicte"),
)
TARGET_MARK = "<!-- target: "


# --- the machine --------------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_total_mb() -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return None


def os_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip().strip('"')
    return platform.platform()


def _admin_url(url: str) -> str:
    """The same server, its ``postgres`` maintenance database."""
    return re.sub(r"/[^/]*$", "/postgres", url)


def postgres_version(url: str = POSTGRES_URL) -> str | None:
    """The server version, or None when no PostgreSQL answers at ``url``."""
    try:
        import psycopg

        with psycopg.connect(_admin_url(url), connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except Exception:
        return None


def machine() -> dict[str, Any]:
    import django

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_mb": memory_total_mb(),
        "os": os_name(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --- Django and databases ------------------------------------------------------------------------


def setup_django(database_url: str) -> None:
    """Configure Django for ``database_url`` (call once per process, before any model import)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"  # no query log kept in memory, as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cicte.settings")
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


@contextlib.contextmanager
def throwaway_postgres(name: str, url: str = POSTGRES_URL) -> Iterator[str]:
    """Create database ``name`` on the server at ``url``, yield its URL, drop it afterwards."""
    import psycopg

    admin = _admin_url(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", url)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- raw SQL on both backends -------------------------------------------------------------------

_GROUP_CONCAT = re.compile(r"group_concat\(([^,()]+(?:\([^()]*\))?)(?:,\s*('[^']*'))?\)", re.I)


def portable(sql: str) -> str:
    """The floors' raw SQL for the current connection: SQLite's ``group_concat(x[, 'sep'])``
    becomes ``string_agg(x::text, 'sep')`` on PostgreSQL (the same strings)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return sql
    return _GROUP_CONCAT.sub(lambda m: f"string_agg(({m[1]})::text, {m[2] or repr(',')})", sql)


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Timing:
    median: float  # seconds
    samples: list[float]
    result: Any = None

    @property
    def ms(self) -> float:
        return self.median * 1000

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
        return ordered[index]


def timed(func: Callable[[], Any], runs: int = 5, warmup: int = 1) -> Timing:
    """Median wall time of ``runs`` calls after ``warmup`` calls."""
    result = None
    for _ in range(warmup):
        result = func()
    samples = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - started)
    return Timing(statistics.median(samples), samples, result)


def max_rss_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss; KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def traced_peak_mb(func: Callable[[], Any]) -> float:
    """Peak Python heap allocated during one call (tracemalloc), in MB."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


# --- output --------------------------------------------------------------------------------------


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], align: str = "") -> str:
    """A Markdown table; ``align`` is one letter per column (l/r), right for numbers by default."""
    align = align or "l" + "r" * (len(headers) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def print_target(
    name: str, figure: str, target: str, met: bool | None, note: str = "", source: str = ""
) -> None:
    """Print a machine-readable target line for run_all.py (invisible in rendered Markdown)."""
    payload = {
        "name": name,
        "figure": figure,
        "target": target,
        "met": met,
        "note": note,
        "source": source or Path(sys.argv[0]).name,
    }
    print(f"{TARGET_MARK}{json.dumps(payload, ensure_ascii=False)} -->")


def parse_targets(text: str) -> list[dict[str, Any]]:
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(TARGET_MARK) and line.endswith("-->"):
            with contextlib.suppress(ValueError):
                found.append(json.loads(line[len(TARGET_MARK) : -3].strip()))
    return found


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 10 else f"{ms:.1f}"
