"""Benchmark: the shared search index on the events list at scale (issue 17 item 4).

In a throwaway SQLite database (and on PostgreSQL at ``BENCH_POSTGRES_URL`` /
``TEST_POSTGRES_URL`` when one answers), this script migrates, imports the 2012 Work Plan
and generates ``--events`` synthetic events with ``cicte generate``'s generator (which
indexes each batch with one executemany), then measures, median of several runs:

- writing the index: ``cicte reindex delivery.event`` (every event read as values and
  upserted in batches of 2,000), and its share of ``cicte generate``;
- the events list search through ``delivery.selectors.event_list`` (what the page and the
  API run): the count and the first page of 50, for a rare word (one event), a prefix
  matching about ten events, an accented query (``SÝNTHETIC wörkshop 0000``) and a word in
  every event;
- the same searches done the way an accent-folded column would do them (``LIKE '%word%'``
  over the folded text: a scan) and the old ``icontains`` (a scan, and accent-sensitive);
- the size of the index on SQLite.

Usage::

    python benchmarks/bench_search.py [--events 200000 | --quick] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    fmt_ms,
    machine,
    markdown_table,
    postgres_version,
    setup_django,
    throwaway_postgres,
    timed,
)


def _worker(url: str, events: int) -> dict[str, Any]:
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from cicte import search
    from cicte.delivery.models import Event
    from cicte.delivery.selectors import EventFilters, event_list
    from cicte.sampledata.synthetic import base_plan, synthetic_data_generate
    from cicte.search.models import Entry

    call_command("migrate", verbosity=0)
    base_plan()
    started = time.perf_counter()
    synthetic_data_generate(years=5, events=events, participants=0, batch=5000)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    search.reindex(["delivery.event"])
    reindex_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def page(query: str) -> tuple[int, int]:
        events_qs = event_list(filters=EventFilters(search=query))
        return events_qs.count(), len(list(events_qs.prefetch_related(None)[:50]))

    def like(query: str) -> tuple[int, int]:
        words = search.terms(query)
        entries = Event.objects.all()
        for word in words:
            entries = entries.filter(
                pk__in=Entry.objects.filter(
                    Q(title__contains=word) | Q(body__contains=word), scope="delivery.event"
                ).values("object_id")
            )
        ordered = entries.order_by("-end_date", "-id")
        return ordered.count(), len(list(ordered[:50]))

    def icontains(query: str) -> tuple[int, int]:
        ordered = Event.objects.filter(
            Q(title__icontains=query) | Q(city__icontains=query) | Q(notes__icontains=query)
        ).order_by("-end_date", "-id")
        return ordered.count(), len(list(ordered[:50]))

    rare = "0000123"
    queries = {
        "rare word (1 event)": rare,
        "prefix (~10 events)": "000012",
        "accented, 3 words": "SÝNTHETIC wörkshop 0000",
        "in every event": "synthetic",
    }
    rows: list[dict[str, Any]] = []
    for label, query in queries.items():
        index = timed(lambda q=query: page(q), runs=5)
        scan = timed(lambda q=query: like(q), runs=3)
        old = timed(lambda q=query: icontains(q), runs=3)
        rows.append(
            {
                "label": label,
                "query": query,
                "hits": index.result[0],
                "index_ms": index.ms,
                "like_ms": scan.ms,
                "icontains_ms": old.ms,
                "icontains_hits": old.result[0],
            }
        )
    size_mb = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_entry%' "
                    "OR name LIKE 'sqlite_autoindex_search_entry%'"
                )
                size_mb = (cursor.fetchone()[0] or 0) / 2**20
            except Exception:
                size_mb = None
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_entry')")
            size_mb = cursor.fetchone()[0] / 2**20
    return {
        "vendor": connection.vendor,
        "events": Event.objects.count(),
        "generate_s": generate_s,
        "reindex_s": reindex_s,
        "size_mb": size_mb,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="20,000 events")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.events = 20_000
    if args.worker:
        print(json.dumps(_worker(args.worker, args.events)))
        return
    results = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                results.append(_run(f"sqlite:///{folder}/bench.sqlite3", args.events))
        elif backend == "postgresql" and postgres_version():
            with throwaway_postgres("cicte_bench_search") as url:
                results.append(_run(url, args.events))
    info = machine()
    print(f"## Search ({args.events:,} events)\n")
    print(f"{info['cpu']}, {info['nproc']} CPUs, Python {info['python']}, {info['date']}.\n")
    for result in results:
        size = f"{result['size_mb']:.0f} MB" if result["size_mb"] is not None else "n/a"
        print(
            f"### {result['vendor']}: {result['events']:,} events; `cicte generate` "
            f"{result['generate_s']:.1f} s (indexing included), `cicte reindex delivery.event` "
            f"{result['reindex_s']:.1f} s; index {size}\n"
        )
        print(
            markdown_table(
                [
                    "search",
                    "query",
                    "hits",
                    "index (count + page)",
                    "folded LIKE scan",
                    "old icontains",
                ],
                [
                    [
                        row["label"],
                        f"`{row['query']}`",
                        f"{row['hits']:,}",
                        fmt_ms(row["index_ms"] / 1000),
                        fmt_ms(row["like_ms"] / 1000),
                        fmt_ms(row["icontains_ms"] / 1000) + f" ({row['icontains_hits']:,} hits)",
                    ]
                    for row in result["rows"]
                ],
            )
        )
        print()


def _run(url: str, events: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--worker", url, "--events", str(events)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
