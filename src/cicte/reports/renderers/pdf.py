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


def render(data: ReportData, *, paper: str = "a4") -> bytes:
    html = render_document(data, inline_css=False)
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    stylesheets = [CSS(filename=str(STYLESHEET)), CSS(string=page_css(data, paper=paper))]
    pdf = document.write_pdf(stylesheets=stylesheets)
    assert pdf is not None
    return bytes(pdf)
