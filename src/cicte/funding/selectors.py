"""Funding reads: per project budget, pledged, received, spent, balance and gap; the plan
overview. All amounts in US dollars (see docs/funding.md for the conversion rules):

- a contribution counts for ``amount × rate_to_usd`` (the rate recorded with it);
- expenditure is the cost of **held** events that count toward the project's targets;
  only costs in USD (or with no currency) are converted, others are listed as unconverted;
- an event counting toward several projects is split equally between them (remainder
  cents to the project listed first).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db import connection

from cicte.delivery.models import Event, EventStatus, EventTarget
from cicte.funding.models import CENT, Contribution, ContributionStatus, Donor
from cicte.plan.models import Funding, Program, Project, Target, WorkPlan

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class UnfundedTarget:
    target_id: int
    code: str
    text: str
    estimated_usd: Decimal | None  # None: not estimated yet


@dataclass(frozen=True)
class UnconvertedCost:
    event_id: int
    title: str
    cost: Decimal
    currency: str


@dataclass(frozen=True)
class ContributionRow:
    donor: str
    status: str
    amount: Decimal
    currency: str
    rate_to_usd: Decimal
    amount_usd: Decimal
    date: str


@dataclass
class ProjectFunding:
    project_id: int
    code: str
    title: str
    program_code: str
    budget_usd: Decimal | None
    pledged_usd: Decimal = ZERO  # pledged, not yet received
    received_usd: Decimal = ZERO
    spent_usd: Decimal = ZERO
    unfunded_targets: list[UnfundedTarget] = field(default_factory=list)
    unconverted_costs: list[UnconvertedCost] = field(default_factory=list)
    contributions: list[ContributionRow] = field(default_factory=list)
    donors: list[str] = field(default_factory=list)

    @property
    def balance_usd(self) -> Decimal:
        """Received minus spent."""
        return self.received_usd - self.spent_usd

    @property
    def gap_usd(self) -> Decimal | None:
        """Budget not yet covered by received or pledged money (None without a budget)."""
        if self.budget_usd is None:
            return None
        return max(ZERO, self.budget_usd - self.received_usd - self.pledged_usd)

    @property
    def unfunded_need_usd(self) -> Decimal:
        return sum((t.estimated_usd or ZERO for t in self.unfunded_targets), ZERO)


@dataclass(frozen=True)
class ProgramContributions:
    program_id: int
    code: str
    title: str
    pledged_usd: Decimal
    received_usd: Decimal


@dataclass(frozen=True)
class FundingOverview:
    plan_id: int
    plan_symbol: str
    projects: list[ProjectFunding]
    programs: list[ProgramContributions]
    unearmarked_pledged_usd: Decimal
    unearmarked_received_usd: Decimal

    @property
    def budget_usd(self) -> Decimal:
        return sum((p.budget_usd or ZERO for p in self.projects), ZERO)

    @property
    def pledged_usd(self) -> Decimal:
        return (
            sum((p.pledged_usd for p in self.projects), ZERO)
            + sum((p.pledged_usd for p in self.programs), ZERO)
            + self.unearmarked_pledged_usd
        )

    @property
    def received_usd(self) -> Decimal:
        return (
            sum((p.received_usd for p in self.projects), ZERO)
            + sum((p.received_usd for p in self.programs), ZERO)
            + self.unearmarked_received_usd
        )

    @property
    def spent_usd(self) -> Decimal:
        return sum((p.spent_usd for p in self.projects), ZERO)

    @property
    def balance_usd(self) -> Decimal:
        return self.received_usd - self.spent_usd

    @property
    def unfunded_targets(self) -> list[tuple[ProjectFunding, UnfundedTarget]]:
        return [(p, t) for p in self.projects for t in p.unfunded_targets]

    @property
    def unfunded_need_usd(self) -> Decimal:
        return sum((p.unfunded_need_usd for p in self.projects), ZERO)

    @property
    def targets_without_estimate(self) -> int:
        return sum(1 for _, t in self.unfunded_targets if t.estimated_usd is None)


def split_cost(cost: Decimal, parts: int) -> list[Decimal]:
    """Split an amount in ``parts`` equal shares to the cent; remainder cents go first."""
    share = (cost / parts).quantize(CENT, rounding=ROUND_DOWN)
    shares = [share] * parts
    remainder = int(((cost - share * parts) / CENT).to_integral_value())
    for i in range(remainder):
        shares[i % parts] += CENT
    return shares


_SPENT_SQL = """
SELECT project_id, SUM(cents / n + CASE WHEN rn <= cents %% n THEN 1 ELSE 0 END)
FROM (
  SELECT project_id, cents,
         COUNT(*) OVER (PARTITION BY event_id) AS n,
         ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY project_id) AS rn
  FROM (
    SELECT DISTINCT et.event_id, t.project_id, CAST(ROUND(e.cost * 100) AS BIGINT) AS cents
    FROM {eventtarget} et
    JOIN {event} e ON e.id = et.event_id
    JOIN {target} t ON t.id = et.target_id
    WHERE t.plan_id = %s AND e.status = %s AND e.cost IS NOT NULL
      AND UPPER(COALESCE(NULLIF(e.currency, ''), 'USD')) = 'USD'
  ) AS links
) AS shares
GROUP BY project_id
"""


def spent_usd_by_project(*, plan: WorkPlan) -> dict[int, Decimal]:
    """Per project of the plan: the USD (or currency-less) cost of the held events counting
    toward it, each event split equally between its projects to the cent, the remainder
    cents to the projects with the lowest ids (what :func:`split_cost` does), summed in SQL
    in integer cents: one query, nothing per event in Python (issue 16)."""
    sql = _SPENT_SQL.format(
        eventtarget=connection.ops.quote_name(EventTarget._meta.db_table),
        event=connection.ops.quote_name(Event._meta.db_table),
        target=connection.ops.quote_name(Target._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan.pk, EventStatus.HELD])
        return {project_id: Decimal(int(cents)) * CENT for project_id, cents in cursor.fetchall()}


def _donor_name(donor: Donor) -> str:
    return donor.name


def _compute(*, plan: WorkPlan, project_ids: Iterable[int] | None = None) -> FundingOverview:
    """Five queries whatever the size of the plan."""
    projects_qs = Project.objects.filter(plan=plan).select_related("program", "budget")
    if project_ids is not None:
        projects_qs = projects_qs.filter(pk__in=list(project_ids))
    rows: dict[int, ProjectFunding] = {}
    for project in projects_qs.order_by("position"):
        budget = getattr(project, "budget", None)
        rows[project.pk] = ProjectFunding(
            project_id=project.pk,
            code=project.code,
            title=project.title,
            program_code=project.program.code,
            budget_usd=budget.amount_usd if budget is not None else None,
        )
    program_sums: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {ContributionStatus.PLEDGED: ZERO, ContributionStatus.RECEIVED: ZERO}
    )
    unearmarked: dict[str, Decimal] = {
        ContributionStatus.PLEDGED: ZERO,
        ContributionStatus.RECEIVED: ZERO,
    }
    contributions = Contribution.objects.filter(plan=plan).select_related(
        "donor", "donor__member_state", "donor__organization"
    )
    for c in contributions.order_by("date", "id"):
        usd = c.amount_usd
        if c.project_id is not None:
            row = rows.get(c.project_id)
            if row is None:
                continue
            if c.status == ContributionStatus.RECEIVED:
                row.received_usd += usd
            else:
                row.pledged_usd += usd
            donor = _donor_name(c.donor)
            if donor not in row.donors:
                row.donors.append(donor)
            row.contributions.append(
                ContributionRow(
                    donor=donor,
                    status=c.status,
                    amount=c.amount,
                    currency=c.currency,
                    rate_to_usd=c.rate_to_usd,
                    amount_usd=usd,
                    date=c.date.isoformat(),
                )
            )
        elif c.program_id is not None:
            program_sums[c.program_id][c.status] += usd
        else:
            unearmarked[c.status] += usd
    # Expenditure: held events with a cost, split between the projects they count toward.
    for project_id, spent in spent_usd_by_project(plan=plan).items():
        if project_id in rows:
            rows[project_id].spent_usd += spent
    unconverted = (
        EventTarget.objects.filter(
            target__plan=plan, event__status=EventStatus.HELD, event__cost__isnull=False
        )
        .exclude(event__currency="")
        .exclude(event__currency__iexact="USD")
        .values_list(
            "event_id", "target__project_id", "event__cost", "event__currency", "event__title"
        )
        .distinct()
        .order_by("event_id", "target__project_id")
    )
    for event_id, project_id, cost, currency, title in unconverted:
        if project_id in rows:
            rows[project_id].unconverted_costs.append(
                UnconvertedCost(
                    event_id=event_id, title=title, cost=cost or ZERO, currency=currency.upper()
                )
            )
    targets = (
        Target.objects.filter(
            plan=plan, funding=Funding.TO_BE_IDENTIFIED, project_id__in=list(rows)
        )
        .select_related("funding_need")
        .order_by("position")
    )
    for t in targets:
        need = getattr(t, "funding_need", None)
        rows[t.project_id].unfunded_targets.append(
            UnfundedTarget(
                target_id=t.pk,
                code=t.code,
                text=t.text or t.unit,
                estimated_usd=need.estimated_usd if need is not None else None,
            )
        )
    programs = []
    if program_sums:
        for program in Program.objects.filter(pk__in=list(program_sums)).order_by("position"):
            sums = program_sums[program.pk]
            programs.append(
                ProgramContributions(
                    program_id=program.pk,
                    code=program.code,
                    title=program.title,
                    pledged_usd=sums[ContributionStatus.PLEDGED],
                    received_usd=sums[ContributionStatus.RECEIVED],
                )
            )
    return FundingOverview(
        plan_id=plan.pk,
        plan_symbol=plan.symbol,
        projects=list(rows.values()),
        programs=programs,
        unearmarked_pledged_usd=unearmarked[ContributionStatus.PLEDGED],
        unearmarked_received_usd=unearmarked[ContributionStatus.RECEIVED],
    )


def funding_overview(*, plan: WorkPlan) -> FundingOverview:
    """Every project of the plan, program-earmarked and unearmarked money, unfunded targets."""
    return _compute(plan=plan)


def project_funding(*, project: Project) -> ProjectFunding:
    return _compute(plan=project.plan, project_ids=[project.pk]).projects[0]


def projects_funded_by(*, organization_id: int) -> list[ProjectFunding]:
    """Projects a donor organization funds: earmarked to the project or to its program."""
    contributions = Contribution.objects.filter(donor__organization_id=organization_id)
    project_ids = set(contributions.exclude(project=None).values_list("project_id", flat=True))
    program_ids = set(contributions.exclude(program=None).values_list("program_id", flat=True))
    if program_ids:
        project_ids |= set(
            Project.objects.filter(program_id__in=program_ids).values_list("pk", flat=True)
        )
    result: list[ProjectFunding] = []
    plans = WorkPlan.objects.filter(projects__in=project_ids).distinct().order_by("-year")
    for plan in plans:
        result.extend(_compute(plan=plan, project_ids=project_ids).projects)
    return result


def donor_funds_project(*, organization_id: int, project: Project) -> bool:
    return any(
        p.project_id == project.pk for p in projects_funded_by(organization_id=organization_id)
    )
