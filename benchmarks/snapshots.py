"""Benchmark data snapshots (issue 16, item 7): ``cicte generate``'s data grown to each size once,
kept outside git so that a re-measurement does not regenerate a million events.

    .venv/bin/python benchmarks/snapshots.py --backend sqlite --sizes 10000,100000,1000000
    .venv/bin/python benchmarks/snapshots.py --backend postgres --sizes 10000,100000,1000000

Grows one database (SQLite ``<data>/sqlite-grow.sqlite3``, PostgreSQL ``bench1m_grow``) with
the generator (seed 2012, 20 plans, 15 named participants per event, ``--as-of`` 2026-07-01)
and, at each size, snapshots it: SQLite ``<data>/sqlite-<size>.sqlite3`` (an online backup),
PostgreSQL database ``bench1m_<size>`` (``CREATE DATABASE ... TEMPLATE bench1m_grow``).

The search index is the slow part of generating: each batch is written without it and the new
events are indexed in one pass before each snapshot (the same entries ``cicte reindex`` would
write). Then ``ANALYZE``, as autovacuum would. Progress goes to stderr; a ``<data>/<backend>.done``
file lists the sizes snapshotted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

AS_OF = dt.date(2026, 7, 1)
SEED = 2012
YEARS = 20
PARTICIPANTS_PER_EVENT = 15
DEFAULT_DATA = Path(os.environ.get("BENCH_DATA", "/work/benchdata"))
PG_PREFIX = "bench1m_"


def label(size: int) -> str:
    """10000 -> 10k, 1000000 -> 1m (names of snapshot files and databases)."""
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def sqlite_path(data: Path, size: int | str) -> Path:
    name = size if isinstance(size, str) else label(size)
    return data / f"sqlite-{name}.sqlite3"


def pg_name(size: int | str) -> str:
    return PG_PREFIX + (size if isinstance(size, str) else label(size))


def pg_url(name: str) -> str:
    return re.sub(r"/[^/]*$", f"/{name}", common.POSTGRES_URL)


def snapshot_url(backend: str, data: Path, size: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{sqlite_path(data, size)}"
    return pg_url(pg_name(size))


def exists(backend: str, data: Path, size: int) -> bool:
    done = data / f"{backend}.done"
    if not done.exists() or str(size) not in done.read_text().split():
        return False
    if backend == "sqlite":
        return sqlite_path(data, size).exists()
    return pg_exists(pg_name(size))


def pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(common._admin_url(common.POSTGRES_URL), autocommit=True)


def pg_exists(name: str) -> bool:
    try:
        with pg_admin() as conn:
            return bool(
                conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            )
    except Exception:
        return False


def pg_copy(source: str, target: str) -> None:
    """CREATE DATABASE target TEMPLATE source (no session may be connected to source)."""
    with pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def sqlite_copy(source: Path, target: Path) -> None:
    """An online backup (consistent with the WAL), then the copy is a single file."""
    tmp = target.with_suffix(".partial")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    src = sqlite3.connect(source)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst, pages=65536)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    tmp.replace(target)


def log(*parts: object) -> None:
    print(time.strftime("%H:%M:%S", time.gmtime()), *parts, file=sys.stderr, flush=True)


def index_new_events(after_pk: int) -> int:
    """Index the events with a primary key above ``after_pk`` (deferred during generation)."""
    from cicte import search
    from cicte.delivery import indexing
    from cicte.delivery.models import Event

    rows = (
        Event.objects.filter(pk__gt=after_pk)
        .order_by("pk")
        .values_list("pk", *indexing.FIELDS)
        .iterator(chunk_size=5000)
    )
    return search.index_many(
        indexing.SCOPE,
        ((pk, indexing.document(t, c, co, n)) for pk, t, c, co, n in rows),
    )


def _progress(backend: str, have: int, adding: int, started: float):  # type: ignore[no-untyped-def]
    """A callback for each generated batch: a progress line every 5 %."""
    step = max(1, adding // 20)
    state = {"n": 0, "next": step}

    def on_batch(n: int) -> None:
        state["n"] += n
        if state["n"] >= state["next"]:
            state["next"] += step
            rate = state["n"] / (time.perf_counter() - started)
            log(f"{backend}:   {have + state['n']:,} events ({rate:,.0f}/s)")

    return on_batch


#: The tables the generator writes (search entries are indexed after, timed apart).
GENERATED_TABLES = (
    "delivery_event",
    "delivery_participant",
    "delivery_event_beneficiaries",
    "delivery_event_partners",
    "delivery_eventtarget",
    "delivery_countryparticipation",
)


def generated_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        total = 0
        for table in GENERATED_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
            total += cursor.fetchone()[0]
    return total


def record_generation(data: Path, backend: str, size: int, added: int, seconds: float) -> None:
    """Append the generation of one step (events added, rows in the generated tables at the
    end, seconds) to ``DIR/generate-<backend>.json``, which bench_1m.py reports."""
    path = data / f"generate-{backend}.json"
    steps = json.loads(path.read_text()) if path.exists() else []
    steps.append(
        {"size": size, "events_added": added, "rows_after": generated_rows(), "seconds": seconds}
    )
    path.write_text(json.dumps(steps, indent=1))


def grow(backend: str, data: Path, sizes: list[int], fresh: bool) -> None:
    data.mkdir(parents=True, exist_ok=True)
    done_file = data / f"{backend}.done"
    if backend == "sqlite":
        grow_db = sqlite_path(data, "grow")
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{grow_db}{suffix}").unlink()
        url = f"sqlite:///{grow_db}"
    else:
        name = pg_name("grow")
        if fresh or not pg_exists(name):
            with pg_admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        url = pg_url(name)
    if fresh:
        with contextlib.suppress(FileNotFoundError):
            done_file.unlink()
    common.setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    from cicte.delivery.models import Event
    from cicte.sampledata import synthetic

    call_command("migrate", verbosity=0)
    synthetic.base_plan()
    have = Event.objects.filter(plan__in=synthetic.synthetic_plans()).count()
    indexed_up_to = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    real_index = synthetic.index_events
    synthetic.index_events = lambda events: 0  # deferred: see index_new_events
    try:
        for size in sizes:
            if size > have:
                log(f"{backend}: generating {size - have:,} events (to {size:,})")
                started = time.perf_counter()
                on_batch = _progress(backend, have, size - have, started)
                synthetic.synthetic_data_generate(
                    years=YEARS,
                    events=size - have,
                    participants=(size - have) * PARTICIPANTS_PER_EVENT,
                    seed=SEED,
                    plan_year_start=2012,
                    as_of=AS_OF,
                    append=True,
                    on_batch=on_batch,
                )
                seconds = time.perf_counter() - started
                log(f"{backend}:   generated in {seconds:,.0f} s")
                record_generation(data, backend, size, size - have, seconds)
                have = size
            started = time.perf_counter()
            count = index_new_events(indexed_up_to)
            indexed_up_to = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            log(f"{backend}:   indexed {count:,} events in {time.perf_counter() - started:,.0f} s")
            started = time.perf_counter()
            if backend == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.close()
                sqlite_copy(grow_db, sqlite_path(data, size))
            else:
                connection.close()
                with psycopg_connect(url) as own:
                    own.execute("VACUUM ANALYZE")
                pg_copy(pg_name("grow"), pg_name(size))
            with done_file.open("a") as f:
                f.write(f"{size}\n")
            log(f"{backend}: snapshot {label(size)} in {time.perf_counter() - started:,.0f} s")
    finally:
        synthetic.index_events = real_index


def psycopg_connect(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(url, autocommit=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    args = parser.parse_args()
    grow(args.backend, Path(args.data), [int(s) for s in args.sizes.split(",")], args.fresh)


if __name__ == "__main__":
    main()
