"""Benchmark: `cicte import-plan` on the 2012 Work Plan, whole command, median of N runs.

Each run is a fresh process (interpreter start, Django setup, parse, write) against a
throwaway SQLite database; the first run creates the plan, later runs update it in place.
Prints a Markdown section. Usage: python benchmarks/bench_plan_import.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "src/cicte/plan/fixtures/2012-work-plan.txt"
CICTE = [sys.executable, "-m", "cicte.cli"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        subprocess.run([*CICTE, "migrate", "-v0"], env=env, check=True)
        first = None
        times = []
        for i in range(args.runs):
            started = time.perf_counter()
            subprocess.run(
                [*CICTE, "import-plan", str(PLAN)], env=env, check=True, capture_output=True
            )
            elapsed = time.perf_counter() - started
            if i == 0:
                first = elapsed
            else:
                times.append(elapsed)
        parse_started = time.perf_counter()
        for _ in range(20):
            subprocess.run(
                [*CICTE, "import-plan", "--dry-run", str(PLAN)],
                env=env,
                check=True,
                capture_output=True,
            )
        dry = (time.perf_counter() - parse_started) / 20
    print("## Work Plan import (`cicte import-plan`, 2012 plan)\n")
    print("| measurement | seconds |")
    print("| --- | ---: |")
    print(f"| first import (creates the plan), whole command | {first:.2f} |")
    print(
        f"| re-import (updates in place), whole command, median of {len(times)} "
        f"| {statistics.median(times):.2f} |"
    )
    print(f"| parse only (`--dry-run`), whole command, mean of 20 | {dry:.2f} |")
    print()


if __name__ == "__main__":
    main()
