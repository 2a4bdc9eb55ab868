from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def fill_empty_scopes(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: rebuild every registered scope that has no entry yet (rows written
    before the search index existed, or by a data migration). Cheap when the index is full:
    one EXISTS query per scope."""
    from django.db import DatabaseError

    from cicte.search import registry
    from cicte.search.models import Entry

    for scope in registry.scopes():
        if Entry.objects.using(using).filter(scope=scope).exists():
            continue
        try:
            registry.reindex([scope])
        except DatabaseError:  # a partial migrate: the scope's table is not there yet
            continue


class SearchConfig(AppConfig):
    name = "cicte.search"
    label = "search"

    def ready(self) -> None:
        post_migrate.connect(fill_empty_scopes, sender=self, dispatch_uid="search:fill")
