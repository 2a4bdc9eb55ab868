"""Reads of the semi-annual report: everything a section may need, in one :class:`ReportContext`.

Query count is constant in the size of the data: the progress selectors (the same numbers
as the dashboard), the figures of the events held in the period as SQL aggregates
(:func:`held_totals`: one query of conditional sums and counts, and three grouped ones),
the narratives and the mandates. The held events themselves are read only as far as a
document shows them (:func:`event_lines` with a limit); the full list
(``ReportContext.events``, a :class:`~cicte.reports.types.Deferred` list) is read from the
database only when something walks it, which the XLSX sheets do
(:mod:`cicte.reports.build` assembles the sections).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cicte.core.periods import Period
from cicte.delivery.models import Event, EventKind, EventStatus, EventTarget
from cicte.delivery.selectors import event_rows
from cicte.directory.models import MemberState, Subregion
from cicte.plan.models import MandateClause, PlanMandate, Program, Project, WorkPlan
from cicte.progress.selectors import member_state_progress, plan_progress
from cicte.reports.models import Narrative, PublishedReport, StoredRender
from cicte.reports.types import Deferred, EventLine, HeldTotals, ReportContext, ReportError


def year_to_date(*, plan: WorkPlan, period: Period) -> Period:
    start = dt.date(plan.year, 1, 1)
    return Period(start, period.end, f"{start.isoformat()}..{period.end.isoformat()}")


def check_period(*, plan: WorkPlan, period: Period) -> None:
    if period.start.year != plan.year or period.end.year != plan.year:
        raise ReportError(
            f"Period {period.label} is outside the {plan.year} plan year ({plan.symbol})."
        )


def held_events(*, plan: WorkPlan, period: Period) -> QuerySet[Event]:
    """Held events of the plan ending in the period, in report order."""
    return Event.objects.filter(
        plan=plan, status=EventStatus.HELD, end_date__gte=period.start, end_date__lte=period.end
    ).order_by("start_date", "end_date", "id")


def event_lines(events: QuerySet[Event]) -> list[EventLine]:
    """``events`` (in its order, slices included) as plain rows (counts, never names),
    projected from :func:`cicte.delivery.selectors.event_rows` (one query whatever the
    number of events)."""
    rows = []
    for event in event_rows(events):
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


def events_held(*, plan: WorkPlan, period: Period) -> list[EventLine]:
    """Every held event of the plan ending in the period, by start date (one query)."""
    return event_lines(held_events(plan=plan, period=period))


def _total(expression: Sum) -> Coalesce:
    return Coalesce(expression, Value(0), output_field=IntegerField())


def held_totals(*, plan: WorkPlan, period: Period) -> HeldTotals:
    """The figures of the held events of the period, every one an SQL aggregate: one query of
    conditional counts and sums over the events (participants by sex, scholarships,
    evaluations, distinct events per subregion reached as beneficiary or host), one
    ``COUNT(DISTINCT)`` of the partner organizations and one grouped count of distinct events
    per program and per project that they contributed to."""
    held = held_events(plan=plan, period=period).order_by()
    held_ids = held.values("id")
    through = Event.beneficiaries.through
    subregions = list(Subregion.values)
    by_subregion = {
        f"subregion_{index}": Count(
            "id",
            filter=Q(host_state__in=MemberState.objects.filter(subregion=key).values("id"))
            | Q(
                Exists(through.objects.filter(event_id=OuterRef("id"), memberstate__subregion=key))
            ),
        )
        for index, key in enumerate(subregions)
    }
    scholarship = EventKind.SCHOLARSHIP
    row = held.aggregate(
        n_events=Count("id"),
        n_participants_total=_total(Sum("participants_total")),
        n_women=_total(Sum("participants_women")),
        n_men=_total(Sum("participants_men")),
        n_scholarships=_total(
            Sum(
                Case(
                    When(kind=scholarship, participants_total__lt=1, then=Value(1)),
                    When(kind=scholarship, then=F("participants_total")),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        ),
        n_evaluations=Count("id", filter=Q(kind=EventKind.EVALUATION)),
        **by_subregion,
    )
    partners = (
        Event.partners.through.objects.filter(event_id__in=held_ids)
        .order_by()
        .aggregate(n=Count("organization_id", distinct=True))["n"]
    )
    contributions = EventTarget.objects.filter(event_id__in=held_ids, target__plan=plan).order_by()
    program_events = dict(
        contributions.values_list("target__project__program__code").annotate(
            n=Count("event_id", distinct=True)
        )
    )
    project_events = dict(
        contributions.values_list("target__project__code").annotate(
            n=Count("event_id", distinct=True)
        )
    )
    return HeldTotals(
        events=row["n_events"],
        participants_total=row["n_participants_total"],
        women=row["n_women"],
        men=row["n_men"],
        scholarships=row["n_scholarships"],
        evaluations=row["n_evaluations"],
        partner_organizations=partners or 0,
        subregion_events={key: row[f"subregion_{index}"] for index, key in enumerate(subregions)},
        program_events=program_events,
        project_events=project_events,
    )


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
    totals = held_totals(plan=plan, period=period)

    def first_events(*, limit: int, kind: str | None = None) -> list[EventLine]:
        """The first ``limit`` held events (of ``kind``), one query with a LIMIT."""
        events = held_events(plan=plan, period=period)
        if kind is not None:
            events = events.filter(kind=kind)
        return event_lines(events[:limit])

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
        events=Deferred(lambda: events_held(plan=plan, period=period), length=totals.events),
        narratives=narratives,
        mandates=_mandates(plan),
        totals=totals,
        first_events=first_events,
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
