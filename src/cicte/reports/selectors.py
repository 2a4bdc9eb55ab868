"""Reads of the semi-annual report: one :class:`ReportData` feeds every format.

Query count is constant in the size of the data: the progress selectors (the same numbers
as the dashboard), one query per prefetched relation of the events held in the period, the
narratives and the mandates; each section then works on memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from babel.dates import format_date
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cicte.core.periods import Period
from cicte.delivery.models import Event, EventStatus, EventTarget
from cicte.directory.models import MemberState
from cicte.plan.models import MandateClause, PlanMandate, Program, Project, WorkPlan
from cicte.progress.selectors import member_state_progress, plan_progress
from cicte.progress.types import MemberStateProgress, PlanProgress
from cicte.reports.models import Narrative, PublishedReport
from cicte.reports.registry import registered_sections
from cicte.reports.types import EventLine, ReportData, ReportMeta

LANGUAGES = ("en", "es")


class ReportError(ValueError):
    """A report cannot be produced for this input (one line, shown to the user)."""


@dataclass
class ReportContext:
    """Everything a section builder may read. Built once per report."""

    plan: WorkPlan
    period: Period
    year_to_date: Period
    language: str
    progress: PlanProgress  # delivered in the period
    progress_year: PlanProgress  # cumulative from 1 January of the plan year to the period end
    member_states: list[MemberStateProgress]
    events: list[EventLine]  # held, ending in the period, by start date
    narratives: dict[str, str]  # program code -> text
    mandates: list[PlanMandate]  # source -> clauses -> programs/projects of this plan
    extra: dict[str, object] = field(default_factory=dict)  # for sections added by other apps


def year_to_date(*, plan: WorkPlan, period: Period) -> Period:
    start = dt.date(plan.year, 1, 1)
    return Period(start, period.end, f"{start.isoformat()}..{period.end.isoformat()}")


def check_period(*, plan: WorkPlan, period: Period) -> None:
    if period.start.year != plan.year or period.end.year != plan.year:
        raise ReportError(
            f"Period {period.label} is outside the {plan.year} plan year ({plan.symbol})."
        )


def document_symbol(*, plan: WorkPlan, period: Period) -> str:
    """``<organ>/INF. <n>/<yy>``: the organ is the plan symbol's first part (``CICTE``),
    ``n`` the half-year (1 or 2; the period label for other periods), ``yy`` the plan year.
    The 2012-H1 report on ``CICTE/doc.5/12 rev. 1`` is ``CICTE/INF. 1/12``."""
    organ = plan.symbol.split("/", 1)[0].strip() or "CICTE"
    match = re.match(r"^\d{4}-H([12])$", period.label)
    number = match[1] if match else period.label
    return f"{organ}/INF. {number}/{plan.year % 100:02d}"


def period_label(period: Period, language: str) -> str:
    """ "January–June 2012" / "enero–junio de 2012"; a range for other periods."""
    if period.start.year == period.end.year and period.start.day == 1:
        first = format_date(period.start, "LLLL", locale=language)
        last = format_date(period.end, "LLLL", locale=language)
        if first == last:
            return format_date(period.start, "LLLL y", locale=language)
        year = format_date(period.end, "y", locale=language)
        joiner = " de " if language == "es" else " "
        return f"{first}–{last}{joiner}{year}"
    start = format_date(period.start, "long", locale=language)
    end = format_date(period.end, "long", locale=language)
    return f"{start} – {end}"


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


def report_meta(
    *, plan: WorkPlan, period: Period, language: str, issued: dt.date | None = None
) -> ReportMeta:
    issued = issued or timezone.localdate()
    symbol = document_symbol(plan=plan, period=period)
    original = translation.get_language_info(plan.original_language or "en")
    label = period_label(period, language)
    return ReportMeta(
        plan_id=plan.pk,
        plan_symbol=plan.symbol,
        plan_title=plan.title,
        plan_series=plan.series,
        plan_year=plan.year,
        period=period,
        period_label=label,
        language=language,
        document_symbol=symbol,
        issued=issued,
        issued_label=format_date(issued, "long", locale=language),
        # "Original: English" / "Original: inglés" (Spanish writes language names in lower case).
        original_language_label=(
            str(original["name_translated"]).lower()
            if language == "es"
            else str(original["name_translated"])
        ),
        title=_("Semi-annual report on the implementation of the %(year)s Work Plan")
        % {"year": plan.year},
        subtitle=_("Period covered: %(period)s") % {"period": label},
    )


def report_data(
    *, plan: WorkPlan, period: Period, language: str, issued: dt.date | None = None
) -> ReportData:
    """The whole report for a plan and period, with text in ``language`` (en or es)."""
    if language not in LANGUAGES:
        raise ReportError(f"Unknown report language {language!r}: use en or es.")
    with translation.override(language):
        context = report_context(plan=plan, period=period, language=language)
        meta = report_meta(plan=plan, period=period, language=language, issued=issued)
        sections = []
        for spec in registered_sections():
            section = spec.build(context)
            if section is not None:
                sections.append(section)
    return ReportData(meta=meta, sections=sections)


def published_reports(*, language: str | None = None) -> QuerySet[PublishedReport]:
    """Published reports for the public list (newest first)."""
    reports = PublishedReport.objects.select_related("plan").order_by(
        "-plan__year", "-period", "language", "format"
    )
    if language:
        reports = reports.filter(language=language)
    return reports
