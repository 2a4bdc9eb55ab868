"""Background jobs of the reports app (run by ``cicte worker``)."""

from __future__ import annotations

import datetime as dt

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
def render_report(
    ctx: JobContext,
    *,
    plan_id: int,
    period: str,
    language: str,
    file_format: str,
    paper: str = "a4",
    ui_language: str = "en",
) -> None:
    """Render a draft of the report (the PDF takes tens of seconds on a full year), store
    it for its data version (``report_render_stored``: a stored render is reused) and offer
    it as the job's result file; the user follows the job's page (idempotent)."""
    from cicte.reports.services import report_render_stored

    plan = WorkPlan.objects.get(pk=plan_id)
    parsed = parse_period(period)

    def step(percent: int, message: object) -> None:  # progress in the language of the asker
        with override(ui_language):
            ctx.progress(percent, str(message))

    with override(language):
        stored = report_render_stored(
            actor=ctx.job.created_by or SYSTEM,
            plan=plan,
            period=parsed,
            language=language,
            fmt=file_format,
            paper=paper,
            progress=step,
        )
    with stored.file.open("rb") as handle:
        ctx.result_file(stored.filename, handle)
    with override(ui_language):
        ctx.result(message=_("The report is ready: download it below."))


def report_render_request(
    *,
    actor: Actor,
    plan: WorkPlan,
    period: Period,
    language: str,
    file_format: str,
    paper: str,
    ui_language: str,
) -> Job:
    """Queue a draft rendering (``cicte worker`` writes the file); returns the job to follow."""
    return render_report.enqueue(
        label=_("The %(year)s report %(period)s (%(language)s), %(format)s %(paper)s")
        % {
            "year": plan.year,
            "period": period.label,
            "language": language,
            "format": file_format.upper(),
            "paper": paper.upper() if paper == "a4" else paper.capitalize(),
        },
        actor=actor,
        plan_id=plan.pk,
        period=period.label,
        language=language,
        file_format=file_format,
        paper=paper,
        ui_language=ui_language,
    )


@job(max_attempts=2)
def publish_report(
    ctx: JobContext,
    *,
    plan_id: int,
    period: str,
    language: str,
    issued: str = "",
    ui_language: str = "en",
) -> None:
    """Render and publish the semi-annual report (idempotent: a re-run replaces it). The
    service checks the actor again: the user who asked (or SYSTEM for scheduled work)."""
    plan = WorkPlan.objects.get(pk=plan_id)

    def step(percent: int, message: object) -> None:  # progress in the language of the asker
        with override(ui_language):
            ctx.progress(percent, str(message))

    with override(language):
        published = report_publish(
            actor=ctx.job.created_by or SYSTEM,
            plan=plan,
            period=period,
            language=language,
            issued=dt.date.fromisoformat(issued) if issued else None,
            progress=step,
        )
    html = next(r for r in published if r.format == "html")
    with override(ui_language):
        ctx.result(
            message=_("Published %(symbol)s (%(language)s)")
            % {"symbol": html.document_symbol, "language": language},
            url=html.get_absolute_url(),
        )


def report_publish_request(
    *,
    actor: Actor,
    plan: WorkPlan,
    period: Period | str,
    language: str,
    issued: dt.date | None = None,
    ui_language: str = "en",
) -> Job:
    """Queue the publication (rendered by ``cicte worker``); returns the job to follow. The
    decision is taken here, when someone asks, and again when the worker runs."""
    require(permissions.can_publish_report(actor), _("Only the Secretariat publishes the report."))
    label = period.label if isinstance(period, Period) else parse_period(period).label
    return publish_report.enqueue(
        label=_("Publish the %(year)s report %(period)s (%(language)s)")
        % {"year": plan.year, "period": label, "language": language},
        actor=actor,
        plan_id=plan.pk,
        period=label,
        language=language,
        issued=issued.isoformat() if issued else "",
        ui_language=ui_language,
    )
