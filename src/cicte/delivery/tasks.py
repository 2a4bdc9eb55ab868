"""Background jobs of the delivery app (run by ``cicte worker``)."""

from __future__ import annotations

from cicte.ops.jobs import JobContext, job


@job(max_attempts=2)
def export_events(ctx: JobContext, *, plan_id: int, period: str, file_format: str) -> None:
    """A large events export, written as the job's result file (idempotent)."""
    from cicte.core.periods import parse_period
    from cicte.delivery import exporting, selectors
    from cicte.plan.models import WorkPlan

    plan = WorkPlan.objects.get(pk=plan_id)
    parsed = parse_period(period) if period else None
    ctx.progress(10, "Reading the events")
    rows = list(selectors.export_rows(plan=plan, period=parsed))
    ctx.progress(60, "Writing the file")
    suffix = f"-{parsed.label}" if parsed else ""
    if file_format == "csv":
        content, name = exporting.events_csv(rows), f"events-{plan.year}{suffix}.csv"
    else:
        content, name = exporting.events_xlsx(rows), f"events-{plan.year}{suffix}.xlsx"
    ctx.result_file(name, content)
    ctx.result(message=f"{len(rows)} events exported")
