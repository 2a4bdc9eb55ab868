"""Writing and querying the index. Callers pass querysets that are already visible to the
actor: the index only ever narrows them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery

from cicte.search import text
from cicte.search.backend import SQLITE_FTS_INSERT, EntryMatch, EntryRank

M = TypeVar("M", bound=models.Model)

BATCH = 2000
MAX_TITLE = 2_000
MAX_BODY = 200_000  # characters of folded text per entry (PostgreSQL caps a tsvector at 1 MB)


_UPSERT = (
    "INSERT INTO search_entry (scope, object_id, title, body, language) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, object_id) DO UPDATE SET "
    "title = excluded.title, body = excluded.body, language = excluded.language"
)


def _values(scope: str, pk: int, fields: Mapping[str, str]) -> tuple[str, int, str, str, str]:
    return (
        scope,
        int(pk),
        text.document(fields.get("title") or "")[:MAX_TITLE],
        text.document(fields.get("body") or "")[:MAX_BODY],
        (fields.get("language") or "")[:16],
    )


def _check_scope(scope: str) -> None:
    if not scope or len(scope) > 60:
        raise ValueError(f"A search scope is '<app>.<model>' (at most 60 characters): {scope!r}")


def index(scope: str, pk: int, *, title: str = "", body: str = "", language: str = "") -> None:
    """Add or replace the entry of one object (call it inside the write's transaction)."""
    index_many(scope, [(pk, {"title": title, "body": body, "language": language})])


def index_many(scope: str, rows: Iterable[tuple[int, Mapping[str, str]]]) -> int:
    """Add or replace many entries: one ``executemany`` upsert per 2,000 rows (the same SQL
    on SQLite and PostgreSQL; on SQLite, plus one ``INSERT ... SELECT`` into FTS5 for the new
    rows and a MAX(id) read). Returns the count."""
    _check_scope(scope)
    count = 0
    iterator = iter(rows)
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        while batch := list(islice(iterator, BATCH)):
            values = {int(pk): _values(scope, pk, fields) for pk, fields in batch}
            if sqlite:
                # New rows get higher ids (AUTOINCREMENT): they go into FTS5 in one statement;
                # rows that existed are updated there by the UPDATE trigger.
                cursor.execute("SELECT COALESCE(MAX(id), 0) FROM search_entry")
                before = cursor.fetchone()[0]
            cursor.executemany(_UPSERT, list(values.values()))
            if sqlite:
                cursor.execute(SQLITE_FTS_INSERT, [before])
            count += len(values)
    return count


def unindex(scope: str, pk: int) -> None:
    """Remove the entry of one object (nothing happens when there is none)."""
    unindex_many(scope, [pk])


def unindex_many(scope: str, pks: Iterable[int]) -> int:
    from cicte.search.models import Entry

    removed = 0
    iterator = iter(pks)
    while batch := [int(pk) for pk in islice(iterator, BATCH)]:
        removed += Entry.objects.filter(scope=scope, object_id__in=batch).delete()[0]
    return removed


def clear(scope: str) -> int:
    """Remove every entry of the scope."""
    from cicte.search.models import Entry

    return Entry.objects.filter(scope=scope).delete()[0]


def hits(scope: str, query: str) -> models.QuerySet[Any]:
    """The entries of the scope matching every term of the query (none for a blank query)."""
    from cicte.search.models import Entry

    terms = text.terms(query)
    if not terms:
        return Entry.objects.none()
    return Entry.objects.filter(EntryMatch(terms), scope=scope)


def ids(scope: str, query: str) -> models.QuerySet[Any]:
    """The matching object ids as a subquery: ``Model.objects.filter(pk__in=ids(...))``."""
    return hits(scope, query).values("object_id")


def narrow(queryset: models.QuerySet[M], scope: str, query: str) -> models.QuerySet[M]:
    """Like :func:`matches` without the rank: the caller's order is kept (lists that stay in
    date order, and counts, need no rank per row). No terms: ``queryset.none()``."""
    if not text.terms(query):
        return queryset.none()
    return queryset.filter(pk__in=ids(scope, query))


def matches(queryset: models.QuerySet[M], scope: str, query: str) -> models.QuerySet[M]:
    """``queryset`` narrowed to the rows whose entry matches every term of ``query`` (each a
    prefix of a word, accents and case ignored), annotated with ``search_rank`` (higher is
    better) and ordered by it, best first. A query with no terms gives ``queryset.none()``."""
    from cicte.search.models import Entry

    terms = text.terms(query)
    if not terms:
        return queryset.none()
    rank = (
        Entry.objects.filter(scope=scope, object_id=OuterRef("pk"))
        .annotate(rank=EntryRank(terms))
        .values("rank")[:1]
    )
    return (
        queryset.filter(pk__in=ids(scope, query))
        .annotate(search_rank=Subquery(rank, output_field=models.FloatField()))
        .order_by("-search_rank", "pk")
    )
