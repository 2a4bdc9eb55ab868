"""Reads of the semi-annual report: everything a section may need, in one :class:`ReportContext`.

Query count is constant in the size of the data: the progress selectors (the same numbers
as the dashboard), the events held in the period (:func:`cicte.delivery.selectors.event_rows`),
the narratives and the mandates; each section then works on memory
(:mod:`cicte.reports.build` assembles them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from cicte.core.periods import Period
from cicte.delivery.models import Event, EventStatus, EventTarget
from cicte.directory.models import MemberState
from cicte.plan.models import MandateClause, PlanMandate, Program, Project, WorkPlan
from cicte.progress.selectors import member_state_progress, plan_progress
from cicte.reports.models import Narrative, PublishedReport
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
    """Held events of the plan ending in the period, as plain rows (counts, never names).

    Five queries whatever the number of events: the related rows are read by joining on the
    same filter (no ``IN`` list of event ids, which would hit SQLite's parameter limit).
    """
    held = Event.objects.filter(
        plan=plan, status=EventStatus.HELD, end_date__gte=period.start, end_date__lte=period.end
    )
    states = dict(MemberState.objects.values_list("id", "code"))
    beneficiaries: dict[int, list[str]] = defaultdict(list)
    for event_id, state_id in Event.beneficiaries.through.objects.filter(
        event__in=held
    ).values_list("event_id", "memberstate_id"):
        beneficiaries[event_id].append(states[state_id])
    partners: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for event_id, org_id, name, acronym in Event.partners.through.objects.filter(
        event__in=held
    ).values_list("event_id", "organization_id", "organization__name", "organization__acronym"):
        partners[event_id].append((org_id, acronym or name))
    contributions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for event_id, target_id, units in EventTarget.objects.filter(event__in=held).values_list(
        "event_id", "target_id", "units"
    ):
        contributions[event_id].append((target_id, units))
    rows = []
    for values in held.order_by("start_date", "end_date", "id").values_list(
        "id",
        "kind",
        "title",
        "start_date",
        "end_date",
        "city",
        "host_state_id",
        "participants_total",
        "participants_women",
        "participants_men",
    ):
        (pk, kind, title, start, end, city, host_id, total, women, men) = values
        event_partners = sorted(partners.get(pk, []), key=lambda p: p[1])
        rows.append(
            EventLine(
                event_id=pk,
                kind=kind,
                title=title,
                start_date=start,
                end_date=end,
                city=city,
                host_state=states.get(host_id) if host_id else None,
                beneficiaries=sorted(beneficiaries.get(pk, [])),
                participants_total=total,
                women=women,
                men=men,
                partners=[name for _id, name in event_partners],
                partner_ids=[org_id for org_id, _name in event_partners],
                contributions=contributions.get(pk, []),
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
