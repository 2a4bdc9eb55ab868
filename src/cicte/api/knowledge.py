"""/api/knowledge/: the major-events registry, library documents, lessons learned, planning
checklists and search, as the caller may see them (``visible_to``: the same selectors as
the web pages). An item the caller may not read is a 404, the same answer as one that does
not exist. Registering an event needs a signed-in caller (a point of contact of the host
state, or the Secretariat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cicte.api.base import ERRORS, SIGNED_IN_AUTH, caller, not_found, require_signed_in
from cicte.directory.models import MemberState
from cicte.knowledge import selectors, services
from cicte.knowledge.models import ChecklistItem, Document, Lesson, MajorEvent

router = Router(tags=["knowledge"])


class KnowledgeEventOut(Schema):
    id: int
    url: str
    name: str
    type: str
    host_country: str
    cities: str
    starts_on: dt.date
    ends_on: dt.date
    expected_attendance: int | None
    status: str
    public: bool
    upcoming: bool


class KnowledgeEventIn(Schema):
    name: str = Field(..., max_length=200)
    type: str = Field(..., max_length=20)
    host_country: str = Field(..., max_length=3, description="ISO 3166 alpha-3")
    starts_on: dt.date
    ends_on: dt.date
    expected_attendance: int | None = Field(None, ge=0)
    cities: str = Field("", max_length=200)
    lead_agency: str = Field("", max_length=200)
    description: str = Field("", max_length=10_000)


class KnowledgeVersionOut(Schema):
    number: int
    name: str
    format: str
    size: int
    sha256: str
    url: str


class KnowledgeDocumentOut(Schema):
    id: int
    url: str
    title: str
    creator: str
    subject: str
    description: str
    publisher: str
    date: dt.date | None
    type: str
    identifier: str
    language: str
    coverage: str
    event: int | None
    event_type: str
    area: str
    rights: str
    tlp: str
    text_extracted: str
    versions: list[KnowledgeVersionOut]


class KnowledgeLessonOut(Schema):
    id: int
    url: str
    title: str
    observation: str
    discussion: str
    recommendation: str
    area: str
    language: str
    event: int | None
    status: str
    tlp: str
    applied: int


class KnowledgeFilters(Schema):
    q: str = Field("", max_length=200, description="words to find (accents and case ignored)")
    event_type: str = Field("", max_length=20)
    country: str = Field("", max_length=3)
    area: str = Field("", max_length=20)
    language: str = Field("", max_length=5)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)

    def selected(self) -> selectors.Filters:
        return selectors.Filters.from_query(
            {
                "q": self.q,
                "event_kind": self.event_type,
                "country": self.country,
                "area": self.area,
                "language": self.language,
            }
        )


class KnowledgeDocumentPageOut(Schema):
    total: int
    items: list[KnowledgeDocumentOut]


class KnowledgeLessonPageOut(Schema):
    total: int
    items: list[KnowledgeLessonOut]


class KnowledgeFacetValueOut(Schema):
    value: str
    label: str
    count: int


class KnowledgeFacetOut(Schema):
    name: str
    values: list[KnowledgeFacetValueOut]


class KnowledgeSearchOut(Schema):
    documents: KnowledgeDocumentPageOut
    lessons: KnowledgeLessonPageOut
    facets: list[KnowledgeFacetOut]


class KnowledgeChecklistItemOut(Schema):
    event_type: str
    position: int
    area: str
    text_en: str
    text_es: str


def _event(e: MajorEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "url": e.get_absolute_url(),
        "name": e.name,
        "type": e.kind,
        "host_country": e.host_state.code,
        "cities": e.cities,
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "expected_attendance": e.expected_attendance,
        "status": e.status,
        "public": e.is_public,
        "upcoming": e.is_upcoming,
    }


def _document(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "url": d.get_absolute_url(),
        "title": d.title,
        "creator": d.shown_creator,
        "subject": d.subject,
        "description": d.description,
        "publisher": d.publisher,
        "date": d.date,
        "type": d.kind,
        "identifier": d.identifier,
        "language": d.language,
        "coverage": d.country.code if d.country_id else "",  # type: ignore[union-attr]
        "event": d.event_id,
        "event_type": d.event_kind,
        "area": d.area,
        "rights": d.rights,
        "tlp": d.tlp,
        "text_extracted": d.extraction,
        "versions": [
            {
                "number": v.number,
                "name": v.name,
                "format": v.content_type,
                "size": v.size,
                "sha256": v.sha256,
                "url": v.get_absolute_url(),
            }
            for v in d.versions.all()
        ],
    }


def _lesson(x: Lesson) -> dict[str, Any]:
    return {
        "id": x.pk,
        "url": x.get_absolute_url(),
        "title": x.title,
        "observation": x.observation,
        "discussion": x.discussion,
        "recommendation": x.recommendation,
        "area": x.area,
        "language": x.language,
        "event": x.event_id,
        "status": x.status,
        "tlp": x.tlp,
        "applied": (x.applied_count if hasattr(x, "applied_count") else x.applications.count()),
    }


def _with_applied(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Lessons with their "applied" count in the same query (lists stay one query)."""
    return lessons.annotate(applied_count=Count("applications", distinct=True))


