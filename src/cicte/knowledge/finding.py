"""Full-text search of the knowledge base through the shared index (:mod:`cicte.search`):
scope ``knowledge.document`` (Dublin Core metadata and the extracted text of the latest
version) and ``knowledge.lesson`` (title, observation, discussion, recommendation), accents
and case ignored (SQLite FTS5 by default, PostgreSQL full-text search in production).

The index holds text only, never who may read it: every caller passes a queryset that is
already ``visible_to(actor)`` and the index can only narrow it (a restricted document's
extracted text is findable only by its readers).
"""

from __future__ import annotations

from typing import Any

from cicte import search
from cicte.directory.countries import country_name

DOCUMENTS = "knowledge.document"
LESSONS = "knowledge.lesson"

DOCUMENT_FIELDS = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "kind",
    "country",
    "event",
    "area",
    "extracted_text",
    "anonymous",
)
LESSON_FIELDS = ("title", "observation", "discussion", "recommendation", "area", "event")


def _country(state: Any) -> list[str]:
    if state is None:
        return []
    return [
        state.code,
        state.alpha2,
        country_name(state.code, "en"),
        country_name(state.code, "es"),
    ]


def document_entry(document: Any) -> dict[str, str]:
    event = document.event
    body = [
        document.subject,
        document.description,
        "" if document.anonymous else document.creator,
        document.publisher,
        document.get_kind_display(),
        document.get_area_display(),
        *_country(document.country),
        event.name if event is not None else "",
        document.extracted_text,
    ]
    return {
        "title": document.title,
        "body": " ".join(p for p in body if p),
        "language": document.language,
    }


def lesson_entry(lesson: Any) -> dict[str, str]:
    event = lesson.event
    body = [
        lesson.observation,
        lesson.discussion,
        lesson.recommendation,
        lesson.get_area_display(),
        event.name if event is not None else "",
        *(_country(event.host_state) if event is not None else []),
    ]
    return {
        "title": lesson.title,
        "body": " ".join(p for p in body if p),
        "language": lesson.language,
    }


def track() -> None:
    from cicte.knowledge.models import Document, Lesson

    search.track(Document, DOCUMENTS, document_entry, fields=DOCUMENT_FIELDS)
    search.track(Lesson, LESSONS, lesson_entry, fields=LESSON_FIELDS)
