"""The two full-text backends behind :func:`cicte.search.matches`.

SQLite: an FTS5 table over the folded text (``unicode61 remove_diacritics 2``); PostgreSQL:
``to_tsvector('simple', ...)`` of the folded text with a GIN expression index. The SQL that
builds them (used by the migrations) and the SQL that queries them live here together, so the
index expression and the query expression cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Expression, F, FloatField

FTS_TABLE = "search_entry_fts"

# No INSERT trigger: FTS5 flushes its pending terms at every statement savepoint, so a
# trigger per inserted row is five times slower than one INSERT ... SELECT per batch, which
# is what store.index_many runs after its upsert (SQLITE_FTS_INSERT). Updates and deletes
# (single rows, mostly) keep the external-content table in step through triggers.
SQLITE_FTS_INSERT = (
    "INSERT INTO search_entry_fts(rowid, title, body) "
    "SELECT id, title, body FROM search_entry WHERE id > %s"
)
SQLITE_DROP_INSERT_TRIGGER = "DROP TRIGGER IF EXISTS search_entry_ai"
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5(title, body, content='search_entry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_entry_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    # Rows already in the table (none on a fresh database).
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

# The document as PostgreSQL indexes it; the query below repeats it exactly (the planner
# matches an expression index by its expression).
_PG_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, {title}), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, {body}), 'B'))"
)
POSTGRESQL_CREATE = [
    "CREATE INDEX search_entry_document ON search_entry USING GIN ("
    + _PG_VECTOR.format(title="title", body="body")
    + ")",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS search_entry_document"]


# 0003: a stored tsvector column with the GIN index on it. With the expression index alone,
# the planner could pick the (scope, object_id) index and compute to_tsvector() for every
# row of the scope (seconds at 200,000 events); a stored column makes any plan cheap.
POSTGRESQL_DOCUMENT = [
    "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    + _PG_VECTOR.format(title="title", body="body")
    + ") STORED",
    "CREATE INDEX search_entry_document_gin ON search_entry USING GIN (document)",
    "DROP INDEX IF EXISTS search_entry_document",
]
POSTGRESQL_DOCUMENT_UNDO = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
    *POSTGRESQL_CREATE,
]


def create_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(vendor, [])


def drop_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, [])


def fts5_query(terms: list[str]) -> str:
    """``"word"*`` per term, ANDed. Terms are letters and digits only (text.terms), and each is
    quoted anyway, so nothing in it is FTS5 syntax."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery(terms: list[str]) -> str:
    """``'word':*`` per term, ANDed (letters and digits only, quoted)."""
    return " & ".join(f"'{term}':*" for term in terms)


class EntryMatch(Expression):
    """True when the entry (an ``Entry`` row in the query) matches the terms.

    Compiles its column references through Django, so it works under any table alias (the
    entry table is aliased inside subqueries)."""

    conditional = True
    output_field: Any

    def __init__(self, terms: list[str]) -> None:
        from django.db.models import BooleanField

        super().__init__(output_field=BooleanField())
        self.terms = terms
        self.id = F("id")
        self.title = F("title")
        self.body = F("body")

    def get_source_expressions(self) -> list[Any]:
        return [self.id, self.title, self.body]

    def set_source_expressions(self, exprs: Any) -> None:
        self.id, self.title, self.body = exprs

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        id_sql, id_params = compiler.compile(self.id)
        # id_sql is a compiled column reference; the query text is a parameter.
        sql = f"{id_sql} IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)"  # noqa: S608
        return sql, [*id_params, fts5_query(self.terms)]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        vector, params = _pg_vector(self, compiler)
        return f"{vector} @@ to_tsquery('simple'::regconfig, %s)", [*params, tsquery(self.terms)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # Any other database: every term a prefix of a word of the folded text.
        title_sql, title_params = compiler.compile(self.title)
        body_sql, body_params = compiler.compile(self.body)
        parts: list[str] = []
        params: list[Any] = []
        for term in self.terms:
            parts.append(f"((' ' || {title_sql} || ' ' || {body_sql}) LIKE %s)")
            params += [*title_params, *body_params, f"% {term}%"]
        return "(" + " AND ".join(parts) + ")", params


class EntryRank(Expression):
    """How well the entry matches the terms (higher is better)."""

    def __init__(self, terms: list[str]) -> None:
        super().__init__(output_field=FloatField())
        self.terms = terms
        self.id = F("id")
        self.title = F("title")
        self.body = F("body")

    def get_source_expressions(self) -> list[Any]:
        return [self.id, self.title, self.body]

    def set_source_expressions(self, exprs: Any) -> None:
        self.id, self.title, self.body = exprs

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        id_sql, id_params = compiler.compile(self.id)
        # bm25() is lower for better matches; a title hit counts five times a body hit.
        # id_sql is a compiled column reference; the query text is a parameter.
        sql = (
            "(SELECT -bm25(search_entry_fts, 5.0, 1.0) FROM search_entry_fts "  # noqa: S608
            f"WHERE search_entry_fts MATCH %s AND search_entry_fts.rowid = {id_sql})"
        )
        return sql, [fts5_query(self.terms), *id_params]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        vector, params = _pg_vector(self, compiler)
        sql = f"ts_rank({vector}, to_tsquery('simple'::regconfig, %s))"
        return sql, [*params, tsquery(self.terms)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "1.0", []


def _pg_vector(expression: EntryMatch | EntryRank, compiler: Any) -> tuple[str, list[Any]]:
    """The stored ``document`` column (migration 0003) under the entry table's alias."""
    id_sql, id_params = compiler.compile(expression.id)  # e.g. "search_entry"."id" or U0."id"
    table, _, column = id_sql.rpartition(".")
    if not table or column.strip('"') != "id":
        raise ValueError(f"Unexpected column reference {id_sql!r}")
    return f'{table}."document"', list(id_params)


__all__ = ["EntryMatch", "EntryRank", "create_sql", "drop_sql"]
