"""Full-text search of documents: metadata (titles in every language, kind, status, lead
agency, identifier, summary, jurisdiction names in English and Spanish) and the extracted
text of the archived copy, accents and case ignored.

The index is the accent-folded ``PolicyDocument.search_text`` column, written by the
services; a query is split into at most 12 plain words, each must occur (a prefix match),
so a query is never SQL or full-text syntax. Callers pass a queryset that is already
``visible_to(actor)``: search can only narrow what the reader may see.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db.models import Q, QuerySet

from cicte.directory.countries import country_name

MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """casefold + strip accents + collapse spaces: "Estrategia Nacional — Panamá" ->
    "estrategia nacional — panama"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def terms(query: str) -> list[str]:
    return _WORD.findall(fold(query))[:MAX_TERMS]


def document_text(document: Any) -> str:
    """Everything a document is found by, folded."""
    jurisdiction = document.jurisdiction
    names = [jurisdiction.code, jurisdiction.name_en, jurisdiction.name_es]
    if jurisdiction.member_state_id is not None:
        code = jurisdiction.member_state.code
        names += [
            country_name(code, "en"),
            country_name(code, "es"),
            jurisdiction.member_state.alpha2,
        ]
    parts = [
        document.title,
        *[str(v) for v in (document.translations or {}).values()],
        document.get_kind_display(),
        document.kind,
        document.lead_agency,
        document.identifier,
        document.version_label,
        document.summary,
        *names,
        document.extracted_text,
    ]
    return " " + " ".join(_WORD.findall(fold(" ".join(p for p in parts if p)))) + " "


def matches(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """``queryset`` narrowed to documents containing every word of ``query`` (at a word
    start); no words: nothing."""
    words = terms(query)
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=" " + word)
    return queryset.filter(condition)
