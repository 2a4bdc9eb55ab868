"""Shared full-text search (see docs/architecture.md, "Search").

It stores, per (scope, object id), folded text, and answers "which ids match this query".
It never decides who may see what: callers pass a queryset that is already
``visible_to(actor)``, and :func:`matches` only narrows it.
"""

from __future__ import annotations

from cicte.search.registry import register_provider, reindex, scopes
from cicte.search.store import (
    ids,
    index,
    index_many,
    matches,
    narrow,
    unindex,
    unindex_many,
)
from cicte.search.text import fold, terms
from cicte.search.tracking import track

__all__ = [
    "fold",
    "ids",
    "index",
    "index_many",
    "matches",
    "narrow",
    "register_provider",
    "reindex",
    "scopes",
    "terms",
    "track",
    "unindex",
    "unindex_many",
]
