"""Writes of the reports app: period narratives and publication."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cicte.core.periods import Period, PeriodError, parse_period
from cicte.ops.models import Job
from cicte.plan.models import Program, WorkPlan
from cicte.reports.models import Narrative, PublishedReport, ReportFormat

Actor = AbstractBaseUser | AnonymousUser | None

NARRATIVE_MAX_CHARS = 5000


def _set_history_user(obj: object, actor: Actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor  # type: ignore[attr-defined]  # read by simple-history


@transaction.atomic
def narrative_save(*, actor: Actor, program: Program, period: str, text: str) -> Narrative:
    """Create or update the program's narrative for a period label ("2012-H1")."""
    try:
        label = parse_period(period).label
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None
    text = text.strip()
    if len(text) > NARRATIVE_MAX_CHARS:
        raise ValidationError(f"The narrative is longer than {NARRATIVE_MAX_CHARS} characters.")
    narrative = Narrative.objects.select_for_update().filter(
        program=program, period=label
    ).first() or Narrative(program=program, period=label)
    narrative.text = text
    if actor is not None and getattr(actor, "is_authenticated", False):
        narrative.author = actor  # type: ignore[assignment]
    _set_history_user(narrative, actor)
    narrative.save()
    return narrative


def report_publish(
    *,
    actor: Actor,
    plan: WorkPlan,
    period: Period | str,
    language: str,
    progress: Callable[[int, str], None] | None = None,
) -> list[PublishedReport]:
    """Freeze the report as HTML (shown at /reports/) and PDF; re-publishing replaces both.

    The rendering happens outside any transaction (on SQLite a transaction would hold the
    write lock for the whole render); only the final save of the rows is one short
    transaction, so a run that stops half-way leaves the previous publication intact and
    can simply be run again. Normally called by the background job (``report_publish_request``)."""
    from cicte.reports.renderers import html as html_renderer
    from cicte.reports.renderers import pdf as pdf_renderer
    from cicte.reports.selectors import report_data

    step = progress or (lambda percent, message: None)
    if isinstance(period, str):
        period = parse_period(period)
    step(10, "Collecting the report data")
    data = report_data(plan=plan, period=period, language=language)
    step(30, "Rendering the web page")
    fragment = html_renderer.render_fragment(data)
    step(50, "Rendering the PDF")
    pdf = pdf_renderer.render(data)
    step(90, "Saving the publication")
    now = timezone.now()
    published = []
    outputs: list[tuple[str, str, bytes | None]] = [
        (ReportFormat.HTML, fragment, None),
        (ReportFormat.PDF, "", pdf),
    ]
    with transaction.atomic():
        for fmt, html, content in outputs:
            report = PublishedReport.objects.filter(
                plan=plan, period=period.label, language=language, format=fmt
            ).first() or PublishedReport(
                plan=plan, period=period.label, language=language, format=fmt
            )
            report.title = data.meta.title
            report.document_symbol = data.meta.document_symbol
            report.html = html
            report.published_at = now
            if actor is not None and getattr(actor, "is_authenticated", False):
                report.published_by = actor  # type: ignore[assignment]
            _set_history_user(report, actor)
            if content is not None:
                name = f"{plan.year}-{period.label}-{language}.{fmt}".replace("/", "-")
                report.file.save(name, ContentFile(content), save=False)
            report.save()
            published.append(report)
    return published


def report_publish_request(
    *, actor: Actor, plan: WorkPlan, period: Period | str, language: str
) -> Job:
    """Queue the publication (rendered by ``cicte worker``); returns the job to follow."""
    from cicte.reports.tasks import publish_report

    label = period.label if isinstance(period, Period) else parse_period(period).label
    return publish_report.enqueue(
        label=f"Publish the {plan.year} report {label} ({language})",
        actor=actor,
        plan_id=plan.pk,
        period=label,
        language=language,
    )
