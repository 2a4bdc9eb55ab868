"""Reads of the strategies database. Every one starts from ``visible_to(actor)``: pages,
search, the API, the exports, compare, the map and the profile chart read only here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from cicte.strategies import charts, finding, maturity
from cicte.strategies.models import (
    DocumentKind,
    DocumentStatus,
    FactorRating,
    Jurisdiction,
    JurisdictionKind,
    MaturityAssessment,
    Milestone,
    PolicyDocument,
    Review,
    SupportEngagement,
)

MAX_COMPARE = 3


def documents_for(actor: Any) -> QuerySet[PolicyDocument]:
    return PolicyDocument.objects.visible_to(actor).select_related(
        "jurisdiction__member_state", "supersedes"
    )


def document_for(actor: Any, pk: int) -> PolicyDocument | None:
    return documents_for(actor).filter(pk=pk).first()


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    status: str = ""
    year: int | None = None
    language: str = ""
    dimension: str = ""
    pillar: str = ""
    jurisdiction: str = ""


def search(actor: Any, filters: Filters) -> QuerySet[PolicyDocument]:
    """Visible documents narrowed by the filters and the words of ``q``."""
    documents = documents_for(actor)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.year:
        documents = documents.filter(adopted_on__year=filters.year)
    if filters.language:
        documents = documents.filter(language=filters.language)
    if filters.dimension:
        documents = documents.filter(dimensions__contains=f",{filters.dimension},")
    if filters.pillar:
        documents = documents.filter(pillars__contains=f",{filters.pillar},")
    if filters.jurisdiction:
        documents = documents.filter(jurisdiction__code=filters.jurisdiction.upper())
    if filters.q.strip():
        documents = finding.matches(documents, filters.q)
    return documents


def years(actor: Any) -> list[int]:
    days = documents_for(actor).exclude(adopted_on=None).values_list("adopted_on", flat=True)
    return sorted({d.year for d in days if d is not None}, reverse=True)


def jurisdictions() -> list[Jurisdiction]:
    """Every jurisdiction (public reference data), states first, by name."""
    rows = list(Jurisdiction.objects.select_related("member_state"))
    return sorted(rows, key=lambda j: (j.kind != JurisdictionKind.STATE, j.name.casefold()))


def jurisdiction_get(code: str) -> Jurisdiction | None:
    return (
        Jurisdiction.objects.select_related("member_state")
        .filter(code=(code or "").upper())
        .first()
    )


def assessments_for(actor: Any) -> QuerySet[MaturityAssessment]:
    return (
        MaturityAssessment.objects.visible_to(actor)
        .select_related("jurisdiction__member_state")
        .prefetch_related(Prefetch("ratings", queryset=FactorRating.objects.order_by("factor")))
    )


def assessment_for(actor: Any, pk: int) -> MaturityAssessment | None:
    return assessments_for(actor).filter(pk=pk).first()


def engagements_for(actor: Any) -> QuerySet[SupportEngagement]:
    return (
        SupportEngagement.objects.visible_to(actor)
        .select_related("jurisdiction__member_state", "request", "document")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.select_related("event")), "experts"
        )
    )


@dataclass
class AssessmentView:
    assessment: MaturityAssessment
    chart: charts.MaturityChart
    rows: list[dict[str, Any]]  # the table alternative and the exports


def assessment_view(assessment: MaturityAssessment, language: str | None = None) -> AssessmentView:
    language = (language or get_language() or "en")[:2]
    model = maturity.model()
    ratings = {r.factor: r for r in assessment.ratings.all()}
    rows = []
    for dimension in model.dimensions:
        for factor in dimension.factors:
            rating = ratings.get(factor.id)
            rows.append(
                {
                    "dimension": dimension.id,
                    "dimension_title": dimension.label(language),
                    "factor": factor.id,
                    "factor_title": factor.label(language),
                    "stage": rating.stage if rating else None,
                    "stage_label": model.stage(rating.stage).label(language) if rating else "",
                    "evidence": rating.evidence if rating else "",
                    "rated_on": rating.rated_on if rating else None,
                }
            )
    chart = charts.maturity_chart({k: r.stage for k, r in ratings.items()}, language=language)
    return AssessmentView(assessment=assessment, chart=chart, rows=rows)


@dataclass
class Profile:
    jurisdiction: Jurisdiction
    documents: list[PolicyDocument]
    assessment: AssessmentView | None
    assessments: list[MaturityAssessment]
    engagements: list[SupportEngagement] = field(default_factory=list)

    @property
    def strategy(self) -> PolicyDocument | None:
        """The current national strategy: adopted/in force first, then in progress."""
        order = [DocumentStatus.IN_FORCE, DocumentStatus.ADOPTED, DocumentStatus.IN_PROGRESS]
        for status in order:
            for document in self.documents:
                if document.kind == DocumentKind.STRATEGY and document.status == status:
                    return document
        return None


def profile(actor: Any, jurisdiction: Jurisdiction) -> Profile:
    documents = list(documents_for(actor).filter(jurisdiction=jurisdiction))
    assessments = list(assessments_for(actor).filter(jurisdiction=jurisdiction))
    latest = assessments[0] if assessments else None
    return Profile(
        jurisdiction=jurisdiction,
        documents=documents,
        assessment=assessment_view(latest) if latest else None,
        assessments=assessments,
        engagements=list(engagements_for(actor).filter(jurisdiction=jurisdiction)),
    )


def compare(actor: Any, codes: list[str]) -> list[Profile]:
    """Up to three jurisdictions side by side (unknown codes are left out)."""
    chosen: list[Jurisdiction] = []
    for code in codes:
        found = jurisdiction_get(code)
        if found is not None and found not in chosen:
            chosen.append(found)
        if len(chosen) == MAX_COMPARE:
            break
    return [profile(actor, j) for j in chosen]


#: Tile-map categories, best first: (key, colour).
MAP_CATEGORIES = ("adopted", "in_progress", "other", "none")


def map_categories(actor: Any) -> dict[str, str]:
    """Member state code -> the map category of what the reader may see of it."""
    result: dict[str, str] = {}
    rows = documents_for(actor).values_list("jurisdiction__member_state__code", "kind", "status")
    rank = {key: index for index, key in enumerate(MAP_CATEGORIES)}
    for code, kind, status in rows:
        if code is None:
            continue
        if kind == DocumentKind.STRATEGY and status in (
            DocumentStatus.ADOPTED,
            DocumentStatus.IN_FORCE,
        ):
            category = "adopted"
        elif kind == DocumentKind.STRATEGY and status in (
            DocumentStatus.IN_PROGRESS,
            DocumentStatus.DRAFT,
        ):
            category = "in_progress"
        else:
            category = "other"
        if rank[category] < rank[result.get(code, "none")]:
            result[code] = category
    return result


def review_queue(actor: Any) -> QuerySet[PolicyDocument]:
    return (
        documents_for(actor)
        .filter(review__in=[Review.SUBMITTED, Review.RETURNED])
        .order_by("submitted_at")
    )


def supersession_chain(actor: Any, document: PolicyDocument) -> list[PolicyDocument]:
    """The document's visible predecessors, newest first."""
    chain = []
    seen = {document.pk}
    current = document.supersedes_id
    while current and current not in seen:
        seen.add(current)
        found = document_for(actor, current)
        if found is None:
            break
        chain.append(found)
        current = found.supersedes_id
    return chain


