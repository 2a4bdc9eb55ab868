"""What an IATI file says of a plan, read once (a handful of queries whatever its size).

Everything the export reads goes through the readers' rules: contributions and events through
``visible_to(actor)`` (a public caller gets only what the public pages show), target values
through the progress selectors (the same figures as the dashboard and the report).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext

from cicte.core.errors import ApplicationError
from cicte.core.periods import Period, parse_period
from cicte.delivery.models import Event, EventStatus
from cicte.funding.models import Budget, Contribution, ContributionStatus
from cicte.plan.models import Funding, PlanStatus, Project, Target, WorkPlan
from cicte.progress.selectors import plan_progress
from cicte.progress.types import TargetProgress

#: The Secretariat's classification of each work area under the OECD DAC 5-digit purpose
#: codes (vocabulary 1), overridable with the IATI_SECTORS setting. See docs/iati.md.
DEFAULT_SECTORS: dict[int, str] = {
    1: "15210",  # Border controls: security system management and reform
    2: "15130",  # Legislative assistance, terrorism financing: legal and judicial development
    3: "22040",  # Protection of critical infrastructure (cyber-security): ICT
    4: "15210",  # Emerging threats (CBRN crisis management): security system management
    5: "15110",  # International coordination: public sector policy and administrative management
}


class IatiSettingMissing(ApplicationError):
    def __init__(self, name: str) -> None:
        super().__init__(
            "iati_setting_missing",
            gettext(
                "The IATI export needs the %(name)s setting (environment variable "
                "CICTE_%(name)s): the reporting organisation's IATI identifier, e.g. XM-DAC-00000."
            )
            % {"name": name},
            field=name,
        )


@dataclass(frozen=True)
class Reporter:
    ref: str
    type: str
    name: str


@dataclass
class Money:
    value: Decimal
    currency: str
    date: dt.date


@dataclass
class Transaction:
    code: str  # IATI TransactionType: 1 incoming funds, 13 incoming pledge, 4 expenditure
    date: dt.date
    money: Money
    provider: str = ""
    description: str = ""


@dataclass
class IndicatorPeriod:
    period: Period
    target: int | None
    actual: int | None


@dataclass
class Indicator:
    code: str
    title: str
    unit: str
    quantitative: bool
    unfunded: bool
    periods: list[IndicatorPeriod] = field(default_factory=list)


@dataclass
class Activity:
    identifier: str
    code: str
    title: str
    program: str
    work_area: str
    sector: str
    status: str  # IATI ActivityStatus
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    countries: list[tuple[str, Decimal]]  # (alpha-2, percentage)
    partners: list[str]
    funders: list[str]
    budget: Money | None
    transactions: list[Transaction]
    indicators: list[Indicator]
    unfunded_targets: list[str]


@dataclass
class IatiPlan:
    reporter: Reporter
    plan: WorkPlan
    language: str
    generated: dt.datetime
    activities: list[Activity]


def reporter() -> Reporter:
    ref = getattr(settings, "IATI_REPORTING_ORG_REF", "")
    if not ref:
        raise IatiSettingMissing("IATI_REPORTING_ORG_REF")
    return Reporter(
        ref=ref,
        type=getattr(settings, "IATI_REPORTING_ORG_TYPE", "40"),
        name=getattr(settings, "IATI_REPORTING_ORG_NAME", ""),
    )


def _halves(year: int) -> list[Period]:
    return [parse_period(f"{year}-H1"), parse_period(f"{year}-H2")]


def _activity_status(plan: WorkPlan, today: dt.date) -> str:
    if plan.status == PlanStatus.ARCHIVED:
        return "4"  # closed
    if plan.year > today.year:
        return "1"  # pipeline / identification
    if plan.year == today.year:
        return "2"  # implementation
    return "3"  # finalisation: the year is over, reporting goes on


def _split(quantity: int) -> tuple[int, int]:
    """The annual target split over the two half-years (the first gets the odd unit)."""
    first = (quantity + 1) // 2
    return first, quantity - first


def _percentages(counts: dict[str, int]) -> list[tuple[str, Decimal]]:
    """Shares of 100 with two decimals that add up to exactly 100 (the last one absorbs the
    rounding), in code order."""
    total = sum(counts.values())
    if not total:
        return []
    codes = sorted(counts)
    shares = [(Decimal(100) * counts[c] / total).quantize(Decimal("0.01")) for c in codes[:-1]]
    shares.append(Decimal(100) - sum(shares, Decimal(0)))
    return list(zip(codes, shares, strict=True))


def iati_plan(*, plan: WorkPlan, actor: Any, today: dt.date | None = None) -> IatiPlan:
    """Everything the IATI file says of ``plan``, as ``actor`` may read it."""
    who = reporter()
    today = today or timezone.localdate()
    sectors = {**DEFAULT_SECTORS, **getattr(settings, "IATI_SECTORS", {})}
    halves = _halves(plan.year)
    progress = [plan_progress(plan=plan, period=half) for half in halves]
    delivered: list[dict[int, TargetProgress]] = [
        {
            t.target_id: t
            for area in p.work_areas
            for program in area.programs
            for project in program.projects
            for t in project.targets
        }
        for p in progress
    ]
    projects = list(
        Project.objects.filter(plan=plan)
        .select_related("program__work_area")
        .order_by("position", "id")
    )
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(plan=plan).order_by("position", "id"):
        targets[target.project_id].append(target)

    events = Event.objects.visible_to(actor).filter(plan=plan)
    held = events.filter(status=EventStatus.HELD)
    project_of_event = "contributions__target__project_id"
    dates = {
        row[project_of_event]: row
        for row in held.values(project_of_event).annotate(
            first=Min("start_date"), last=Max("end_date")
        )
    }
    countries: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        held.values(project_of_event, "beneficiaries__alpha2")
        .exclude(beneficiaries__alpha2=None)
        .annotate(n=Count("id", distinct=True))
    ):
        countries[row[project_of_event]][row["beneficiaries__alpha2"]] = row["n"]
    partners: dict[int, set[str]] = defaultdict(set)
    for row in held.values(project_of_event, "partners__name").exclude(partners__name=None):
        partners[row[project_of_event]].add(row["partners__name"])
    spending: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    for row in (
        held.exclude(cost=None)
        .values("id", "cost", "currency", "end_date", project_of_event)
        .distinct()
    ):
        for index, half in enumerate(halves):
            if row["end_date"] in half and row[project_of_event] is not None:
                key = (row[project_of_event], index, row["currency"] or "USD")
                spending[key] += row["cost"]

    contributions: dict[int, list[Contribution]] = defaultdict(list)
    for c in (
        Contribution.objects.visible_to(actor)
        .filter(plan=plan, project__isnull=False)
        .select_related("donor__member_state", "donor__organization")
        .order_by("date", "id")
    ):
        contributions[c.project_id].append(c)  # type: ignore[index]
    budgets = {b.project_id: b for b in Budget.objects.filter(project__plan=plan)}

    start, end = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    status = _activity_status(plan, today)
    activities = []
    for project in projects:
        area = project.program.work_area
        project_dates = dates.get(project.pk, {})
        transactions = [
            Transaction(
                code="1" if c.status == ContributionStatus.RECEIVED else "13",
                date=c.date,
                money=Money(c.amount, c.currency, c.date),
                provider=c.donor.name,
                description=c.notes,
            )
            for c in contributions[project.pk]
        ]
        for (project_id, index, currency), total in sorted(spending.items()):
            if project_id == project.pk:
                half = halves[index]
                when = min(half.end, today)
                transactions.append(
                    Transaction(
                        code="4",
                        date=when,
                        money=Money(total, currency, when),
                        description=f"Costs of the events held in {half.label}",
                    )
                )
        indicators = []
        for target in targets[project.pk]:
            unfunded = target.funding == Funding.TO_BE_IDENTIFIED
            quantitative = target.quantity is not None
            split = _split(target.quantity) if target.quantity is not None else (None, None)
            indicator = Indicator(
                code=target.code,
                title=target.text or f"{target.quantity or ''} {target.unit}".strip(),
                unit=target.unit,
                quantitative=quantitative,
                unfunded=unfunded,
            )
            for index, half in enumerate(halves):
                row = delivered[index].get(target.pk)
                started = half.start <= today
                indicator.periods.append(
                    IndicatorPeriod(
                        period=half,
                        target=split[index],
                        actual=(row.delivered if row else 0) if started else None,
                    )
                )
            indicators.append(indicator)
        budget = budgets.get(project.pk)
        activities.append(
            Activity(
                identifier=f"{who.ref}-{plan.year}-{project.code}",
                code=project.code,
                title=project.title,
                program=f"{project.program.code} {project.program.title}",
                work_area=f"{area.number}. {area.title}",
                sector=sectors.get(area.number, "15210"),
                status=status,
                planned_start=start,
                planned_end=end,
                actual_start=project_dates.get("first"),
                actual_end=project_dates.get("last") if status in {"3", "4"} else None,
                countries=_percentages(countries.get(project.pk, {})),
                partners=sorted(partners.get(project.pk, set())),
                funders=sorted({c.donor.name for c in contributions[project.pk]}),
                budget=Money(budget.amount_usd, "USD", start) if budget else None,
                transactions=transactions,
                indicators=indicators,
                unfunded_targets=[
                    t.code for t in targets[project.pk] if t.funding == Funding.TO_BE_IDENTIFIED
                ],
            )
        )
    return IatiPlan(
        reporter=who,
        plan=plan,
        language=plan.original_language or "en",
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        activities=activities,
    )


__all__ = ["Activity", "IatiPlan", "IatiSettingMissing", "iati_plan"]
