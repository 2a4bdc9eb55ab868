"""One audit path: every write records its actor in django-simple-history.

Services call :func:`save`, :func:`delete` and :func:`set_related` instead of ``obj.save()``
so that the acting user lands in the history row (``SYSTEM`` and anonymous are recorded as
no user, with the change reason saying so). :func:`bulk_insert` is the fast path of large
imports: one ``executemany`` per table, no model instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from cicte.core.types import SYSTEM, actor_user


def _mark(obj: Model, actor: object, reason: str | None) -> None:
    user = actor_user(actor)
    if user is not None:
        obj._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    if reason is not None:
        obj._change_reason = reason  # type: ignore[attr-defined]
    elif actor is SYSTEM:
        obj._change_reason = "command line"  # type: ignore[attr-defined]


def save(obj: Model, *, actor: object, reason: str | None = None, **kwargs: Any) -> None:
    """``obj.save(**kwargs)`` with ``actor`` (and ``reason``) in the history row."""
    _mark(obj, actor, reason)
    obj.save(**kwargs)


def delete(obj: Model, *, actor: object, reason: str | None = None) -> None:
    _mark(obj, actor, reason)
    obj.delete()


def set_related(obj: Model, name: str, values: Iterable[Any], *, actor: object) -> None:
    """``obj.<name>.set(values)`` for a many-to-many field tracked by simple-history
    (``m2m_fields``): the history row of the change names ``actor``."""
    _mark(obj, actor, None)
    getattr(obj, name).set(list(values))


def deleted_with(parent: Model) -> str:
    """The change reason of records a service deletes together with ``parent`` (an event's
    targets, participants…): restoring ``parent`` finds them by it."""
    return f"deleted with {parent._meta.label_lower} {parent.pk}"


def bulk_insert(model: Any, fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT many rows of plain, prepared values with one ``executemany`` (no history: the
    caller writes the history rows with the same helper)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
