"""The hemisphere maps of progress: the member states' tile map (``cicte.directory.tilemap``)
coloured by the events each state received or by the plan's progress counting only its events.

Pure: the figures come from the selectors (``cicte.progress.trends``); this module picks the
bucket of each state and writes the labels. Buckets are fixed (not quantiles), so the same
colour means the same range on every page and in every report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cicte.directory.data import MEMBER_STATES
from cicte.directory.tilemap import Category, TileMap, tile_map

MapKind = Literal["events", "progress"]
MAP_KINDS: tuple[MapKind, ...] = ("events", "progress")

# Light to dark; dark text on the light fills, white on the dark ones (contrast ≥ 5:1).
_FILLS = (
    ("#eef1f4", "#1b2430"),
    ("#b9d3ec", "#1b2430"),
    ("#7fb0dc", "#1b2430"),
    ("#2f6fae", "#ffffff"),
    ("#0b3561", "#ffffff"),
)
#: Upper bounds (inclusive) of the event buckets after "none": 1–2, 3–5, 6–10, 11 and more.
EVENT_BOUNDS = (2, 5, 10)
#: Lower bounds (inclusive) of the progress buckets after "none": under 5 %, 5–14 %, 15–29 %, 30 %+.
PROGRESS_BOUNDS = (5.0, 15.0, 30.0)


def event_bucket(events: int) -> str:
    """``e0`` (none) … ``e4`` (11 and more)."""
    if events <= 0:
        return "e0"
    for index, bound in enumerate(EVENT_BOUNDS, start=1):
        if events <= bound:
            return f"e{index}"
    return "e4"


def progress_bucket(percent: float | None) -> str:
    """``p0`` (nothing delivered) … ``p4`` (30 % and more of the plan's quantities)."""
    if not percent:
        return "p0"
    for index, bound in enumerate(PROGRESS_BOUNDS, start=1):
        if percent < bound:
            return f"p{index}"
    return "p4"


def event_categories() -> list[Category]:
    labels = (
        _("No event"),
        _("1–2 events"),
        _("3–5 events"),
        _("6–10 events"),
        _("11 events or more"),
    )
    return [
        Category(f"e{i}", label, fill, text)
        for i, (label, (fill, text)) in enumerate(zip(labels, _FILLS, strict=True))
    ]


def progress_categories() -> list[Category]:
    labels = (
        _("Nothing delivered"),
        _("Under 5 %"),
        _("5 to 14 %"),
        _("15 to 29 %"),
        _("30 % or more"),
    )
    return [
        Category(f"p{i}", label, fill, text)
        for i, (label, (fill, text)) in enumerate(zip(labels, _FILLS, strict=True))
    ]


def events_map(
    events: Mapping[str, int],
    *,
    title: str,
    description: str,
    url: Callable[[str], str] | None = None,
    id: str = "events-map",
) -> TileMap:
    """Each state coloured by the number of events it received (``events``: alpha-3 → n)."""
    categories = event_categories()
    return tile_map(
        {code: event_bucket(n) for code, n in events.items()},
        categories=categories,
        default="e0",
        title=title,
        description=description,
        url=url,
        id=id,
        figures={code: str(events.get(code, 0)) for code in _all_codes()},
        value_label=_("Events held"),
    )


def progress_map(
    percents: Mapping[str, float | None],
    *,
    title: str,
    description: str,
    url: Callable[[str], str] | None = None,
    id: str = "progress-map",
) -> TileMap:
    """Each state coloured by the plan's progress counting only the events it received."""
    figures = {}
    for code in _all_codes():
        value = percents.get(code) or 0.0
        figures[code] = f"{number_format(value, decimal_pos=1)} %"
    return tile_map(
        {code: progress_bucket(p) for code, p in percents.items()},
        categories=progress_categories(),
        default="p0",
        title=title,
        description=description,
        url=url,
        id=id,
        figures=figures,
        value_label=_("Progress"),
    )


def _all_codes() -> list[str]:
    return [code for code, *_rest in MEMBER_STATES]
