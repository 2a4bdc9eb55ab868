"""/api/funding: donors, contributions, project budgets, the estimated needs of unfunded
targets, and the funding figures (budget, pledged, received, spent, balance, gap) per project,
program and plan — the workspace's Funding pages and the donors' "Projects you fund".

Who reads what is the web's: Secretariat staff everything; a donor the projects their
organization funds (``funding.selectors.projects_funded_by``) and their organization's
contributions (``Contribution.objects.visible_to``); nobody else anything. The services decide
every write (Secretariat staff record donors and contributions; budgets and estimated needs
also the program manager of the project's program).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cicte.access import permissions as roles
from cicte.api.base import (
    ERRORS,
    SIGNED_IN_AUTH,
    ApiError,
    ErrorOut,
    forbidden,
    plan_for,
    require_signed_in,
)
from cicte.core.versioning import version_of
from cicte.directory.models import MemberState, Organization
from cicte.funding import selectors, services
from cicte.funding.models import (
    Budget,
    Contribution,
    ContributionStatus,
    Donor,
    DonorKind,
    FundingNeed,
)
from cicte.funding.selectors import ProjectFunding
from cicte.plan.models import Program, Project, Target

router = Router(tags=["funding"])
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


class DonorOut(Schema):
    id: int
    kind: str
    name: str
    member_state: str | None = Field(None, description="ISO alpha-3 (kind member_state)")
    organization_id: int | None
    observer_name: str


class DonorIn(Schema):
    kind: DonorKind
    member_state: str | None = Field(None, max_length=3, description="ISO alpha-3")
    organization: int | None = Field(None, ge=1, le=2**31, description="Organization id")
    observer_name: str = Field("", max_length=200, description="A permanent observer, e.g. Spain")


class ContributionOut(Schema):
    id: int
    donor_id: int
    donor: str
    plan: str
    status: str
    amount: Decimal
    currency: str
    rate_to_usd: Decimal
    amount_usd: Decimal
    project: str | None = Field(None, description="Earmarked project code")
    project_id: int | None
    program: str | None = Field(None, description="Earmarked program code")
    program_id: int | None
    date: dt.date
    notes: str


class ContributionDetailOut(ContributionOut):
    version: int


class ContributionPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[ContributionOut]


class ContributionQuery(Schema):
    plan: str | None = Field(None, max_length=100, description="Year, id or symbol")
    donor: int | None = Field(None, ge=1, le=2**31, description="Donor id")
    status: ContributionStatus | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class ContributionIn(Schema):
    donor: int = Field(..., ge=1, le=2**31, description="Donor id")
    plan: str = Field(..., min_length=1, max_length=100, description="Year, id or symbol")
    amount: Decimal = Field(..., max_digits=16, decimal_places=2)
    currency: str = Field("USD", max_length=10, description="ISO 4217, e.g. USD, EUR, CAD")
    rate_to_usd: Decimal | None = Field(
        None,
        description="US dollars per unit of the currency (required unless USD)",
        max_digits=18,
        decimal_places=8,
    )
    status: ContributionStatus = ContributionStatus.PLEDGED
    date: dt.date
    project: int | None = Field(None, ge=1, le=2**31, description="Earmark: project id")
    program: int | None = Field(None, ge=1, le=2**31, description="Earmark: program id")
    notes: str = Field("", max_length=5000)


class ReceivedIn(Schema):
    date: dt.date
    rate_to_usd: Decimal | None = Field(
        None, description="The rate of the day received (optional)", max_digits=18, decimal_places=8
    )
    version: int | None = Field(None, description="The version you read (optional).")


class AmountIn(Schema):
    amount_usd: Decimal = Field(..., max_digits=16, decimal_places=2)
    notes: str = Field("", max_length=5000)
    version: int | None = Field(
        None, description="The version you read (0: none yet); a stale one is refused with 409."
    )


class UnfundedTargetOut(Schema):
    target_id: int
    code: str
    text: str
    estimated_usd: Decimal | None = Field(None, description="null: not estimated yet")


class UnconvertedCostOut(Schema):
    event_id: int
    title: str
    cost: Decimal
    currency: str


class ProjectContributionOut(Schema):
    donor: str
    status: str
    amount: Decimal
    currency: str
    rate_to_usd: Decimal
    amount_usd: Decimal
    date: str


class ProjectFundingOut(Schema):
    project_id: int
    code: str
    title: str
    program: str
    budget_usd: Decimal | None = Field(None, description="null: not set")
    pledged_usd: Decimal
    received_usd: Decimal
    spent_usd: Decimal
    balance_usd: Decimal
    gap_usd: Decimal | None = Field(None, description="budget − received − pledged, ≥ 0")
    unfunded_need_usd: Decimal
    donors: list[str]
    unfunded_targets: list[UnfundedTargetOut]
    unconverted_costs: list[UnconvertedCostOut]
    contributions: list[ProjectContributionOut]


class VersionsOut(Schema):
    budget: int = Field(..., description="Send with PUT …/budget (0: no budget yet)")
    needs: dict[str, int] = Field(..., description="Target id → version of its estimated need")


class ProjectFundingDetailOut(ProjectFundingOut):
    versions: VersionsOut | None = Field(None, description="Staff: tokens for the edits")


class ProgramFundingOut(Schema):
    program_id: int
    code: str
    title: str
    pledged_usd: Decimal
    received_usd: Decimal


class PlanFundingOut(Schema):
    plan: str
    budget_usd: Decimal
    pledged_usd: Decimal
    received_usd: Decimal
    spent_usd: Decimal
    balance_usd: Decimal
    unearmarked_pledged_usd: Decimal
    unearmarked_received_usd: Decimal
    unfunded_need_usd: Decimal
    targets_without_estimate: int
    projects: list[ProjectFundingOut]
    programs: list[ProgramFundingOut] = Field(..., description="Program-earmarked money")


class ProjectQuery(Schema):
    plan: str | None = Field(None, max_length=100, description="Year, id or symbol")
    organization: int | None = Field(
        None, ge=1, le=2**31, description="A donor following several organizations picks one"
    )


class NeedOut(Schema):
    target_id: int
    code: str
    estimated_usd: Decimal
    notes: str
    version: int


class BudgetOut(Schema):
    project_id: int
    code: str
    amount_usd: Decimal
    notes: str
    version: int


# --- helpers --------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user = require_signed_in(request)
    if not roles.is_secretariat(user):
        raise forbidden("This is for Secretariat staff.")
    return user


def _staff_or_donor(request: HttpRequest) -> Any:
    user = require_signed_in(request)
    if not (roles.is_secretariat(user) or roles.is_donor(user)):
        raise forbidden("Funding is for Secretariat staff and donors.")
    return user


def _donor_organization(request: HttpRequest, chosen: int | None) -> int:
    organization = roles.chosen_donor_organization(require_signed_in(request), chosen)
    if organization is None:
        raise forbidden("Funding is for Secretariat staff and donors.")
    return int(organization.pk)


def _unknown(field: str, value: object) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        f"Unknown {field}.",
        [{"field": field, "code": "unknown", "message": str(value)[:100]}],
    )


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise _unknown(field, pk)
    return found


def _donor_out(donor: Donor) -> dict[str, Any]:
    return {
        "id": donor.pk,
        "kind": donor.kind,
        "name": donor.name,
        "member_state": donor.member_state.code if donor.member_state else None,
        "organization_id": donor.organization_id,
        "observer_name": donor.observer_name,
    }


def _contributions() -> Any:
    return Contribution.objects.select_related(
        "donor", "donor__member_state", "donor__organization", "project", "program", "plan"
    )


def _contribution_out(item: Contribution) -> dict[str, Any]:
    return {
        "id": item.pk,
        "donor_id": item.donor_id,
        "donor": item.donor.name,
        "plan": item.plan.symbol,
        "status": item.status,
        "amount": item.amount,
        "currency": item.currency,
        "rate_to_usd": item.rate_to_usd,
        "amount_usd": item.amount_usd,
        "project": item.project.code if item.project else None,
        "project_id": item.project_id,
        "program": item.program.code if item.program else None,
        "program_id": item.program_id,
        "date": item.date,
        "notes": item.notes,
    }


def _visible_contribution(request: HttpRequest, contribution_id: int) -> Contribution:
    user = _staff_or_donor(request)
    item = _contributions().visible_to(user).filter(pk=contribution_id).first()
    if item is None:
        raise ApiError(404, "not_found", "No such contribution, or not visible to you.")
    return item


def _contribution_detail(item: Contribution) -> dict[str, Any]:
    row = _contribution_out(_contributions().get(pk=item.pk))
    row["version"] = version_of(item)
    return row


def _project_out(data: ProjectFunding) -> dict[str, Any]:
    return {
        "project_id": data.project_id,
        "code": data.code,
        "title": data.title,
        "program": data.program_code,
        "budget_usd": data.budget_usd,
        "pledged_usd": data.pledged_usd,
        "received_usd": data.received_usd,
        "spent_usd": data.spent_usd,
        "balance_usd": data.balance_usd,
        "gap_usd": data.gap_usd,
        "unfunded_need_usd": data.unfunded_need_usd,
        "donors": list(data.donors),
        "unfunded_targets": [vars(t) for t in data.unfunded_targets],
        "unconverted_costs": [vars(c) for c in data.unconverted_costs],
        "contributions": [vars(c) for c in data.contributions],
    }


def _project(project_id: int) -> Project:
    project = Project.objects.select_related("program", "plan").filter(pk=project_id).first()
    if project is None:
        raise ApiError(404, "not_found", "No such project, or not visible to you.")
    return project


# --- funding figures ------------------------------------------------------------------------


@router.get(
    "/funding/plans/{plan}",
    response={200: PlanFundingOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="A plan's funding overview: totals, every project, program-earmarked money",
)
def funding_plan(request: HttpRequest, plan: str) -> dict[str, Any]:
    """The Funding overview page: per project budget, pledged, received, spent, balance and
    gap with the unfunded targets; per program the earmarked money; plan totals."""
    _staff(request)
    data = selectors.funding_overview(plan=plan_for(request, plan))
    return {
        "plan": data.plan_symbol,
        "budget_usd": data.budget_usd,
        "pledged_usd": data.pledged_usd,
        "received_usd": data.received_usd,
        "spent_usd": data.spent_usd,
        "balance_usd": data.balance_usd,
        "unearmarked_pledged_usd": data.unearmarked_pledged_usd,
        "unearmarked_received_usd": data.unearmarked_received_usd,
        "unfunded_need_usd": data.unfunded_need_usd,
        "targets_without_estimate": data.targets_without_estimate,
        "projects": [_project_out(p) for p in data.projects],
        "programs": [vars(p) for p in data.programs],
    }


@router.get(
    "/funding/projects",
    response={200: list[ProjectFundingOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Projects' funding (staff: a plan's projects; a donor: the projects it funds)",
)
def funding_projects(request: HttpRequest, query: Query[ProjectQuery]) -> list[dict[str, Any]]:
    user = _staff_or_donor(request)
    if roles.is_secretariat(user):
        if not query.plan:
            raise ApiError(
                422,
                "validation_error",
                "Give the plan (year, id or symbol).",
                [{"field": "plan", "code": "required", "message": "plan"}],
            )
        projects = selectors.funding_overview(plan=plan_for(request, query.plan)).projects
    else:
        projects = selectors.projects_funded_by(
            organization_id=_donor_organization(request, query.organization)
        )
        if query.plan:
            plan_id = plan_for(request, query.plan).pk
            keep = set(Project.objects.filter(plan_id=plan_id).values_list("pk", flat=True))
            projects = [p for p in projects if p.project_id in keep]
    return [_project_out(p) for p in projects]


@router.get(
    "/funding/projects/{project_id}",
    response={200: ProjectFundingDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One project's funding (a donor: only a project it funds)",
)
def funding_project(
    request: HttpRequest, project_id: int, organization: int | None = None
) -> dict[str, Any]:
    user = _staff_or_donor(request)
    project = _project(project_id)
    staff = roles.is_secretariat(user)
    if not staff:
        org = _donor_organization(request, organization)
        if not selectors.donor_funds_project(organization_id=org, project=project):
            raise ApiError(404, "not_found", "No such project, or not visible to you.")
    row = _project_out(selectors.project_funding(project=project))
    row["versions"] = None
    if staff:
        budget = Budget.objects.filter(project=project).first()
        row["versions"] = {
            "budget": version_of(budget) if budget else 0,
            "needs": {
                str(n.target_id): version_of(n)
                for n in FundingNeed.objects.filter(target__project=project)
            },
        }
    return row


@router.put(
    "/funding/projects/{project_id}/budget",
    response={200: BudgetOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Set a project's budget (US dollars)",
)
def budget_set(request: HttpRequest, project_id: int, payload: AmountIn) -> dict[str, Any]:
    user = _staff(request)
    project = _project(project_id)
    budget = services.budget_set(
        actor=user,
        project=project,
        amount_usd=payload.amount_usd,
        notes=payload.notes,
        version=payload.version,
    )
    return {
        "project_id": project.pk,
        "code": project.code,
        "amount_usd": budget.amount_usd,
        "notes": budget.notes,
        "version": version_of(budget),
    }


@router.put(
    "/funding/targets/{target_id}/need",
    response={200: NeedOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Set the estimated need (US dollars) of a target waiting for funding",
)
def need_set(request: HttpRequest, target_id: int, payload: AmountIn) -> dict[str, Any]:
    user = _staff(request)
    target = Target.objects.select_related("project__program").filter(pk=target_id).first()
    if target is None:
        raise ApiError(404, "not_found", "No such target.")
    need = services.funding_need_set(
        actor=user,
        target=target,
        estimated_usd=payload.amount_usd,
        notes=payload.notes,
        version=payload.version,
    )
    return {
        "target_id": target.pk,
        "code": target.code,
        "estimated_usd": need.estimated_usd,
        "notes": need.notes,
        "version": version_of(need),
    }


# --- donors ---------------------------------------------------------------------------------


@router.get(
    "/funding/donors",
    response={200: list[DonorOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Donors",
)
def donor_list(request: HttpRequest) -> list[dict[str, Any]]:
    _staff(request)
    return [_donor_out(d) for d in Donor.objects.select_related("member_state", "organization")]


@router.post(
    "/funding/donors",
    response={201: DonorOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Add a donor: a member state, an organization or a permanent observer",
)
def donor_create(request: HttpRequest, payload: DonorIn) -> Status[dict[str, Any]]:
    user = _staff(request)
    state = None
    if payload.member_state:
        state = MemberState.objects.filter(code=payload.member_state.upper()).first()
        if state is None:
            raise _unknown("member_state", payload.member_state)
    donor = services.donor_create(
        actor=user,
        kind=payload.kind.value,
        member_state=state,
        organization=_one(Organization, payload.organization, "organization"),
        observer_name=payload.observer_name,
    )
    return Status(201, _donor_out(donor))


# --- contributions --------------------------------------------------------------------------


@router.get(
    "/funding/contributions",
    response={200: ContributionPageOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Contributions (staff: all; a donor: its organization's), newest first",
)
def contribution_list(request: HttpRequest, query: Query[ContributionQuery]) -> dict[str, Any]:
    user = _staff_or_donor(request)
    items = _contributions().visible_to(user)
    if query.plan:
        items = items.filter(plan=plan_for(request, query.plan))
    if query.donor:
        items = items.filter(donor_id=query.donor)
    if query.status:
        items = items.filter(status=query.status.value)
    items = items.order_by("-date", "-id")
    total = items.count()
    return {
        "total": total,
        "limit": query.limit,
        "offset": query.offset,
        "items": [_contribution_out(c) for c in items[query.offset : query.offset + query.limit]],
    }


@router.get(
    "/funding/contributions/{contribution_id}",
    response={200: ContributionDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One contribution",
)
def contribution_detail(request: HttpRequest, contribution_id: int) -> dict[str, Any]:
    return _contribution_detail(_visible_contribution(request, contribution_id))


@router.post(
    "/funding/contributions",
    response={201: ContributionDetailOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Record a pledge or a receipt (earmarked to a project, a program, or neither)",
)
def contribution_create(request: HttpRequest, payload: ContributionIn) -> Status[dict[str, Any]]:
    user = _staff(request)
    item = services.contribution_record(
        actor=user,
        donor=_one(Donor, payload.donor, "donor"),
        plan=plan_for(request, payload.plan),
        amount=payload.amount,
        currency=payload.currency,
        rate_to_usd=payload.rate_to_usd,
        status=payload.status.value,
        date=payload.date,
        project=_one(Project, payload.project, "project"),
        program=_one(Program, payload.program, "program"),
        notes=payload.notes,
    )
    return Status(201, _contribution_detail(item))


@router.post(
    "/funding/contributions/{contribution_id}/received",
    response={200: ContributionDetailOut, **WRITE_ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Mark a pledge received (optionally with the rate of the day)",
)
def contribution_received(
    request: HttpRequest, contribution_id: int, payload: ReceivedIn
) -> dict[str, Any]:
    user = _staff(request)
    item = services.contribution_mark_received(
        actor=user,
        contribution=_visible_contribution(request, contribution_id),
        date=payload.date,
        rate_to_usd=payload.rate_to_usd,
        version=payload.version,
    )
    return _contribution_detail(item)
