"""Background jobs of the reports app (run by ``cicte worker``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from cicte.core.errors import require
from cicte.core.periods import Period, parse_period
from cicte.core.types import SYSTEM, Actor
from cicte.ops.jobs import JobContext, job
from cicte.ops.models import Job
from cicte.plan.models import WorkPlan
from cicte.reports import permissions
from cicte.reports.services import report_publish


@job(max_attempts=2)
def publish_report(ctx: JobContext, *, plan_id: int, period: str, language: str) -> None:
    """Render and publish the semi-annual report (idempotent: a re-run replaces it). The
    service checks the actor again: the user who asked (or SYSTEM for scheduled work)."""
    plan = WorkPlan.objects.get(pk=plan_id)
    with override(language):
        published = report_publish(
            actor=ctx.job.created_by or SYSTEM,
            plan=plan,
            period=period,
            language=language,
            progress=ctx.progress,
        )
    html = next(r for r in published if r.format == "html")
    ctx.result(
        message=f"Published {html.document_symbol} ({language})", url=html.get_absolute_url()
    )


def report_publish_request(
    *, actor: Actor, plan: WorkPlan, period: Period | str, language: str
) -> Job:
    """Queue the publication (rendered by ``cicte worker``); returns the job to follow. The
    decision is taken here, when someone asks, and again when the worker runs."""
    require(permissions.can_publish_report(actor), _("Only the Secretariat publishes the report."))
    label = period.label if isinstance(period, Period) else parse_period(period).label
    return publish_report.enqueue(
        label=f"Publish the {plan.year} report {label} ({language})",
        actor=actor,
        plan_id=plan.pk,
        period=label,
        language=language,
    )