def successors(actor: Any, document: PolicyDocument) -> list[PolicyDocument]:
    return list(documents_for(actor).filter(supersedes=document))


@dataclass
class MilestoneLine:
    jurisdiction: str
    engagement: str
    phase: str
    event_title: str
    start_date: dt.date
    end_date: dt.date
    status: str


def milestones_in(start: dt.date, end: dt.date, plan_id: int | None = None) -> list[MilestoneLine]:
    """Milestones whose event ended in the period (for the semi-annual report)."""
    rows = Milestone.objects.select_related(
        "engagement__jurisdiction__member_state", "event"
    ).filter(event__end_date__gte=start, event__end_date__lte=end)
    if plan_id is not None:
        rows = rows.filter(event__plan_id=plan_id)
    return [
        MilestoneLine(
            jurisdiction=m.engagement.jurisdiction.name,
            engagement=m.engagement.title,
            phase=m.get_phase_display(),
            event_title=m.event.title,
            start_date=m.event.start_date,
            end_date=m.event.end_date,
            status=m.event.get_status_display(),
        )
        for m in rows.order_by("event__end_date", "id")
    ]


@dataclass
class Version:
    when: dt.datetime
    who: str
    reason: str
    kind: str
    changes: list[tuple[str, str, str]]


def document_history(document: PolicyDocument) -> list[Version]:
    """Every recorded version of a document, newest first, with the fields it changed."""
    records = list(document.history.select_related("history_user").order_by("-history_id"))
    versions = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            for change in record.diff_against(older).changes:
                changes.append((change.field, str(change.old)[:200], str(change.new)[:200]))
        versions.append(
            Version(
                when=record.history_date,
                who=record.history_user.get_username() if record.history_user else "",
                reason=record.history_change_reason or "",
                kind=record.get_history_type_display(),
                changes=changes,
            )
        )
    return versions
