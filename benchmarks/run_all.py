"""Run every benchmark and write benchmarks/RESULTS.md (``make bench``).

Runs each ``benchmarks/bench_*.py`` in its own process (``bench_scale.py`` last: it is the
longest), collects the Markdown section each prints on stdout, and writes RESULTS.md with
the machine, the date, the data sizes, a table of every target of issue 7 beside the figure
measured for it (from the ``print_target`` markers the benchmarks print, see common.py), and
the sections. A benchmark that fails gets a section saying so, with the end of its stderr;
the others still run.

    python benchmarks/run_all.py                  # everything (tens of minutes)
    python benchmarks/run_all.py --quick          # small sizes (bench_scale --quick)
    python benchmarks/run_all.py --only scale,api --output /tmp/RESULTS.md
    python benchmarks/run_all.py --skip report
    python benchmarks/run_all.py --only scale --merge   # re-run one, keep the others' last output

Benchmarks that accept ``--postgres URL`` (a server URL without database) get the server at
``BENCH_POSTGRES_URL``/``TEST_POSTGRES_URL`` when one answers.

On a shared machine run it at low priority: ``nice -n 19 make bench``.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    BENCH_DIR,
    POSTGRES_URL,
    ROOT,
    machine,
    markdown_table,
    parse_targets,
    postgres_version,
)

LAST = ("bench_scale.py",)
CACHE_DIR = ROOT / "var/benchmarks"  # each benchmark's last output, for --merge
# The targets of issue 7: (label, keywords that a print_target name must contain, any of).
ISSUE_TARGETS: list[tuple[str, str, tuple[str, ...]]] = [
    ("report data within 2× of the raw SQL floor at 200k events", "≤ 2×", ("sql floor",)),
    ("dashboard under 1 s at 200k events", "< 1 s", ("dashboard",)),
    ("report HTML under 1 s at 200k events", "< 1 s", ("report html", "report page")),
    ("API list p99 under 100 ms at 50 concurrent clients", "< 100 ms", ("p99",)),
    (
        "spreadsheet import ≥ 5,000 rows/s",
        "≥ 5,000 rows/s",
        ("spreadsheet", "import-events", "events import", "event import"),
    ),
    ("peak memory under 500 MB for any single operation", "< 500 MB", ("memory",)),
]


def discover(only: list[str], skip: list[str]) -> list[Path]:
    scripts = sorted(BENCH_DIR.glob("bench_*.py"), key=lambda p: (p.name in LAST, p.name))
    if only:  # "scale" selects bench_scale.py
        scripts = [p for p in scripts if any(word == p.stem[6:] for word in only)]
    return [p for p in scripts if not any(word == p.stem[6:] for word in skip)]


def run(script: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Run one benchmark; echo its stderr live, keep its stdout and the end of its stderr."""
    extra = ["--quick"] if args.quick and _accepts(script, "--quick") else []
    if args.postgres and _accepts(script, '"--postgres"'):  # benchmarks that take a server URL
        extra += ["--postgres", re.sub(r"/[^/]*$", "", POSTGRES_URL)]
    print(f"=== {script.name} {' '.join(extra)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(script), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tail: collections.deque[str] = collections.deque(maxlen=25)

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            tail.append(line.rstrip("\n"))
            sys.stderr.write(line)
            sys.stderr.flush()

    echo = threading.Thread(target=pump, daemon=True)
    echo.start()
    try:
        stdout, _ = process.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, _ = process.communicate()
        tail.append(f"killed after {args.timeout} s (--timeout)")
    echo.join(timeout=5)
    seconds = time.perf_counter() - started
    return {
        "script": script.name,
        "code": process.returncode,
        "stdout": stdout or "",
        "stderr_tail": list(tail),
        "seconds": seconds,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _accepts(script: Path, option: str) -> bool:
    return option in script.read_text(errors="replace")


def json_markers(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Targets read from JSON result lines (``{"p99_ms": ..., "database": ...}``), for
    benchmarks that print those rather than ``print_target`` markers."""
    found = []
    for line in result["stdout"].splitlines():
        line = line.strip()
        if not (line.startswith("{") and line.endswith("}")):
            continue
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("p99_ms"), int | float):
            p99 = float(data["p99_ms"])
            found.append(
                {
                    "name": f"API list p99 ({data.get('database', '?')}, "
                    f"{data.get('throughput_rps', '?')} req/s)",
                    "figure": f"{p99:,.0f} ms (p50 {data.get('p50_ms', '?')} ms)",
                    "target": "< 100 ms",
                    "met": p99 < 100,
                    "note": ""
                    if p99 < 100
                    else "CPU-bound queueing: one request costs tens of ms of server CPU "
                    "(bench_scale.py, API list with one client), so 2 cores shared with the "
                    "load generator serve a few dozen req/s and 50 clients wait in line; p99 "
                    "< 100 ms at 50 clients needs ~500 req/s, i.e. a cached list response "
                    "(per query, invalidated on event writes) or many more cores",
                    "source": result["script"],
                }
            )
    return found


def targets_table(runs: list[dict[str, Any]]) -> str:
    markers = [m for r in runs for m in [*parse_targets(r["stdout"]), *json_markers(r)]]
    rows = []
    used: set[int] = set()
    for label, target, keywords in ISSUE_TARGETS:
        found = [
            (i, m)
            for i, m in enumerate(markers)
            if any(k in m.get("name", "").lower() for k in keywords) and i not in used
        ]
        if not found:
            mentioned = [
                r["script"]
                for r in runs
                if any(k in r["stdout"].lower() for k in keywords) and r["code"] == 0
            ]
            where = f"see {', '.join(mentioned)}" if mentioned else "not measured in this run"
            rows.append((label, "—", target, "?", where))
            continue
        for i, m in found:
            used.add(i)
            met = {True: "**met**", False: "**missed**", None: "?"}[m.get("met")]
            rows.append(
                (m["name"], m["figure"], m["target"], met, f"{m.get('source', '')} {m['note']}")
            )
    for i, m in enumerate(markers):  # figures no issue target asked for, kept for reference
        if i not in used:
            met = {True: "met", False: "missed", None: "?"}[m.get("met")]
            rows.append((m["name"], m["figure"], m["target"], met, m.get("source", "")))
    cleaned = [[str(c).replace("|", "/").replace("\n", " ") for c in row] for row in rows]
    return markdown_table(
        ["target", "figure", "target value", "met?", "source / why missed"], cleaned, "lllll"
    )


def data_sizes(runs: list[dict[str, Any]]) -> str:
    lines = []
    for r in runs:  # the first paragraph of each section describes its data
        for line in r["stdout"].splitlines():
            text = line.strip()
            if text and not text.startswith(("#", "|", "<!--", "*", "!")):
                lines.append(f"- `{r['script']}`: {text[:600]}")
                break
    return "\n".join(lines) if lines else "- (no benchmark described its data)"


def write_results(runs: list[dict[str, Any]], args: argparse.Namespace, total: float) -> str:
    info = machine()
    memory = f"{info['memory_mb']:,} MB" if info["memory_mb"] else "unknown"
    parts = [
        "# Benchmark results\n",
        f"Written by `python benchmarks/run_all.py{''.join(' ' + a for a in sys.argv[1:])}` "
        f"(`make bench`) on {info['date']} in {total / 60:.1f} min. Do not edit by hand: "
        "re-run the command. How to read and reproduce: benchmarks/README.md.\n",
        "## Machine\n",
        markdown_table(
            ["", ""],
            [
                ("CPUs (nproc)", info["nproc"]),
                ("CPU model", info["cpu"]),
                ("memory", memory),
                ("OS", f"{info['os']} (kernel {info['kernel']})"),
                ("Python", info["python"]),
                ("Django", info["django"]),
                ("SQLite", info["sqlite"]),
                ("PostgreSQL", info["postgresql"] or "not reachable"),
            ],
            "ll",
        ),
        "The machine is shared: other processes ran during the measurements, so single "
        "figures can be noisy; the growth with data size is the robust signal.\n",
        "## Data sizes\n",
        data_sizes(runs) + "\n",
        "## Targets (issue 7)\n",
        targets_table(runs),
        "Where a target is missed, the last column says why and what would fix it; figures "
        "without a marker are in the benchmark's own section below.\n",
    ]
    for r in runs:
        body = r["stdout"].strip()
        if r["code"] != 0:
            tail = "\n".join(r["stderr_tail"])
            body = (
                f"## {r['script']}: FAILED (exit code {r['code']}, {r['seconds']:.0f} s)\n\n"
                f"```\n{tail}\n```\n\n{body}"
            )
        elif not body:
            body = f"## {r['script']}\n\n(printed nothing)"
        parts.append(body + "\n")
        if r.get("verbatim"):  # a section kept from the previous RESULTS.md, as it was
            continue
        when = f" (saved output of an earlier run, {r.get('date', '')})" if r.get("cached") else ""
        parts.append(f"*{r['script']} ran in {r['seconds']:.0f} s{when}.*\n")
    text = "\n".join(parts)
    Path(args.output).write_text(text)
    return text


def save(result: dict[str, Any]) -> None:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    (CACHE_DIR / f"{result['script']}.json").write_text(json.dumps(result))


def cached(script: Path) -> dict[str, Any] | None:
    path = CACHE_DIR / f"{script.name}.json"
    if not path.exists():
        return None
    result = dict(json.loads(path.read_text()))
    result["cached"] = True
    return result


SECTION_SCRIPT = re.compile(r"\b(bench_\w+\.py)\b")


def previous_sections(path: Path) -> list[dict[str, Any]]:
    """The benchmark sections of an existing RESULTS.md (everything after its targets table),
    one pseudo-run per ``## `` section, kept verbatim by ``--merge`` for the benchmarks that
    neither run now nor have a saved output in var/benchmarks."""
    if not path.exists():
        return []
    text = path.read_text()
    start = text.find("\n## Targets")
    if start < 0:
        return []
    # the sections follow the targets table and its one-paragraph legend
    legend = text.find("\nWhere a target is missed", start)
    following = text.find("\n\n", legend + 1) if legend >= 0 else text.find("\n## ", start + 1)
    if following < 0:
        return []
    chunks = [c for c in re.split(r"\n(?=## )", text[following:].strip()) if c.strip()]
    sections = []
    for chunk in chunks:
        heading = chunk.splitlines()[0] if chunk.strip() else ""
        named = SECTION_SCRIPT.search(heading) or SECTION_SCRIPT.search(chunk)
        sections.append(
            {
                "script": named[1] if named else heading,
                "stdout": chunk.strip(),
                "code": 0,
                "seconds": 0,
                "verbatim": True,
            }
        )
    return sections


def merged(
    previous: list[dict[str, Any]], fresh: list[dict[str, Any]], saved: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The previous sections in their order, each replaced by a fresh or saved run of the same
    script (fresh first); the runs without a previous section are appended."""
    by_script = {r["script"]: r for r in [*saved, *fresh]}  # fresh wins
    out, placed = [], set()
    for section in previous:
        script = section["script"]
        if script in placed:
            continue  # a second section of a script now run again: dropped
        out.append(by_script.get(script, section))
        if script in by_script:
            placed.add(script)
    out += [r for s, r in by_script.items() if s not in placed]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes where supported")
    parser.add_argument("--only", default="", help="comma-separated names: scale,api,...")
    parser.add_argument("--skip", default="", help="comma-separated names to leave out")
    parser.add_argument("--output", default=str(BENCH_DIR / "RESULTS.md"))
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other benchmarks: their last saved output (var/benchmarks), else "
        "their section in the current output file, verbatim",
    )
    parser.add_argument("--timeout", type=int, default=3 * 3600, help="seconds per benchmark")
    args = parser.parse_args()
    started = time.perf_counter()
    only = [w.strip() for w in args.only.split(",") if w.strip()]
    skip = [w.strip() for w in args.skip.split(",") if w.strip()]
    args.postgres = postgres_version() is not None
    chosen = discover(only, skip)
    previous = previous_sections(Path(args.output)) if args.merge else []
    runs, saved = [], []
    for script in discover([], []):
        if script in chosen:
            result = run(script, args)
            save(result)
            runs.append(result)
        elif args.merge and (earlier := cached(script)) is not None:
            saved.append(earlier)
    if args.merge:
        runs = merged(previous, runs, saved)
    write_results(runs, args, time.perf_counter() - started)
    failed = [r["script"] for r in runs if r["code"] != 0]
    print(f"Wrote {args.output}" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
