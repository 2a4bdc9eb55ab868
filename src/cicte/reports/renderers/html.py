"""HTML: the workspace preview, the published page and the source of the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from cicte.reports.charts import chart_svg
from cicte.reports.renderers.common import cell_text, number, percent
from cicte.reports.types import (
    Chart,
    Figures,
    Graphic,
    Heading,
    Paragraph,
    ReportData,
    Section,
    Status,
    Table,
)

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "reports" / "report.css"


@dataclass
class CellView:
    text: str
    numeric: bool
    status: str = ""


@dataclass
class BlockView:
    kind: str
    block: object
    rows: list[list[CellView]] | None = None
    svg: SafeString | None = None
    figures: list[tuple[str, str, str]] | None = None
    level: int = 3


def _block_view(block: object, language: str, index: str) -> BlockView:
    if isinstance(block, Heading):
        return BlockView("heading", block, level=min(max(block.level, 2), 6))
    if isinstance(block, Paragraph):
        return BlockView("paragraph", block)
    if isinstance(block, Figures):
        return BlockView(
            "figures",
            block,
            figures=[
                (
                    f.label,
                    percent(f.value, language) if f.percent else number(f.value, language),
                    f.detail,
                )
                for f in block.items
            ],
        )
    if isinstance(block, Table):
        rows = [
            [
                CellView(
                    cell_text(value, column, language),
                    column.numeric,
                    value.key if isinstance(value, Status) else "",
                )
                for value, column in zip(row, block.columns, strict=True)
            ]
            for row in block.rows
        ]
        return BlockView("table", block, rows=rows)
    if isinstance(block, Chart):
        # chart_svg escapes every text it writes.
        return BlockView("chart", block, svg=mark_safe(chart_svg(block, chart_id=index)))  # noqa: S308
    if isinstance(block, Graphic):
        # A project template, autoescaped; the table alternative is the section's Table.
        html = render_to_string(
            block.template, {**block.context, "map_no_table": True, "series_no_table": True}
        )
        return BlockView("graphic", block, svg=mark_safe(html))  # noqa: S308
    raise TypeError(f"Unknown report block {type(block).__name__}")


def _section_view(section: Section, language: str) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "blocks": [
            _block_view(block, language, f"{section.key}-{i}")
            for i, block in enumerate(section.blocks)
        ],
    }


def context(data: ReportData) -> dict[str, Any]:
    return {
        "meta": data.meta,
        "sections": [_section_view(s, data.meta.language) for s in data.sections],
    }


def render_fragment(data: ReportData) -> str:
    """The report body (an <article>), to embed in a page that links report.css."""
    with translation.override(data.meta.language):
        return render_to_string("reports/_report_body.html", context(data))


def render_document(data: ReportData, *, inline_css: bool = True) -> str:
    """A whole HTML document. ``inline_css`` embeds report.css so the file stands alone
    (a downloaded file is not served under the site's CSP); the PDF passes the stylesheet
    to WeasyPrint instead."""
    with translation.override(data.meta.language):
        return render_to_string(
            "reports/report_document.html",
            {
                **context(data),
                "css": STYLESHEET.read_text(encoding="utf-8") if inline_css else "",
            },
        )
