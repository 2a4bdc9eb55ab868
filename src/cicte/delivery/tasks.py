"""Background jobs of the delivery app (run by ``cicte worker``)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from cicte.ops.jobs import JobContext, job


@job(max_attempts=2)
def export_events(ctx: JobContext, *, plan_id: int, period: str, file_format: str) -> None:
    """A large events export, written as the job's result file (idempotent)."""
    from cicte.core.periods import parse_period
    from cicte.delivery import exporting, selectors
    from cicte.plan.models import WorkPlan

    plan = WorkPlan.objects.get(pk=plan_id)
    parsed = parse_period(period) if period else None
    ctx.progress(10, "Writing the file")
    suffix = f"-{parsed.label}" if parsed else ""
    counted = 0

    def rows() -> Iterator[selectors.ExportRow]:  # streamed: constant memory
        nonlocal counted
        for row in selectors.export_rows(plan=plan, period=parsed):
            counted += 1
            yield row

    with tempfile.TemporaryFile() as spool:
        if file_format == "csv":
            exporting.write_events_csv(rows(), spool)
            name = f"events-{plan.year}{suffix}.csv"
        else:
            exporting.write_events_xlsx(rows(), spool)
            name = f"events-{plan.year}{suffix}.xlsx"
        spool.seek(0)
        ctx.result_file(name, spool)
    ctx.result(message=f"{counted} events exported")
