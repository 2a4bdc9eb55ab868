"""A reusable tile map of the hemisphere: the 35 member states as equal squares placed
roughly where they lie (north at the top), drawn by the server as SVG — no JavaScript, no
CDN, no map tiles — coloured by a category the caller chooses.

Use::

    from cicte.directory.tilemap import Category, tile_map

    grid = tile_map(
        {"JAM": "adopted", "COL": "in_progress"},
        categories=[Category("adopted", _("Adopted"), "#1b6e3a"), ...],
        title=_("National strategies"),
        description=_("Each square is a member state, coloured by ..."),
        url=lambda code: reverse("strategies:profile", args=[code]),
    )
    {% include "directory/_tilemap.html" with map=grid %}

The template draws the SVG (``<title>``/``<desc>``, one labelled link per state), a legend
and a table alternative with the same content (for screen readers, small screens and print).
Colours come from the categories (SVG presentation attributes: no inline style, CSP-clean);
choose ones with enough contrast against the white labels. Pure: no models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import get_language

from cicte.directory.countries import country_name
from cicte.directory.data import MEMBER_STATES

#: (column, row) of each member state on the grid; north at the top, the Caribbean to the east.
POSITIONS: dict[str, tuple[int, int]] = {
    "CAN": (1, 0),
    "USA": (1, 1),
    "BHS": (4, 1),
    "MEX": (0, 2),
    "CUB": (3, 2),
    "HTI": (4, 2),
    "DOM": (5, 2),
    "KNA": (7, 2),
    "ATG": (8, 2),
    "GTM": (0, 3),
    "BLZ": (1, 3),
    "JAM": (3, 3),
    "DMA": (8, 3),
    "SLV": (0, 4),
    "HND": (1, 4),
    "LCA": (8, 4),
    "NIC": (1, 5),
    "VCT": (7, 5),
    "BRB": (8, 5),
    "CRI": (1, 6),
    "PAN": (2, 6),
    "GRD": (7, 6),
    "TTO": (8, 6),
    "COL": (3, 7),
    "VEN": (4, 7),
    "GUY": (5, 7),
    "SUR": (6, 7),
    "ECU": (3, 8),
    "PER": (4, 8),
    "BRA": (5, 8),
    "BOL": (4, 9),
    "PRY": (5, 9),
    "URY": (6, 9),
    "CHL": (3, 10),
    "ARG": (4, 10),
}
TILE = 44
GAP = 4
COLUMNS = 9
ROWS = 11


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    colour: str  # fill of the tiles (and the legend swatch)
    text_colour: str = "#ffffff"

    @property
    def css_class(self) -> str:
        """``tile-<key>``: the class of the tiles of this category (for tests and CSS)."""
        return f"tile-{self.key}"


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    x: int
    y: int
    size: int
    text_x: int
    text_y: int
    category: Category
    url: str
    value: str = ""  # the figure behind the colour, drawn under the code ("12", "35 %")
    value_y: int = 0


@dataclass(frozen=True)
class TileMap:
    title: str
    description: str
    tiles: list[Tile]
    categories: list[Category]
    width: int
    height: int
    id: str = "tilemap"
    value_label: str = ""  # heading of the value column of the table alternative

    def counts(self) -> list[tuple[Category, int]]:
        return [(c, sum(1 for t in self.tiles if t.category.key == c.key)) for c in self.categories]

    def rows(self) -> list[Tile]:
        """The table alternative: by name."""
        return sorted(self.tiles, key=lambda t: t.name.casefold())


def tile_map(
    values: Mapping[str, str],
    *,
    categories: Sequence[Category],
    title: str,
    description: str,
    url: Callable[[str], str] | None = None,
    default: str | None = None,
    id: str = "tilemap",
    figures: Mapping[str, str] | None = None,
    value_label: str = "",
) -> TileMap:
    """The map of ``values`` (member state alpha-3 -> category key). States without a value
    get ``default`` (the last category when not given).

    ``figures`` (alpha-3 -> text, e.g. ``"12"`` or ``"35 %"``) writes the figure behind the
    colour on each tile under its code, in its ``<title>`` and in a column of the table
    (headed ``value_label``), so the colour is never the only signal."""
    by_key = {c.key: c for c in categories}
    fallback = by_key[default] if default else categories[-1]
    language = get_language() or "en"
    tiles = []
    for code, *_rest in MEMBER_STATES:
        column, row = POSITIONS[code]
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        figure = figures.get(code, "") if figures is not None else ""
        tiles.append(
            Tile(
                code=code,
                name=country_name(code, language),
                x=x,
                y=y,
                size=TILE,
                text_x=x + TILE // 2,
                text_y=y + (TILE // 2 - 3 if figure else TILE // 2 + 5),
                category=by_key.get(values.get(code, ""), fallback),
                url=url(code) if url else "",
                value=figure,
                value_y=y + TILE - 8,
            )
        )
    return TileMap(
        title=str(title),
        description=str(description),
        tiles=tiles,
        categories=list(categories),
        width=COLUMNS * (TILE + GAP),
        height=ROWS * (TILE + GAP),
        id=id,
        value_label=str(value_label),
    )
