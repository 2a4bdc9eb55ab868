""" "Download CSV / XLSX" for every table a page shows, from the page itself.

A view decorated with :func:`table_downloads` answers ``?format=csv`` or ``?format=xlsx``
(optionally ``&table=<id>``) by rendering itself exactly as for the browser — same
permission checks, same selectors, same rows — and handing the page's ``<table>`` elements
to ``cicte.core.exports``. So a download never holds more than the reader sees on the page
(no personal data the page would not show), and every table gets one without a second
query path to keep in sync. Content of form controls (status buttons, selects) is left out;
a column with nothing but controls is dropped. Link the downloads with
``{% table_download_links "<id>" %}`` (``cicte.site.templatetags.tables``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from html.parser import HTMLParser
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

from cicte.core import exports

FORMATS = ("csv", "xlsx")
_SKIPPED = {"form", "button", "select", "option", "script", "style", "textarea", "template"}
_INTEGER = re.compile(r"^-?\d{1,15}$")
_DECIMAL = re.compile(r"^-?\d{1,15}\.\d{1,6}$")
_SPACES = re.compile(r"\s+")


@dataclass
class _Cell:
    text: str = ""
    colspan: int = 1
    controls_only: bool = False  # it held a form control and no text of its own
    had_control: bool = False


@dataclass
class HtmlTable:
    id: str
    title: str
    header: list[str] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)


class _TableParser(HTMLParser):
    """Collects the tables of a page: caption, header row (``thead`` or a first row of
    ``th``), body rows; nested tables are not expected and are read as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[HtmlTable, list[tuple[bool, list[_Cell]]]]] = []
        self._table: tuple[HtmlTable, list[tuple[bool, list[_Cell]]]] | None = None
        self._row: list[_Cell] | None = None
        self._row_in_head = False
        self._cell: _Cell | None = None
        self._in_head = False
        self._in_caption = False
        self._skip_depth = 0
        self._skip_tag = ""
        self._last_heading = ""
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._skip_depth:  # inside a control: only its own kind of tag is counted
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if tag in _SKIPPED or tag == "input":
            if self._cell is not None:
                self._cell.had_control = True
            if tag in _SKIPPED:
                self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in ("h1", "h2", "h3", "h4") and self._table is None:
            self._heading = []
        elif tag == "table":
            title = self._last_heading
            self._table = (HtmlTable(id=values.get("id") or "", title=title), [])
        elif self._table is None:
            return
        elif tag == "caption":
            self._in_caption = True
            self._table[0].title = ""
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row, self._row_in_head = [], self._in_head
        elif tag in ("td", "th") and self._row is not None:
            try:
                span = max(1, min(int(values.get("colspan") or 1), 50))
            except ValueError:
                span = 1
            self._cell = _Cell(colspan=span)
        elif tag == "br" and self._cell is not None:
            self._cell.text += " "

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if tag == self._skip_tag:
                self._skip_depth -= 1
            return
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self._last_heading = _SPACES.sub(" ", "".join(self._heading)).strip()
            self._heading = None
        elif self._table is None:
            return
        elif tag == "caption":
            self._in_caption = False
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._cell.text = _SPACES.sub(" ", self._cell.text).strip()
            self._cell.controls_only = self._cell.had_control and not self._cell.text
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table[1].append((self._row_in_head, self._row))
            self._row = None
        elif tag == "table":
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._heading is not None:
            self._heading.append(data)
        if self._table is None:
            return
        if self._in_caption:
            self._table[0].title += data
        elif self._cell is not None:
            self._cell.text += data


def _value(text: str) -> object:
    """Numbers shown as plain numbers become numbers; everything else stays text."""
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return Decimal(text)
    return text


def tables_from_html(html: str) -> list[HtmlTable]:
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    result = []
    for table, rows in parser.tables:
        table.title = _SPACES.sub(" ", table.title).strip()
        expanded = [
            (head, [c for cell in row for c in [cell] * cell.colspan]) for head, row in rows
        ]
        head_rows = [row for head, row in expanded if head]
        body = [row for head, row in expanded if not head]
        if not head_rows and body and all(c.text for c in body[0]):
            head_rows, body = [body[0]], body[1:]  # a first row of headers without <thead>
        width = max((len(r) for r in head_rows + body), default=0)
        # An empty-state row ("No events.") spans the whole table: not data.
        body = [row for row in body if not _is_notice(row, width)]
        header = [c.text for c in head_rows[-1]] if head_rows else [""] * width
        header += [""] * (width - len(header))
        keep = [i for i in range(width) if not body or not all(_controls(r, i) for r in body)]
        table.header = [header[i] for i in keep]
        table.rows = [[_value(r[i].text) if i < len(r) else "" for i in keep] for r in body]
        result.append(table)
    return result


def _controls(row: list[_Cell], index: int) -> bool:
    """Whether the row's cell at ``index`` holds only form controls (an action column)."""
    return index < len(row) and row[index].controls_only


def _is_notice(row: list[_Cell], width: int) -> bool:
    return width > 1 and len(row) == width and len({id(c) for c in row}) == 1


def download_response(
    tables: list[HtmlTable], file_format: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv":
        table = tables[0]
        response = StreamingHttpResponse(
            exports.csv_lines(table.header, table.rows), content_type=exports.CSV_CONTENT_TYPE
        )
    else:
        sheets = [exports.Sheet(t.title or t.id or "Table", t.header, t.rows) for t in tables]
        response = HttpResponse(exports.xlsx_bytes(sheets), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def table_downloads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let ``view`` answer ``?format=csv|xlsx[&table=<id>]`` with the tables it renders.
    Put it under the permission decorator (``@workspace_required`` first)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        file_format = request.GET.get("format", "")
        if request.method != "GET" or file_format not in FORMATS:
            return view(request, *args, **kwargs)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or getattr(response, "streaming", False):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        render = getattr(response, "render", None)
        if callable(render) and not getattr(response, "is_rendered", True):
            render()
        tables = tables_from_html(response.content.decode(response.charset or "utf-8"))
        wanted = request.GET.get("table", "")
        if wanted:
            tables = [t for t in tables if t.id == wanted]
        if not tables:
            raise Http404
        stem = slugify(request.path.strip("/").replace("/", "-")) or "table"
        name = f"{stem}-{slugify(wanted)}" if wanted else stem
        download = download_response(tables, file_format, name[:80])
        # Streaming responses are fine for Django; the decorators' types name HttpResponse.
        return download  # type: ignore[return-value]

    return wrapper
