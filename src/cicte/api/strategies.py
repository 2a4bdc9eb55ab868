"""/api/strategies/: jurisdictions, their documents and maturity assessments as the caller
may see them (``visible_to``); an entry the caller may not read is a 404, the same answer as
one that does not exist. Submitting needs a signed-in caller (a point of contact for their
own state, or the Secretariat); the Secretariat verifies and publishes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cicte.api.base import ERRORS, SIGNED_IN_AUTH, caller, not_found, require_signed_in
from cicte.strategies import exports, selectors, services

router = Router(tags=["strategies"])


class ArchiveOut(Schema):
    name: str
    content_type: str
    size: int | None
    sha256: str
    url: str


class DocumentOut(Schema):
    id: int
    url: str
    jurisdiction: str
    kind: str
    title: str
    language: str
    translations: dict[str, str]
    status: str
    in_progress: bool
    tlp: str
    adopted_on: str | None
    in_force_on: str | None
    review_on: str | None
    lead_agency: str
    identifier: str
    version: str
    summary: str
    official_url: str
    dimensions: list[str]
    pillars: list[str]
    supersedes: int | None
    archive: ArchiveOut | None


class DocumentPageOut(Schema):
    total: int
    items: list[DocumentOut]


class DocumentFilters(Schema):
    q: str = Field("", max_length=200, description="words to find (accents and case ignored)")
    jurisdiction: str = Field("", max_length=20)
    kind: str = Field("", max_length=20)
    status: str = Field("", max_length=20)
    year: int | None = Field(None, ge=1900, le=2100)
    language: str = Field("", max_length=2)
    dimension: str = Field("", max_length=4)
    pillar: str = Field("", max_length=20)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class StrategyRatingOut(Schema):
    dimension: str
    factor: str
    stage: int | None
    stage_id: str | None
    evidence: str
    rated_on: str | None


class AssessmentOut(Schema):
    id: int
    jurisdiction: str
    model: str
    assessed_on: str
    assessor: str
    consent: bool
    tlp: str
    ratings: list[StrategyRatingOut]


class JurisdictionOut(Schema):
    code: str
    kind: str
    name: str
    iso_3166_alpha2: str | None
    url: str


class ProfileOut(JurisdictionOut):
    documents: list[DocumentOut]
    assessments: list[AssessmentOut]


class DocumentIn(Schema):
    jurisdiction: str
    kind: str
    title: str
    status: str
    language: str = "en"
    translations: dict[str, str] = {}
    adopted_on: dt.date | None = None
    in_force_on: dt.date | None = None
    review_on: dt.date | None = None
    lead_agency: str = Field("", max_length=300)
    identifier: str = Field("", max_length=200)
    version: str = Field("", max_length=60)
    summary: str = Field("", max_length=20_000)
    official_url: str = Field("", max_length=500)
    dimensions: list[str] = []
    pillars: list[str] = []
    supersedes: int | None = None


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@router.get(
    "/strategies/jurisdictions",
    response={200: list[JurisdictionOut], **ERRORS},
    summary="Jurisdictions",
)
def jurisdiction_list(request: HttpRequest) -> list[dict[str, Any]]:
    base = _base(request)
    return [
        {
            "code": j.code,
            "kind": j.kind,
            "name": j.name,
            "iso_3166_alpha2": j.iso_alpha2 or None,
            "url": base + j.get_absolute_url(),
        }
        for j in selectors.jurisdictions()
    ]


@router.get(
    "/strategies/jurisdictions/{code}",
    response={200: ProfileOut, **ERRORS},
    summary="A jurisdiction's profile (its documents and assessment)",
)
def jurisdiction_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    jurisdiction = selectors.jurisdiction_get(code)
    if jurisdiction is None:
        raise not_found("No such jurisdiction.")
    return exports.jurisdiction_json(
        selectors.profile(caller(request), jurisdiction), _base(request)
    )


@router.get("/strategies/documents", response={200: DocumentPageOut, **ERRORS}, summary="Documents")
def document_list(request: HttpRequest, filters: Query[DocumentFilters]) -> dict[str, Any]:
    """Documents the caller may read, filtered; ``q``: words to find in the metadata and the
    archived copy's text (accents and case ignored; any other character is ignored)."""
    documents = selectors.search(
        caller(request),
        selectors.Filters(
            q=filters.q,
            kind=filters.kind,
            status=filters.status,
            year=filters.year,
            language=filters.language,
            dimension=filters.dimension,
            pillar=filters.pillar,
            jurisdiction=filters.jurisdiction,
        ),
    )
    base = _base(request)
    end = filters.offset + filters.limit
    return {
        "total": documents.count(),
        "items": [exports.document_json(d, base) for d in documents[filters.offset : end]],
    }


@router.get(
    "/strategies/documents/{pk}", response={200: DocumentOut, **ERRORS}, summary="One document"
)
def document_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = selectors.document_for(caller(request), pk)
    if found is None:
        raise not_found("No such document.")
    return exports.document_json(found, _base(request))


@router.get(
    "/strategies/assessments/{pk}",
    response={200: AssessmentOut, **ERRORS},
    summary="One maturity assessment",
)
def assessment_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = selectors.assessment_for(caller(request), pk)
    if found is None:
        raise not_found("No such assessment.")
    return exports.assessment_json(selectors.assessment_view(found))


@router.post(
    "/strategies/documents",
    response={201: DocumentOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Submit an entry for verification",
)
def document_submit(request: HttpRequest, payload: DocumentIn) -> Status[dict[str, Any]]:
    actor = require_signed_in(request)
    jurisdiction = selectors.jurisdiction_get(payload.jurisdiction)
    if jurisdiction is None:
        raise not_found("No such jurisdiction.")
    supersedes = None
    if payload.supersedes is not None:
        supersedes = selectors.document_for(actor, payload.supersedes)
        if supersedes is None:
            raise not_found("No such document to supersede.")
    document = services.document_submit(
        actor=actor,
        jurisdiction=jurisdiction,
        kind=payload.kind,
        title=payload.title,
        status=payload.status,
        language=payload.language,
        translations=payload.translations,
        adopted_on=payload.adopted_on,
        in_force_on=payload.in_force_on,
        review_on=payload.review_on,
        lead_agency=payload.lead_agency,
        identifier=payload.identifier,
        version_label=payload.version,
        summary=payload.summary,
        official_url=payload.official_url,
        dimensions=payload.dimensions,
        pillars=payload.pillars,
        supersedes=supersedes,
    )
    return Status(201, exports.document_json(document, _base(request)))
