"""Reads of the Work Plan. Query counts are constant in the size of the plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from cicte import search
from cicte.directory.indexing import SCOPE as ORGANIZATION_SCOPE
from cicte.directory.models import Organization, OrganizationGroup
from cicte.plan.models import (
    MandateClause,
    MandateKind,
    MandateSource,
    PlanMandate,
    PlanPartner,
    PlanStatus,
    Program,
    Project,
    Target,
    WorkPlan,
)
from cicte.plan.parsing.types import (
    MandateClauseData,
    MandateSourceData,
    PartnerData,
    PlanDocument,
    ProgramData,
    ProjectData,
    SubparagraphData,
    TargetData,
    WorkAreaData,
)


class PlanNotFound(LookupError):
    pass


def public_plans() -> QuerySet[WorkPlan]:
    """Plans the public may see: approved or archived, never drafts."""
    return WorkPlan.objects.exclude(status=PlanStatus.DRAFT).order_by("-year", "symbol")


def plan_get(reference: str | int, *, public: bool = False) -> WorkPlan:
    """A plan by year ("2012"), id or document symbol; the newest when several share a year."""
    plans = public_plans() if public else WorkPlan.objects.order_by("-year", "-id")
    text = str(reference).strip()
    plan = None
    if text.isdigit() and len(text) == 4:
        plan = plans.filter(year=int(text)).first()
    if plan is None:
        plan = plans.filter(symbol__iexact=text).first()
    if plan is None and text.isdigit():
        plan = plans.filter(pk=int(text)).first()
    if plan is None:
        raise PlanNotFound(f"No work plan {text!r}.")
    return plan


def plan_document(*, plan: WorkPlan) -> PlanDocument:
    """The whole plan as plain data (the canonical format), in 8 queries whatever its size."""
    areas = list(plan.work_areas.all())
    programs = list(Program.objects.filter(plan=plan))
    projects = list(Project.objects.filter(plan=plan))
    targets = list(Target.objects.filter(plan=plan))
    targets_by_project: dict[int, list[TargetData]] = defaultdict(list)
    for t in targets:
        targets_by_project[t.project_id].append(
            TargetData(
                code=t.code,
                quantity=t.quantity,
                unit=t.unit,
                text=t.text,
                funding=t.funding,  # type: ignore[arg-type]
            )
        )
    projects_by_program: dict[int, list[ProjectData]] = defaultdict(list)
    for p in projects:
        projects_by_program[p.program_id].append(
            ProjectData(
                code=p.code, number=p.number, title=p.title, targets=targets_by_project[p.pk]
            )
        )
    programs_by_area: dict[int, list[ProgramData]] = defaultdict(list)
    for g in programs:
        programs_by_area[g.work_area_id].append(
            ProgramData(
                code=g.code,
                letter=g.letter or None,
                title=g.title,
                projects=projects_by_program[g.pk],
            )
        )
    mandates = []
    plan_links = MandateClause.objects.prefetch_related(
        Prefetch("programs", queryset=Program.objects.filter(plan=plan).only("code", "position")),
        Prefetch("projects", queryset=Project.objects.filter(plan=plan).only("code", "position")),
    )
    for link in (
        PlanMandate.objects.filter(plan=plan)
        .select_related("source")
        .prefetch_related(Prefetch("source__clauses", queryset=plan_links))
    ):
        source = link.source
        clauses = []
        for c in source.clauses.all():
            linked: list[Program | Project] = [*c.programs.all(), *c.projects.all()]
            linked.sort(key=lambda x: x.position)
            clauses.append(
                MandateClauseData(
                    paragraph=c.paragraph,
                    text=c.text,
                    subparagraphs=[
                        SubparagraphData(
                            letter=s["letter"], text=s["text"], relevant=s.get("relevant", True)
                        )
                        for s in c.subparagraphs
                    ],
                    implemented_by=[x.code for x in linked],
                )
            )
        mandates.append(
            MandateSourceData(
                kind=source.kind,  # type: ignore[arg-type]
                symbol=source.symbol,
                title=source.title,
                clauses=clauses,
            )
        )
    partners = [
        PartnerData(
            name=pp.organization.name,
            acronym=pp.organization.acronym or None,
            group=pp.organization.group,  # type: ignore[arg-type]
            parent=pp.organization.parent_unit or None,
            units=list(pp.units),
        )
        for pp in PlanPartner.objects.filter(plan=plan).select_related("organization")
    ]
    return PlanDocument(
        symbol=plan.symbol,
        year=plan.year,
        title=plan.title,
        series=plan.series,
        session=plan.session,
        session_date=plan.session_date,
        place=plan.place,
        approval_date=plan.approval_date,
        issue_date=plan.issue_date,
        original_language=plan.original_language,
        preamble=plan.preamble,
        mandates=mandates,
        work_areas=[
            WorkAreaData(number=a.number, title=a.title, programs=programs_by_area[a.pk])
            for a in areas
        ],
        partners=partners,
    )


@dataclass
class LinkedItem:
    code: str
    title: str
    plan_year: int


@dataclass
class ClauseView:
    paragraph: str
    text: str
    subparagraphs: list[dict[str, object]]
    implemented_by: list[LinkedItem]


@dataclass
class MandateView:
    kind: str
    kind_label: str
    symbol: str
    title: str
    clauses: list[ClauseView]


def public_mandates() -> list[MandateView]:
    """Every mandate source cited by a public plan, with its clauses and linked programs."""
    visible = public_plans()
    sources = (
        MandateSource.objects.filter(plans__in=visible)
        .distinct()
        .prefetch_related(
            Prefetch(
                "clauses",
                queryset=MandateClause.objects.prefetch_related(
                    Prefetch(
                        "programs",
                        queryset=Program.objects.filter(plan__in=visible).select_related("plan"),
                    ),
                    Prefetch(
                        "projects",
                        queryset=Project.objects.filter(plan__in=visible).select_related("plan"),
                    ),
                ),
            )
        )
    )
    kind_order = {k: i for i, k in enumerate(MandateKind.values)}
    views = []
    for source in sorted(sources, key=lambda s: (kind_order.get(s.kind, 99), s.symbol)):
        clauses = []
        for clause in source.clauses.all():
            items: list[Program | Project] = [*clause.programs.all(), *clause.projects.all()]
            items.sort(key=lambda x: (-x.plan.year, x.position))
            clauses.append(
                ClauseView(
                    paragraph=clause.paragraph,
                    text=clause.text,
                    subparagraphs=clause.subparagraphs,
                    implemented_by=[
                        LinkedItem(code=i.code, title=i.title, plan_year=i.plan.year) for i in items
                    ],
                )
            )
        views.append(
            MandateView(
                kind=source.kind,
                kind_label=str(source.get_kind_display()),
                symbol=source.symbol,
                title=source.title,
                clauses=clauses,
            )
        )
    return views


# --- partners ---------------------------------------------------------------------------


@dataclass
class PartnerRow:
    name: str
    acronym: str
    parent_unit: str
    units: list[str] = field(default_factory=list)


@dataclass
class PartnerGroupRows:
    key: str
    label: str
    organizations: list[PartnerRow] = field(default_factory=list)


def partner_directory(*, query: str = "") -> list[PartnerGroupRows]:
    """Organizations that a public plan lists as partners, grouped as the plan groups them,
    each with the sub-units the newest such plan names (1 query). A ``query`` keeps those
    whose name, acronym or parent unit has every word (search index, accents and case
    ignored; a query without words keeps none)."""
    groups = {
        key: PartnerGroupRows(key=key, label=str(label)) for key, label in OrganizationGroup.choices
    }
    seen: set[int] = set()
    links = (
        PlanPartner.objects.exclude(plan__status=PlanStatus.DRAFT)
        .select_related("organization")
        .order_by("-plan__year", "order")
    )
    if query.strip():
        links = links.filter(organization_id__in=search.ids(ORGANIZATION_SCOPE, query))
    rows: list[tuple[str, PartnerRow]] = []
    for link in links:
        organization: Organization = link.organization
        if organization.pk in seen:
            continue
        seen.add(organization.pk)
        rows.append(
            (
                organization.group,
                PartnerRow(
                    name=organization.name,
                    acronym=organization.acronym,
                    parent_unit=organization.parent_unit,
                    units=list(link.units),
                ),
            )
        )
    for group, row in sorted(rows, key=lambda item: item[1].name.casefold()):
        groups[group].organizations.append(row)
    return [g for g in groups.values() if g.organizations]
