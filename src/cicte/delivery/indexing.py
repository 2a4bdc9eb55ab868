"""Events in the shared search index (scope ``delivery.event``; docs/events.md, "Search").

An event's entry is its title, then its venue city, course and notes, folded. Single saves
and deletes are followed by signals (``search.track``); the spreadsheet import and
``cicte generate`` write events in bulk and index them here with one ``executemany`` per
batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from cicte import search
from cicte.delivery.models import Event

SCOPE = "delivery.event"
FIELDS = ("title", "city", "course", "notes")


def document(title: str, city: str = "", course: str = "", notes: str = "") -> dict[str, str]:
    return {"title": title or "", "body": " ".join(part for part in (city, course, notes) if part)}


def event_document(event: Any) -> dict[str, str]:
    return document(event.title, event.city, event.course, event.notes)


def index_events(events: Iterable[Any]) -> int:
    """Index events written in bulk (instances or dicts with the four fields and ``id``)."""
    return search.index_many(SCOPE, _rows(events))


def _rows(events: Iterable[Any]) -> Iterator[tuple[int, Mapping[str, str]]]:
    for event in events:
        if isinstance(event, Mapping):
            yield event["id"], document(*(event.get(name, "") for name in FIELDS))
        else:
            yield event.pk, event_document(event)


def every_event() -> Iterator[tuple[int, Mapping[str, str]]]:
    """For ``cicte reindex delivery.event``: every event, read as plain values in batches."""
    rows = Event.objects.order_by().values_list("pk", *FIELDS).iterator(chunk_size=5000)
    for pk, title, city, course, notes in rows:
        yield pk, document(title, city, course, notes)


def connect() -> None:
    search.track(Event, SCOPE, event_document, fields=FIELDS, rows=every_event)
