"""Full-text search of documents through the shared index (:mod:`cicte.search`, scope
``strategies.document``): metadata (titles in every language, kind, status, lead agency,
identifier, summary, jurisdiction code and names in English and Spanish) and the extracted
text of the archived copy, accents and case ignored (SQLite FTS5 by default, PostgreSQL
full-text search in production).

The entry follows every save of a document (``search.track``, wired in ``apps.py``);
``cicte reindex strategies.document`` rebuilds it. Callers pass a queryset that is already
``visible_to(actor)``: search can only narrow what the reader may see.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from cicte import search
from cicte.directory.countries import country_name

SCOPE = "strategies.document"
#: The fields whose change re-indexes a document (saves naming none of them are skipped).
FIELDS = (
    "title",
    "translations",
    "kind",
    "status",
    "lead_agency",
    "identifier",
    "version_label",
    "summary",
    "extracted_text",
    "jurisdiction",
)


def document_entry(document: Any) -> dict[str, str]:
    """The index entry of a document: its titles, and everything else it is found by."""
    jurisdiction = document.jurisdiction
    names = [jurisdiction.code, jurisdiction.name_en, jurisdiction.name_es]
    if jurisdiction.member_state_id is not None:
        code = jurisdiction.member_state.code
        names += [
            country_name(code, "en"),
            country_name(code, "es"),
            jurisdiction.member_state.alpha2,
        ]
    titles = [document.title, *[str(v) for v in (document.translations or {}).values()]]
    body = [
        document.get_kind_display(),
        document.kind,
        document.get_status_display(),
        document.lead_agency,
        document.identifier,
        document.version_label,
        document.summary,
        *names,
        document.extracted_text,
    ]
    return {
        "title": " ".join(t for t in titles if t),
        "body": " ".join(p for p in body if p),
        "language": document.language,
    }


def rows() -> Iterator[tuple[int, Mapping[str, str]]]:
    """Every document, for ``cicte reindex``."""
    from cicte.strategies.models import PolicyDocument

    documents = PolicyDocument.objects.select_related("jurisdiction__member_state").order_by("pk")
    for document in documents.iterator(chunk_size=500):
        yield document.pk, document_entry(document)


def matches(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """``queryset`` narrowed to documents matching every word of ``query`` (a prefix of a
    word, accents and case ignored), best first; no words: nothing."""
    return search.matches(queryset, SCOPE, query)


def track() -> None:
    from cicte.strategies.models import PolicyDocument

    search.track(PolicyDocument, SCOPE, document_entry, fields=FIELDS, rows=rows)
