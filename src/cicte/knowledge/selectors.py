"""Every read of the knowledge base, for one reader: lists with filters and full-text
search, facets with counts, autocomplete, related items, backlinks, the feed and the
digest. Each starts from ``visible_to(actor)``, so no path can show what another does not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cicte.knowledge import finding
from cicte.knowledge.models import (
    Area,
    Document,
    EventKind,
    Language,
    Lesson,
    LessonStatus,
    MajorEvent,
)

MAX_QUERY = 200


@dataclass(frozen=True)
class Filters:
    q: str = ""
    event_kind: str = ""
    country: str = ""  # alpha-3
    area: str = ""
    language: str = ""
    kind: str = ""
    event: int | None = None

    @classmethod
    def from_query(cls, get: Any) -> Filters:
        def pick(name: str, allowed: Any) -> str:
            value = str(get.get(name, "") or "")
            return value if value in allowed else ""

        event = str(get.get("event", "") or "")
        country = str(get.get("country", "") or "").upper()
        return cls(
            q=str(get.get("q", "") or "")[:MAX_QUERY],
            event_kind=pick("event_kind", EventKind.values),
            country=country if country.isalpha() and len(country) == 3 else "",
            area=pick("area", Area.values),
            language=pick("language", Language.values),
            kind=str(get.get("kind", "") or "")[:20],
            event=int(event) if event.isdigit() else None,
        )


def events_for(actor: Any) -> QuerySet[MajorEvent]:
    return MajorEvent.objects.visible_to(actor).select_related("host_state")


def events(actor: Any, filters: Filters, *, when: str = "") -> QuerySet[MajorEvent]:
    rows = events_for(actor)
    if filters.event_kind:
        rows = rows.filter(kind=filters.event_kind)
    if filters.country:
        rows = rows.filter(host_state__code=filters.country)
    today = timezone.localdate()
    if when == "upcoming":
        rows = rows.filter(ends_on__gte=today)
    elif when == "past":
        rows = rows.filter(ends_on__lt=today)
    return rows


def documents_for(actor: Any) -> QuerySet[Document]:
    return Document.objects.visible_to(actor).select_related("country", "event")


def lessons_for(actor: Any) -> QuerySet[Lesson]:
    return Lesson.objects.visible_to(actor).select_related("event__host_state")


def _filter_documents(rows: QuerySet[Document], filters: Filters) -> QuerySet[Document]:
    if filters.event_kind:
        rows = rows.filter(event_kind=filters.event_kind)
    if filters.country:
        rows = rows.filter(country__code=filters.country)
    if filters.area:
        rows = rows.filter(area=filters.area)
    if filters.language:
        rows = rows.filter(language=filters.language)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.event:
        rows = rows.filter(event_id=filters.event)
    if filters.q.strip():
        rows = finding_matches(rows, finding.DOCUMENTS, filters.q)
    return rows


def _filter_lessons(rows: QuerySet[Lesson], filters: Filters) -> QuerySet[Lesson]:
    if filters.event_kind:
        rows = rows.filter(event__kind=filters.event_kind)
    if filters.country:
        rows = rows.filter(event__host_state__code=filters.country)
    if filters.area:
        rows = rows.filter(area=filters.area)
    if filters.language:
        rows = rows.filter(language=filters.language)
    if filters.event:
        rows = rows.filter(event_id=filters.event)
    if filters.q.strip():
        rows = finding_matches(rows, finding.LESSONS, filters.q)
    return rows


def finding_matches(rows: QuerySet[Any], scope: str, query: str) -> QuerySet[Any]:
    from cicte import search

    return search.narrow(rows, scope, query)


def documents(actor: Any, filters: Filters) -> QuerySet[Document]:
    return _filter_documents(documents_for(actor), filters)


def lessons(actor: Any, filters: Filters, *, published_only: bool = True) -> QuerySet[Lesson]:
    rows = lessons_for(actor)
    if published_only:
        rows = rows.filter(status=LessonStatus.PUBLISHED)
    return _filter_lessons(rows, filters)


@dataclass
class Facet:
    name: str
    label: str
    values: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)


def facets(actor: Any, filters: Filters) -> list[Facet]:
    """Counts per event type, country, area and language of the library documents the
    reader may see (under the other filters and the query)."""
    rows = documents(actor, filters)
    out = []
    kinds = dict(EventKind.choices)
    out.append(
        Facet(
            "event_kind",
            "event_kind",
            [
                (v, str(kinds.get(v, v)), n)
                for v, n in rows.exclude(event_kind="")
                .values_list("event_kind")
                .annotate(n=Count("pk"))
                .order_by("event_kind")
            ],
        )
    )
    out.append(
        Facet(
            "country",
            "country",
            [
                (code, code, n)
                for code, n in rows.exclude(country=None)
                .values_list("country__code")
                .annotate(n=Count("pk"))
                .order_by("country__code")
            ],
        )
    )
    areas = dict(Area.choices)
    out.append(
        Facet(
            "area",
            "area",
            [
                (v, str(areas.get(v, v)), n)
                for v, n in rows.values_list("area").annotate(n=Count("pk")).order_by("area")
            ],
        )
    )
    languages = dict(Language.choices)
    out.append(
        Facet(
            "language",
            "language",
            [
                (v, str(languages.get(v, v)), n)
                for v, n in rows.values_list("language")
                .annotate(n=Count("pk"))
                .order_by("language")
            ],
        )
    )
    return out


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    kind: str


def autocomplete(actor: Any, query: str, *, limit: int = 10) -> list[Suggestion]:
    filters = Filters(q=query[:MAX_QUERY])
    found = [
        Suggestion(d.title, d.get_absolute_url(), "document")
        for d in documents(actor, filters).select_related(None).only("pk", "title")[:limit]
    ]
    found += [
        Suggestion(lesson.title, lesson.get_absolute_url(), "lesson")
        for lesson in lessons(actor, filters).select_related(None).only("pk", "title")[:limit]
    ]
    return found[:limit]


def related_documents(actor: Any, document: Document, *, limit: int = 10) -> list[Document]:
    """Other documents of the same event, or of the same area and country."""
    same = Q(area=document.area, country_id=document.country_id)
    if document.event_id:
        same |= Q(event_id=document.event_id)
    rows = documents_for(actor).filter(same).exclude(pk=document.pk).order_by("-published_at")
    return list(rows[:limit])


@dataclass
class Backlinks:
    documents: list[Document]
    lessons: list[Lesson]


def backlinks(actor: Any, document: Document) -> Backlinks:
    """What refers to ``document`` ("What links here"): documents citing it and lessons
    drawn from it, among those the reader may see."""
    citing = documents_for(actor).filter(relations=document).order_by("-published_at")
    drawn = lessons_for(actor).filter(source_document=document).order_by("-pk")
    return Backlinks(list(citing[:20]), list(drawn[:20]))


def related_lessons(actor: Any, lesson: Lesson, *, limit: int = 5) -> list[Lesson]:
    same = Q(area=lesson.area)
    if lesson.event_id:
        same |= Q(event_id=lesson.event_id)
    rows = (
        lessons_for(actor)
        .filter(same, status=LessonStatus.PUBLISHED)
        .exclude(pk=lesson.pk)
        .order_by("-published_at")
    )
    return list(rows[:limit])


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str
    kind: str
    tlp: str
    published: dt.datetime
    description: str


def feed_items(actor: Any, *, since: dt.datetime | None = None, limit: int = 50) -> list[FeedItem]:
    """New published documents and lessons the reader may see, newest first."""
    docs = documents(actor, Filters())
    les = lessons(actor, Filters())
    if since is not None:
        docs = docs.filter(published_at__gt=since)
        les = les.filter(published_at__gt=since)
    items = [
        FeedItem(d.title, d.get_absolute_url(), "document", d.tlp, d.published_at, d.description)
        for d in docs.order_by("-published_at")[:limit]
    ] + [
        FeedItem(
            lesson.title,
            lesson.get_absolute_url(),
            "lesson",
            lesson.tlp,
            lesson.published_at or lesson.created_at,
            lesson.recommendation,
        )
        for lesson in les.order_by("-published_at")[:limit]
    ]
    items.sort(key=lambda i: i.published, reverse=True)
    return items[:limit]


def digest_items(user: Any, subscriptions: list[Any], since: dt.datetime) -> list[FeedItem]:
    """The feed items since ``since`` that match one of the reader's subscriptions."""
    wanted = Q(pk__in=[])
    wanted_lessons = Q(pk__in=[])
    for s in subscriptions:
        condition = Q()
        lesson_condition = Q()
        if s.event_kind:
            condition &= Q(event_kind=s.event_kind)
            lesson_condition &= Q(event__kind=s.event_kind)
        if s.country_id:
            condition &= Q(country_id=s.country_id)
            lesson_condition &= Q(event__host_state_id=s.country_id)
        wanted |= condition
        wanted_lessons |= lesson_condition
    docs = documents(user, Filters()).filter(wanted, published_at__gt=since)
    les = lessons(user, Filters()).filter(wanted_lessons, published_at__gt=since)
    items = [
        FeedItem(d.title, d.get_absolute_url(), "document", d.tlp, d.published_at, "")
        for d in docs.order_by("-published_at")[:100]
    ] + [
        FeedItem(x.title, x.get_absolute_url(), "lesson", x.tlp, x.published_at or x.created_at, "")
        for x in les.order_by("-published_at")[:100]
    ]
    items.sort(key=lambda i: i.published, reverse=True)
    return items


@dataclass(frozen=True)
class Progress:
    total: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def checklist_progress(event: MajorEvent) -> Progress:
    counts = event.tasks.aggregate(
        total=Count("pk", filter=~Q(status="not_applicable")),
        done=Count("pk", filter=Q(status="done")),
    )
    return Progress(counts["total"] or 0, counts["done"] or 0)
