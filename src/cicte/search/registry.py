"""Providers: each app says, from its ``AppConfig.ready()``, how to list what it indexes, so
``cicte reindex`` can rebuild any scope from the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cicte.search import store

Rows = Callable[[], Iterable[tuple[int, Mapping[str, str]]]]

_providers: dict[str, Rows] = {}


class UnknownScope(LookupError):
    pass


def register_provider(scope: str, rows: Rows) -> None:
    """Register (or replace) the rows of a scope: ``rows()`` yields
    ``(pk, {"title": ..., "body": ..., "language": ...})`` for every object to index."""
    _providers[scope] = rows


def scopes() -> list[str]:
    return sorted(_providers)


@dataclass(frozen=True)
class Reindexed:
    scope: str
    entries: int


def reindex(selected: Iterable[str] = ()) -> list[Reindexed]:
    """Rebuild the entries of the selected scopes (all registered when none is given) from
    their providers: each scope in one transaction, written in batches."""
    chosen = list(dict.fromkeys(selected)) or scopes()
    unknown = [scope for scope in chosen if scope not in _providers]
    if unknown:
        raise UnknownScope(
            _("Unknown search scope %(scope)s; the scopes are: %(scopes)s.")
            % {"scope": repr(unknown[0]), "scopes": ", ".join(scopes()) or "-"}
        )
    done: list[Reindexed] = []
    for scope in chosen:
        with transaction.atomic():
            store.clear(scope)
            count = store.index_many(scope, _providers[scope]())
        done.append(Reindexed(scope, count))
    return done
