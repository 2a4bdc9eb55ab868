"""Cached reads keyed by what they depend on: the query, the data version, the reader's access.

A cached value is stored under a key made of

- a **namespace** (``"api.events"``),
- the **data version** it was computed from (:mod:`cicte.core.dataversion`; read it *before*
  the data, so a racing write can only leave an unused entry behind),
- the reader's **visibility**: a deterministic text of the row filter that decides what the
  reader may see (``repr`` of ``event_visibility_filter(user)``). Two readers share an entry
  only when their filters are equal, so one reader's rows never reach a reader with less
  access;
- the **query** (every parameter that changes the answer).

Nothing is ever deleted on a write: a new version makes a new key and the old entries expire
(``CICTE_CACHE_SECONDS``) or are evicted. Backend: Django's cache framework, configured in
``settings.CACHES`` (a file cache under ``var/cache`` by default; Redis with
``CICTE_CACHE_URL=redis://...``; see docs/operations.md "Caching").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches

T = TypeVar("T")
K = TypeVar("K")
_MISSING = object()


def cache_key(namespace: str, *, version: int, visibility: object, query: object) -> str:
    """A short, safe key (any backend) for these parts; ``query`` must be JSON-able."""
    text = json.dumps([str(visibility), query], sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()[:40]
    return f"cicte:{namespace}:v{version}:{digest}"


def _timeout() -> int:
    return int(getattr(settings, "CICTE_CACHE_SECONDS", 86_400))


def cached(key: str, compute: Callable[[], T]) -> T:
    """The value under ``key``, or ``compute()`` stored there."""
    cache = caches["default"]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, _timeout())
    return value


def cached_many(keys: dict[K, str], compute: Callable[[list[K]], dict[K, T]]) -> dict[K, T]:
    """For each item of ``keys`` (item → cache key), its cached value; the items whose entry
    is missing are computed together, by one call of ``compute(missing items)``, and
    stored (one ``get_many`` and at most one ``set_many``)."""
    cache = caches["default"]
    found = cache.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in keys if item not in values]
    if missing:
        computed = compute(missing)
        cache.set_many({keys[item]: computed[item] for item in missing}, _timeout())
        values.update({item: computed[item] for item in missing})
    return values


def cache_stats() -> dict[str, Any]:  # pragma: no cover - a debugging aid
    return {"backend": type(caches["default"]).__name__}
