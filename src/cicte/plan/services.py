"""Writes to the Work Plan. Every function runs in one transaction and leaves audit records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model

from cicte.core import audit
from cicte.core.errors import ApplicationError, require
from cicte.core.types import Actor
from cicte.directory.models import Organization
from cicte.plan import indexing
from cicte.plan.models import (
    MandateClause,
    MandateSource,
    PlanMandate,
    PlanPartner,
    Program,
    Project,
    Target,
    WorkArea,
    WorkPlan,
)
from cicte.plan.parsing.partners import split_acronym
from cicte.plan.parsing.types import PlanDocument
from cicte.plan.permissions import can_import_plan


class PlanImportError(ApplicationError):
    """The document cannot be written without losing recorded work (e.g. removed targets)."""


@dataclass
class PlanImportResult:
    plan: WorkPlan
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _save(obj: Model, actor: Actor) -> None:
    audit.save(obj, actor=actor)


def _update(obj: Model, values: dict[str, Any], actor: Actor) -> bool:
    """Set changed values and save; returns True when something changed."""
    if obj.pk is None:
        changed = list(values)
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            return False
    for name in changed:
        setattr(obj, name, values[name])
    _save(obj, actor)
    return True


def _delete_missing(objects: Iterable[Model], keep: set[int], actor: Actor) -> int:
    removed = 0
    for obj in objects:
        if obj.pk not in keep:
            audit.delete(obj, actor=actor)
            removed += 1
    return removed


@transaction.atomic
def plan_import(*, document: PlanDocument, actor: Actor) -> PlanImportResult:
    """Create the plan, or update it in place when a plan with the same symbol exists.

    Items are matched by their stable ``code`` (work areas by number, mandate sources by
    normalized symbol, partners by name); items no longer in the document are removed unless
    events count toward them, in which case nothing is written and PlanImportError is raised.
    Administrators and Secretariat staff only (``SYSTEM`` from the command line).
    """
    require(can_import_plan(actor), "Only Secretariat staff import Work Plans.")
    plan = WorkPlan.objects.filter(symbol=document.symbol).first()
    created = plan is None
    plan = plan or WorkPlan(symbol=document.symbol)
    _update(
        plan,
        {
            "series": document.series,
            "title": document.title,
            "year": document.year,
            "session": document.session,
            "session_date": document.session_date,
            "place": document.place,
            "approval_date": document.approval_date,
            "issue_date": document.issue_date,
            "original_language": document.original_language,
            "preamble": document.preamble,
        },
        actor,
    )
    result = PlanImportResult(plan=plan, created=created)
    programs_by_code, projects_by_code = _import_structure(plan, document, actor, result)
    _import_mandates(plan, document, actor, programs_by_code, projects_by_code)
    _import_partners(plan, document, actor)
    indexing.index_plan_targets(plan)  # project and program titles may have changed
    result.counts = {
        "work_areas": plan.work_areas.count(),
        "programs": plan.programs.count(),
        "projects": plan.projects.count(),
        "targets": plan.targets.count(),
        "numeric_targets": plan.targets.filter(quantity__isnull=False).count(),
        "mandate_sources": plan.mandate_sources.count(),
        "partners": plan.partners.count(),
    }
    return result


def _import_structure(
    plan: WorkPlan, document: PlanDocument, actor: Actor, result: PlanImportResult
) -> tuple[dict[str, Program], dict[str, Project]]:
    areas = {wa.number: wa for wa in plan.work_areas.all()}
    programs = {p.code: p for p in plan.programs.all()}
    projects = {p.code: p for p in plan.projects.all()}
    targets = {t.code: t for t in plan.targets.all()}
    keep_areas: set[int] = set()
    keep_programs: set[int] = set()
    keep_projects: set[int] = set()
    keep_targets: set[int] = set()
    position = 0
    for wa_data in document.work_areas:
        area = areas.get(wa_data.number) or WorkArea(plan=plan, number=wa_data.number)
        _update(area, {"title": wa_data.title}, actor)
        keep_areas.add(area.pk)
        for program_data in wa_data.programs:
            position += 1
            program = programs.get(program_data.code) or Program(plan=plan, code=program_data.code)
            _update(
                program,
                {
                    "work_area_id": area.pk,
                    "letter": program_data.letter or "",
                    "title": program_data.title,
                    "position": position,
                },
                actor,
            )
            programs[program.code] = program
            keep_programs.add(program.pk)
            for project_data in program_data.projects:
                position += 1
                project = projects.get(project_data.code) or Project(
                    plan=plan, code=project_data.code
                )
                _update(
                    project,
                    {
                        "program_id": program.pk,
                        "number": project_data.number,
                        "title": project_data.title,
                        "position": position,
                    },
                    actor,
                )
                projects[project.code] = project
                keep_projects.add(project.pk)
                for target_data in project_data.targets:
                    position += 1
                    target = targets.get(target_data.code) or Target(
                        plan=plan, code=target_data.code
                    )
                    _update(
                        target,
                        {
                            "project_id": project.pk,
                            "quantity": target_data.quantity,
                            "unit": target_data.unit,
                            "text": target_data.text,
                            "funding": target_data.funding,
                            "position": position,
                        },
                        actor,
                    )
                    keep_targets.add(target.pk)
    stale_targets = [t for t in targets.values() if t.pk not in keep_targets]
    in_use = list(
        Target.objects.filter(pk__in=[t.pk for t in stale_targets], contributions__isnull=False)
        .values_list("code", flat=True)
        .distinct()
    )
    if in_use:
        raise PlanImportError(
            "targets_in_use",
            "The document no longer has target(s) "
            + ", ".join(sorted(in_use))
            + ", but events count toward them; reassign those events first.",
        )
    _delete_missing(stale_targets, keep_targets, actor)
    _delete_missing(list(projects.values()), keep_projects, actor)
    _delete_missing(list(programs.values()), keep_programs, actor)
    _delete_missing(list(areas.values()), keep_areas, actor)
    live_programs = {code: p for code, p in programs.items() if p.pk in keep_programs}
    live_projects = {code: p for code, p in projects.items() if p.pk in keep_projects}
    return live_programs, live_projects


def _import_mandates(
    plan: WorkPlan,
    document: PlanDocument,
    actor: Actor,
    programs: dict[str, Program],
    projects: dict[str, Project],
) -> None:
    keep_sources: set[int] = set()
    for order, source_data in enumerate(document.mandates):
        source = MandateSource.objects.filter(symbol=source_data.symbol).first() or MandateSource(
            symbol=source_data.symbol
        )
        _update(source, {"kind": source_data.kind, "title": source_data.title}, actor)
        keep_sources.add(source.pk)
        PlanMandate.objects.update_or_create(plan=plan, source=source, defaults={"order": order})
        existing = list(source.clauses.all())
        keep_clauses: set[int] = set()
        for clause_order, clause_data in enumerate(source_data.clauses):
            clause = next(
                (
                    c
                    for c in existing
                    if c.paragraph == clause_data.paragraph and c.pk not in keep_clauses
                ),
                None,
            ) or MandateClause(source=source, paragraph=clause_data.paragraph)
            _update(
                clause,
                {
                    "text": clause_data.text,
                    "order": clause_order,
                    "subparagraphs": [
                        {"letter": s.letter, "text": s.text, "relevant": s.relevant}
                        for s in clause_data.subparagraphs
                    ],
                },
                actor,
            )
            keep_clauses.add(clause.pk)
            _set_links(clause, plan, clause_data.implemented_by, programs, projects)
        _delete_missing(existing, keep_clauses, actor)
    PlanMandate.objects.filter(plan=plan).exclude(source_id__in=keep_sources).delete()


def _set_links(
    clause: MandateClause,
    plan: WorkPlan,
    codes: list[str],
    programs: dict[str, Program],
    projects: dict[str, Project],
) -> None:
    """Replace this plan's links of the clause; links to other plans' items are kept."""
    other_programs = [p for p in clause.programs.all() if p.plan_id != plan.pk]
    other_projects = [p for p in clause.projects.all() if p.plan_id != plan.pk]
    clause.programs.set(other_programs + [programs[c] for c in codes if c in programs])
    clause.projects.set(other_projects + [projects[c] for c in codes if c in projects])


def _import_partners(plan: WorkPlan, document: PlanDocument, actor: Actor) -> None:
    unit_names = {split_acronym(u)[0] for p in document.partners for u in p.units}
    names = {p.name for p in document.partners} | unit_names
    known = {o.name: o for o in Organization.objects.filter(name__in=names)}
    keep: set[int] = set()
    for order, partner in enumerate(document.partners):
        organization = known.get(partner.name) or Organization(name=partner.name)
        _update(
            organization,
            {
                "acronym": partner.acronym or "",
                "group": partner.group,
                "parent_unit": partner.parent or "",
            },
            actor,
        )
        keep.add(organization.pk)
        PlanPartner.objects.update_or_create(
            plan=plan,
            organization=organization,
            defaults={"order": order, "units": list(partner.units)},
        )
        for unit in partner.units:
            name, acronym = split_acronym(unit)
            unit_organization = known.setdefault(name, Organization(name=name))
            _update(
                unit_organization,
                {"acronym": acronym or "", "group": partner.group, "parent_unit": partner.name},
                actor,
            )
    PlanPartner.objects.filter(plan=plan).exclude(organization_id__in=keep).delete()
