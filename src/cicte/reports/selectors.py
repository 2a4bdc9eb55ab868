"""Reads of the semi-annual report: everything a section may need, in one :class:`ReportContext`.

Query count is constant in the size of the data: the progress selectors (the same numbers
as the dashboard), the events held in the period (:func:`cicte.delivery.selectors.event_rows`),
the narratives and the mandates; each section then works on memory
(:mod:`cicte.reports.build` assembles them).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from cicte.core.periods import Period
from cicte.delivery.models import Event, EventStatus
from cicte.delivery.selectors import event_rows
from cicte.plan.models import MandateClause, PlanMandate, Program, Project, WorkPlan
from cicte.progress.selectors import member_state_progress, plan_progress
from cicte.reports.models import Narrative, PublishedReport, StoredRender
from cicte.reports.types import EventLine, ReportContext, ReportError


def year_to_date(*, plan: WorkPlan, period: Period) -> Period:
    start = dt.date(plan.year, 1, 1)
    return Period(start, period.end, f"{start.isoformat()}..{period.end.isoformat()}")


def check_period(*, plan: WorkPlan, period: Period) -> None:
    if period.start.year != plan.year or period.end.year != plan.year:
        raise ReportError(
            f"Period {period.label} is outside the {plan.year} plan year ({plan.symbol})."
        )


def events_held(*, plan: WorkPlan, period: Period) -> list[EventLine]:
    """Held events of the plan ending in the period, as plain rows (counts, never names),
    projected from :func:`cicte.delivery.selectors.event_rows` (four queries whatever the
    number of events)."""
    held = Event.objects.filter(
        plan=plan, status=EventStatus.HELD, end_date__gte=period.start, end_date__lte=period.end
    ).order_by("start_date", "end_date", "id")
    rows = []
    for event in event_rows(held):
        partners = event.partners
        if len(partners) > 1:
            partners = sorted(partners, key=lambda p: p.short_name)
        rows.append(
            EventLine(
                event_id=event.id,
                kind=event.kind,
                title=event.title,
                start_date=event.start_date,
                end_date=event.end_date,
                city=event.city,
                host_state=event.host_state,
                beneficiaries=event.beneficiaries,  # sorted by code
                participants_total=event.participants_total,
                women=event.participants_women,
                men=event.participants_men,
                partners=[p.short_name for p in partners],
                partner_ids=[p.id for p in partners],
                contributions=[(t.target_id, t.units) for t in event.targets],
            )
        )
    return rows


def _mandates(plan: WorkPlan) -> list[PlanMandate]:
    clauses = MandateClause.objects.order_by("order", "id").prefetch_related(
        Prefetch(
            "programs",
            queryset=Program.objects.filter(plan=plan).only("id", "code", "title", "position"),
        ),
        Prefetch(
            "projects",
            queryset=Project.objects.filter(plan=plan).only(
                "id", "code", "title", "position", "program_id"
            ),
        ),
    )
    return list(
        PlanMandate.objects.filter(plan=plan)
        .select_related("source")
        .prefetch_related(Prefetch("source__clauses", queryset=clauses))
        .order_by("order", "id")
    )


def report_context(*, plan: WorkPlan, period: Period, language: str) -> ReportContext:
    check_period(plan=plan, period=period)
    ytd = year_to_date(plan=plan, period=period)
    narratives = {
        code: text
        for code, text in Narrative.objects.filter(
            program__plan=plan, period=period.label
        ).values_list("program__code", "text")
        if text
    }
    return ReportContext(
        plan=plan,
        period=period,
        year_to_date=ytd,
        language=language,
        progress=plan_progress(plan=plan, period=period),
        progress_year=plan_progress(plan=plan, period=ytd),
        member_states=member_state_progress(plan=plan, period=period),
        events=events_held(plan=plan, period=period),
        narratives=narratives,
        mandates=_mandates(plan),
    )


def published_reports(*, language: str | None = None) -> QuerySet[PublishedReport]:
    """Published reports for the public list (newest first)."""
    reports = PublishedReport.objects.select_related("plan").order_by(
        "-plan__year", "-period", "language", "format"
    )
    if language:
        reports = reports.filter(language=language)
    return reports


def issued_on(*, plan: WorkPlan, period: Period, language: str) -> dt.date | None:
    """The date of issue of the published report for this plan, period and language (None
    when it is not published: drafts say so)."""
    return (
        PublishedReport.objects.filter(
            plan=plan, period=period.label, language=language, issued__isnull=False
        )
        .values_list("issued", flat=True)
        .first()
    )


def render_key(
    *,
    plan: WorkPlan,
    period: Period,
    language: str,
    fmt: str,
    paper: str,
    issued: dt.date | None,
    version: int,
) -> str:
    """The identity of one stored render (``reports.StoredRender.key``)."""
    issued_text = issued.isoformat() if issued else "draft"
    return f"{plan.pk}:{period.label}:{language}:{fmt}:{paper}:{issued_text}:v{version}"


def stored_render(*, key: str) -> StoredRender | None:
    """The stored render under ``key`` whose file is still there, or None."""
    stored = StoredRender.objects.filter(key=key).first()
    if stored is None or not stored.file or not stored.file.storage.exists(stored.file.name):
        return None
    return stored
