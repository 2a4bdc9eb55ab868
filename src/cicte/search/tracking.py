"""Keeping a model's entries in step with its single-row writes.

``track(Model, scope, document, fields=...)`` connects ``post_save`` and ``post_delete`` for
the model, so every write path that saves one object (services through ``core.audit``, the
history restore, the admin, ``createsuperuser``) updates the index inside the same
transaction. Bulk paths (``bulk_create``, raw inserts) send no signals: they call
:func:`cicte.search.index_many` themselves. ``track`` also registers a provider for
``cicte reindex`` that reads every row through ``document`` unless ``rows`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from cicte.search import registry, store

Document = Callable[[Any], Mapping[str, str]]


def track(
    model: type[models.Model],
    scope: str,
    document: Document,
    *,
    fields: Collection[str],
    rows: registry.Rows | None = None,
) -> None:
    """Index ``model`` under ``scope``: ``document(obj)`` gives ``{"title", "body",
    "language"}``; a save whose ``update_fields`` names none of ``fields`` is skipped."""
    watched = frozenset(fields)

    def saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
        if update_fields is not None and not watched.intersection(update_fields):
            return
        store.index(scope, instance.pk, **document(instance))

    def deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
        if instance.pk is not None:
            store.unindex(scope, instance.pk)

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"search:{scope}:save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"search:{scope}:del")

    def every_row() -> Iterator[tuple[int, Mapping[str, str]]]:
        for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            yield obj.pk, document(obj)

    registry.register_provider(scope, rows or every_row)
