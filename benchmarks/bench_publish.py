"""Publishing a large half-year while other staff keep saving (issue 18, "Done when").

Builds a throwaway SQLite site with ``cicte generate`` (default 200,000 events), starts a
real ``cicte worker``, enqueues the publication of the 2025-H1 report, and while the worker
renders it records events through the service in a second process, one after another, until
the job is finished. Prints the time the job took, how many saves were made during it, how
many failed, and the slowest save, as Markdown.

    python benchmarks/bench_publish.py [--events 200000] [--participants 300000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRITER = r"""
import datetime as dt, json, sys, time
from cicte.core.types import SYSTEM
from cicte.delivery.services import event_record
from cicte.ops.models import Job
from cicte.plan.models import WorkPlan
plan = WorkPlan.objects.get(year=2025)
target = plan.targets.order_by("id").first()
import os
job_id = os.environ["BENCH_JOB_ID"]
saves, failures, slowest = 0, [], 0.0
while Job.objects.filter(pk=job_id, status__in=["queued", "running"]).exists():
    started = time.monotonic()
    try:
        event_record(actor=SYSTEM, plan=plan, kind="workshop", title=f"During publication {saves}",
                     start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 2),
                     targets=[(target, 1)])
        saves += 1
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
    slowest = max(slowest, time.monotonic() - started)
print(json.dumps({"saves": saves, "failures": failures, "slowest_s": round(slowest, 3)}))
"""

ENQUEUE = (
    "from cicte.core.types import SYSTEM; from cicte.plan.models import WorkPlan; "
    "from cicte.reports.tasks import report_publish_request as r; "
    "print(r(actor=SYSTEM, plan=WorkPlan.objects.get(year=2025), "
    "period='2025-H1', language='en').pk)"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--participants", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cicte-bench-publish-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CICTE_"))}
        env |= {"CICTE_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/cicte.sqlite3"}
        cicte = [sys.executable, "-m", "cicte"]

        def run(*command: str) -> str:
            done = subprocess.run([*cicte, *command], env=env, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"cicte {command[0]} failed: {done.stderr[-2000:]}")
            return done.stdout

        run("migrate", "--noinput", "-v0")
        run("generate", "--events", str(args.events), "--participants", str(args.participants))
        worker = subprocess.Popen([*cicte, "worker", "--interval", "0.2"], env=env)
        try:
            started = time.monotonic()
            job_id = run("shell", "--no-imports", "-c", ENQUEUE).strip()
            env["BENCH_JOB_ID"] = job_id
            writer = json.loads(run("shell", "--no-imports", "-c", WRITER).strip().splitlines()[-1])
            elapsed = time.monotonic() - started
        finally:
            worker.terminate()
            worker.wait(timeout=600)
        status = run(
            "shell",
            "--no-imports",
            "-c",
            f"from cicte.ops.models import Job; j = Job.objects.get(pk='{job_id}'); "
            "print(j.status, j.error)",
        ).strip()
    print(f"### Publishing with {args.events:,} events while another user saves (SQLite)\n")
    print(f"- job: {status} in {elapsed:.1f} s (report 2025-H1, HTML + PDF)")
    print(f"- saves during the publication: {writer['saves']}, failed: {len(writer['failures'])}")
    print(f"- slowest save: {writer['slowest_s']} s")
    for failure in writer["failures"][:5]:
        print(f"  - {failure}")
    return 0 if not writer["failures"] and status.startswith("succeeded") else 1


if __name__ == "__main__":
    raise SystemExit(main())