def _page(rows: Any, filters: KnowledgeFilters, render: Any) -> dict[str, Any]:
    end = filters.offset + filters.limit
    return {"total": rows.count(), "items": [render(r) for r in rows[filters.offset : end]]}


@router.get(
    "/knowledge/events",
    response={200: list[KnowledgeEventOut], **ERRORS},
    summary="Registry of major events",
)
def event_list(request: HttpRequest, filters: Query[KnowledgeFilters]) -> list[dict[str, Any]]:
    rows = selectors.events(caller(request), filters.selected()).order_by("-starts_on", "pk")
    return [_event(e) for e in rows[filters.offset : filters.offset + filters.limit]]


@router.get(
    "/knowledge/events/{pk}", response={200: KnowledgeEventOut, **ERRORS}, summary="One event"
)
def event_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = selectors.events_for(caller(request)).filter(pk=pk).first()
    if found is None:
        raise not_found("No such event.")
    return _event(found)


@router.post(
    "/knowledge/events",
    response={201: KnowledgeEventOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Register a major event (waits for the Secretariat's validation)",
)
def event_register(request: HttpRequest, payload: KnowledgeEventIn) -> Status[dict[str, Any]]:
    actor = require_signed_in(request)
    state = MemberState.objects.filter(code=payload.host_country.upper()).first()
    if state is None:
        raise not_found("No such member state.")
    event = services.event_register(
        actor=actor,
        name=payload.name,
        kind=payload.type,
        host_state=state,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        expected_attendance=payload.expected_attendance,
        cities=payload.cities,
        lead_agency=payload.lead_agency,
        description=payload.description,
    )
    return Status(201, _event(event))


@router.get(
    "/knowledge/documents",
    response={200: KnowledgeDocumentPageOut, **ERRORS},
    summary="Library documents",
)
def document_list(request: HttpRequest, filters: Query[KnowledgeFilters]) -> dict[str, Any]:
    rows = (
        selectors.documents(caller(request), filters.selected())
        .prefetch_related("versions")
        .order_by("-published_at", "-pk")
    )
    return _page(rows, filters, _document)


@router.get(
    "/knowledge/documents/{pk}",
    response={200: KnowledgeDocumentOut, **ERRORS},
    summary="One document",
)
def document_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = selectors.documents_for(caller(request)).filter(pk=pk).first()
    if found is None:
        raise not_found("No such document.")
    return _document(found)


@router.get(
    "/knowledge/lessons",
    response={200: KnowledgeLessonPageOut, **ERRORS},
    summary="Lessons learned",
)
def lesson_list(request: HttpRequest, filters: Query[KnowledgeFilters]) -> dict[str, Any]:
    rows = selectors.lessons(caller(request), filters.selected()).order_by("-published_at", "-pk")
    return _page(_with_applied(rows), filters, _lesson)


@router.get(
    "/knowledge/lessons/{pk}", response={200: KnowledgeLessonOut, **ERRORS}, summary="One lesson"
)
def lesson_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = selectors.lessons_for(caller(request)).filter(pk=pk).first()
    if found is None:
        raise not_found("No such lesson.")
    return _lesson(found)


@router.get(
    "/knowledge/checklists",
    response={200: list[KnowledgeChecklistItemOut], **ERRORS},
    summary="Planning checklists per event type",
)
def checklists(
    request: HttpRequest, event_type: str = Query("", max_length=20)
) -> list[dict[str, Any]]:
    rows = ChecklistItem.objects.order_by("event_kind", "position")
    if event_type:
        rows = rows.filter(event_kind=event_type)
    return [
        {
            "event_type": i.event_kind,
            "position": i.position,
            "area": i.area,
            "text_en": i.text_en,
            "text_es": i.text_es,
        }
        for i in rows
    ]


@router.get(
    "/knowledge/search",
    response={200: KnowledgeSearchOut, **ERRORS},
    summary="Search documents and lessons, with facets",
)
def search(request: HttpRequest, filters: Query[KnowledgeFilters]) -> dict[str, Any]:
    actor = caller(request)
    selected = filters.selected()
    documents = (
        selectors.documents(actor, selected)
        .prefetch_related("versions")
        .order_by("-published_at", "-pk")
    )
    lessons = _with_applied(selectors.lessons(actor, selected)).order_by("-published_at", "-pk")
    return {
        "documents": _page(documents, filters, _document),
        "lessons": _page(lessons, filters, _lesson),
        "facets": [
            {
                "name": f.name,
                "values": [{"value": v, "label": label, "count": n} for v, label, n in f.values],
            }
            for f in selectors.facets(actor, selected)
        ],
    }
