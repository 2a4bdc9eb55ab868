"""Background jobs of the reports app (run by ``cicte worker``)."""

from __future__ import annotations

from django.utils.translation import override

from cicte.ops.jobs import JobContext, job
from cicte.plan.models import WorkPlan


@job(max_attempts=2)
def publish_report(ctx: JobContext, *, plan_id: int, period: str, language: str) -> None:
    """Render and publish the semi-annual report (idempotent: a re-run replaces it)."""
    from cicte.reports.services import report_publish

    plan = WorkPlan.objects.get(pk=plan_id)
    with override(language):
        published = report_publish(
            actor=ctx.job.created_by,
            plan=plan,
            period=period,
            language=language,
            progress=ctx.progress,
        )
    html = next(r for r in published if r.format == "html")
    ctx.result(
        message=f"Published {html.document_symbol} ({language})", url=html.get_absolute_url()
    )
