"""Job functions used by the operations tests (importable by worker subprocesses)."""

from __future__ import annotations

import time
from pathlib import Path

from cicte.ops.jobs import JobContext, JobError, job


@job(max_attempts=2)
def slow_effect(ctx: JobContext, *, marker_dir: str) -> None:
    """Attempt 1 says it started and then waits (to be killed); later attempts record one
    effect. The effect is written once, at the end: a re-run never doubles it."""
    folder = Path(marker_dir)
    if ctx.attempt == 1:
        (folder / "started").write_text(str(ctx.job.pk))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # the test kills the worker here
            time.sleep(0.05)
        raise JobError("attempt 1 was not killed")
    with (folder / "effects.txt").open("a") as handle:
        handle.write(f"{ctx.job.pk} attempt {ctx.attempt}\n")


@job(max_attempts=1)
def broken(ctx: JobContext) -> None:
    ctx.progress(40, "Halfway")
    raise ValueError("the spreadsheet has no header row")


@job(max_attempts=1)
def with_file(ctx: JobContext, *, text: str) -> None:
    ctx.result_file("export.txt", text.encode())
    ctx.result(message="Exported")
