"""One module per output format; each takes one :class:`ReportData` and returns bytes/str.

``render(data, fmt, paper=...)`` dispatches by format name.
"""

from __future__ import annotations

from cicte.reports.types import ReportData

FORMATS = ("html", "pdf", "docx", "xlsx")
PAPERS = ("a4", "letter")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(data: ReportData, fmt: str, *, paper: str = "a4") -> bytes:
    if fmt == "html":
        from cicte.reports.renderers import html

        return html.render_document(data).encode("utf-8")
    if fmt == "pdf":
        from cicte.reports.renderers import pdf

        return pdf.render(data, paper=paper)
    if fmt == "docx":
        from cicte.reports.renderers import docx

        return docx.render(data, paper=paper)
    if fmt == "xlsx":
        from cicte.reports.renderers import xlsx

        return xlsx.render(data)
    raise ValueError(f"Unknown report format {fmt!r}: use html, pdf, docx or xlsx.")


def default_filename(data: ReportData, fmt: str) -> str:
    """``cicte-report-2012-H1-en.pdf``."""
    label = data.meta.period.label.replace("..", "_to_").replace("/", "-")
    return f"cicte-report-{label}-{data.meta.language}.{fmt}"
