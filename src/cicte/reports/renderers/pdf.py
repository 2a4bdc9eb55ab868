"""PDF: WeasyPrint renders the same HTML as the workspace preview.

Paper size (A4 or US Letter), the running document symbol and "Page n of N" come from a
small generated stylesheet added after report.css (``@page`` rules and counters).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML

from cicte.reports.renderers.html import STYLESHEET, render_document
from cicte.reports.types import ReportData

PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_css(data: ReportData, *, paper: str) -> str:
    if paper not in PAGE_SIZES:
        raise ValueError(f"Unknown paper size {paper!r}: use a4 or letter.")
    with translation.override(data.meta.language):
        pattern = _("Page %(page)s of %(pages)s")
    marker_page, marker_pages = "\x00PAGE\x00", "\x00PAGES\x00"
    text = pattern % {"page": marker_page, "pages": marker_pages}
    pieces = []
    for chunk in text.split(marker_page):
        inner = chunk.split(marker_pages)
        pieces.append(" counter(pages) ".join(_css_string(p) for p in inner))
    content = " counter(page) ".join(pieces)
    symbol = _css_string(data.meta.document_symbol)
    return (
        f"@page {{ size: {PAGE_SIZES[paper]}; "
        f"@bottom-right {{ content: {content}; }} "
        f"@top-right {{ content: {symbol}; }} }}\n"
        "@page :first { @top-right { content: none; } }\n"
    )


#: The annex and event tables (six columns): dates, event, place, states, participants,
#: partners, in percent of the text width.
EVENT_TABLE_WIDTHS = (13, 27, 14, 18, 11, 17)


def _widths(count: int) -> list[int]:
    """Column widths (percent) of a table of ``count`` columns: the first column (a name or
    a title) wider, the others equal."""
    if count == len(EVENT_TABLE_WIDTHS):
        return list(EVENT_TABLE_WIDTHS)
    first = {1: 100, 2: 60, 3: 44, 4: 40, 5: 36}.get(count, 30)
    rest = (100 - first) / max(count - 1, 1)
    return [first, *[int(rest)] * (count - 1)]


def table_css() -> str:
    """``table-layout: fixed`` with explicit column widths: WeasyPrint then lays a table out
    from its header row, instead of measuring every cell of every row (``auto`` layout, the
    cost that grew with the annex). A header cell is picked by its position and the number of
    cells in the row (``:nth-child(i):nth-last-child(n - i + 1)``)."""
    rules = [
        ".report-table { table-layout: fixed; width: 100%; }",
        ".report-table th, .report-table td { overflow-wrap: anywhere; }",
    ]
    for count in range(1, 13):
        for index, width in enumerate(_widths(count), start=1):
            rules.append(
                f".report-table thead th:nth-child({index}):nth-last-child({count - index + 1})"
                f" {{ width: {width}%; }}"
            )
    return "\n".join(rules) + "\n"


def render(data: ReportData, *, paper: str = "a4") -> bytes:
    html = render_document(data, inline_css=False)
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    stylesheets = [
        CSS(filename=str(STYLESHEET)),
        CSS(string=page_css(data, paper=paper) + table_css()),
    ]
    pdf = document.write_pdf(stylesheets=stylesheets)
    assert pdf is not None
    return bytes(pdf)
