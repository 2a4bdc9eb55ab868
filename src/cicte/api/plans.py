"""Plans, mandates and the work area → program → project → target tree (public data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from cicte import search as text_search
from cicte.access.permissions import is_secretariat
from cicte.api.base import ERRORS, caller, plan_for
from cicte.iati.data import iati_plan
from cicte.iati.elements import activities_document
from cicte.iati.views import iati_response
from cicte.plan.indexing import PLAN_SCOPE, TARGET_SCOPE
from cicte.plan.models import (
    MandateClause,
    MandateSource,
    Program,
    Project,
    Target,
    WorkArea,
    WorkPlan,
)
from cicte.plan.selectors import public_plans

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    symbol: str
    year: int
    title: str
    status: str
    session: str
    session_date: dt.date | None
    place: str
    approval_date: dt.date | None
    original_language: str


class PlanListOut(Schema):
    total: int
    items: list[PlanOut]


class WorkAreaOut(Schema):
    id: int
    number: int
    title: str


class ProgramOut(Schema):
    id: int
    code: str
    letter: str | None
    title: str
    work_area: int

    @staticmethod
    def resolve_work_area(obj: Program) -> int:
        return obj.work_area.number


class ProjectOut(Schema):
    id: int
    code: str
    number: int | None
    title: str
    program: str

    @staticmethod
    def resolve_program(obj: Project) -> str:
        return obj.program.code


class TargetOut(Schema):
    id: int
    code: str
    text: str
    quantity: int | None
    unit: str
    funding: str
    project: str
    program: str
    work_area: int

    @staticmethod
    def resolve_project(obj: Target) -> str:
        return obj.project.code

    @staticmethod
    def resolve_program(obj: Target) -> str:
        return obj.project.program.code

    @staticmethod
    def resolve_work_area(obj: Target) -> int:
        return obj.project.program.work_area.number


class TargetPageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[TargetOut]


class PlanFilters(Schema):
    search: str | None = Field(
        None,
        max_length=200,
        description="Words of the title, symbol, year or place (accents and case ignored).",
    )


class TargetFilters(Schema):
    program: str | None = None
    project: str | None = None
    work_area: int | None = Field(None, ge=1, le=99)
    search: str | None = Field(
        None,
        max_length=200,
        description="Words of the code, text, unit, project or program title (each a word's "
        "beginning; accents and case ignored).",
    )


class Pagination(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class ClauseOut(Schema):
    id: int
    paragraph: str
    text: str
    subparagraphs: list[dict[str, Any]]
    programs: list[str]
    projects: list[str]

    @staticmethod
    def resolve_programs(obj: MandateClause) -> list[str]:
        return [p.code for p in obj.programs.all()]

    @staticmethod
    def resolve_projects(obj: MandateClause) -> list[str]:
        return [p.code for p in obj.projects.all()]


class MandateOut(Schema):
    id: int
    kind: str
    symbol: str
    title: str
    clauses: list[ClauseOut]

    @staticmethod
    def resolve_clauses(obj: MandateSource) -> list[MandateClause]:
        return list(obj.clauses.all())


class MandatePageOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[MandateOut]


def _bounded(pagination: Pagination, maximum: int = 500) -> tuple[int, int]:
    limit = max(1, min(pagination.limit, maximum))
    return limit, max(0, pagination.offset)


def _visible_plans(request: HttpRequest) -> QuerySet[WorkPlan]:
    if is_secretariat(caller(request)):
        return WorkPlan.objects.order_by("-year", "symbol")
    return public_plans()


@router.get("/plans", response={200: PlanListOut, **ERRORS}, summary="List work plans")
def plan_list(request: HttpRequest, filters: Query[PlanFilters]) -> dict[str, Any]:
    """Approved and archived plans (drafts too for Secretariat staff)."""
    visible = _visible_plans(request)
    if filters.search and filters.search.strip():
        visible = text_search.narrow(visible, PLAN_SCOPE, filters.search)
    plans = list(visible)
    return {"total": len(plans), "items": plans}


@router.get("/plans/{plan}", response={200: PlanOut, **ERRORS}, summary="One work plan")
def plan_detail(request: HttpRequest, plan: str) -> WorkPlan:
    """``plan`` is a year (2012), an id or a document symbol."""
    return plan_for(request, plan)


@router.get(
    "/plans/{plan}/iati.xml",
    response=ERRORS,
    summary="IATI 2.03 activity file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "One iati-activity per project (see docs/iati.md)",
                "content": {"application/xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
def plan_iati(request: HttpRequest, plan: str) -> HttpResponse:
    """The plan as an IATI 2.03 activity file, as the caller may read it: contributions and
    event costs the caller may not see are left out (docs/iati.md)."""
    found = plan_for(request, plan)
    return iati_response(
        activities_document(iati_plan(plan=found, actor=caller(request))), found.year
    )


@router.get(
    "/plans/{plan}/work-areas", response={200: list[WorkAreaOut], **ERRORS}, summary="Work areas"
)
def work_area_list(request: HttpRequest, plan: str) -> list[WorkArea]:
    return list(WorkArea.objects.filter(plan=plan_for(request, plan)).order_by("number"))


@router.get(
    "/plans/{plan}/programs", response={200: list[ProgramOut], **ERRORS}, summary="Programs"
)
def program_list(request: HttpRequest, plan: str) -> list[Program]:
    return list(
        Program.objects.filter(plan=plan_for(request, plan))
        .select_related("work_area")
        .order_by("position", "id")
    )


@router.get(
    "/plans/{plan}/projects", response={200: list[ProjectOut], **ERRORS}, summary="Projects"
)
def project_list(request: HttpRequest, plan: str, program: str | None = None) -> list[Project]:
    projects = Project.objects.filter(plan=plan_for(request, plan)).select_related("program")
    if program:
        projects = projects.filter(program__code=program)
    return list(projects.order_by("position", "id"))


@router.get("/plans/{plan}/targets", response={200: TargetPageOut, **ERRORS}, summary="Targets")
def target_list(
    request: HttpRequest,
    plan: str,
    filters: Query[TargetFilters],
    pagination: Query[Pagination],
) -> dict[str, Any]:
    """Targets in document order, filtered by program code, project code or work area."""
    targets = Target.objects.filter(plan=plan_for(request, plan)).select_related(
        "project__program__work_area"
    )
    if filters.program:
        targets = targets.filter(project__program__code=filters.program)
    if filters.project:
        targets = targets.filter(project__code=filters.project)
    if filters.work_area is not None:
        targets = targets.filter(project__program__work_area__number=filters.work_area)
    if filters.search and filters.search.strip():
        targets = text_search.narrow(targets, TARGET_SCOPE, filters.search)
    limit, offset = _bounded(pagination)
    targets = targets.order_by("position", "id")
    return {
        "total": targets.count(),
        "limit": limit,
        "offset": offset,
        "items": list(targets[offset : offset + limit]),
    }


@router.get("/mandates", response={200: MandatePageOut, **ERRORS}, summary="Mandates")
def mandate_list(
    request: HttpRequest, pagination: Query[Pagination], kind: str | None = None
) -> dict[str, Any]:
    """Mandate sources (declarations, decisions, resolutions) with their quoted clauses."""
    sources = MandateSource.objects.prefetch_related(
        Prefetch(
            "clauses",
            queryset=MandateClause.objects.prefetch_related("programs", "projects").order_by(
                "order"
            ),
        )
    ).order_by("kind", "symbol")
    if kind:
        sources = sources.filter(kind=kind)
    limit, offset = _bounded(pagination)
    return {
        "total": sources.count(),
        "limit": limit,
        "offset": offset,
        "items": list(sources[offset : offset + limit]),
    }
