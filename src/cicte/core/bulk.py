"""Primary keys reserved before a bulk insert, so that related rows can be written with one
``executemany`` per table and no read-back (SQLite and PostgreSQL).

- PostgreSQL: ``nextval`` of the column's sequence (identity or serial) ``count`` times in one
  query; safe under concurrency (a sequence never gives a value twice).
- SQLite: the numbers after both the table's maximum and its ``sqlite_sequence`` entry
  (``AUTOINCREMENT`` never reuses the id of a deleted row, which history rows still name).
  Safe only inside a write transaction: SQLite lets one writer at a time, and the project
  opens transactions with ``BEGIN IMMEDIATE`` (settings), so nobody can insert meanwhile.
  Inserting explicit ids moves ``sqlite_sequence`` on, as SQLite does for any insert.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

#: The backends the project runs on (settings: DATABASE_URL); each has its reservation below.
SUPPORTED_VENDORS = frozenset({"postgresql", "sqlite"})


def can_reserve_ids() -> bool:
    """Whether the connected backend can reserve ids (callers fall back to ``bulk_create``)."""
    return connection.vendor in SUPPORTED_VENDORS


def reserve_ids(model: Any, count: int, *, column: str | None = None) -> list[int]:
    """``count`` fresh values for the primary key (or ``column``) of ``model``'s table.
    Only for the backends in :data:`SUPPORTED_VENDORS` (ask :func:`can_reserve_ids`)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    name = column or model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), name, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            if not connection.in_atomic_block:
                raise RuntimeError("reserve_ids needs a write transaction on SQLite.")
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT MAX({quote(name)}) FROM {quote(table)}), 0), "  # noqa: S608 - names from the model
                "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + count))
    # The project's settings accept only SQLite and PostgreSQL URLs; say so if that changes.
    raise ImproperlyConfigured(
        f"Bulk writes support SQLite and PostgreSQL, not {connection.vendor}."
    )
