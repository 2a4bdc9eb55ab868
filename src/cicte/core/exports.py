"""Safe CSV and XLSX tables: the one writer behind every spreadsheet the system produces.

Pure: imports no other cicte app (and no Django), so renderers, views and commands share it.

The rule (OWASP "CSV injection"): a text cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is written with a single quote in front, so that Excel, LibreOffice
and Google Sheets show it as text instead of running it as a formula
(``=HYPERLINK("http://evil.example","x")``). Real numbers stay numbers (a negative number
stored as a number is not a formula); XLSX cells holding text are always written as strings
(data type ``s``), never as formulas, and characters XLSX cannot hold are dropped. CSV is
UTF-8 with a byte-order mark (Excel keeps the accents) and can be streamed row by row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"

#: Characters an XLSX cell cannot hold (the control characters except tab, LF and CR).
_ILLEGAL_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")
_SHEET_TITLE_INVALID = re.compile(r"[\[\]:*?/\\]")

Cell = str | int | float | Decimal | dt.date | dt.datetime | bool | None


def escape_text(text: str) -> str:
    """``text`` with a quote in front when a spreadsheet would read it as a formula (and
    when it already starts with quotes before such a prefix, so that the escape reverses)."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_PREFIXES) else text


def unescape_text(text: str) -> str:
    """The inverse of :func:`escape_text` (for importing our own exports again)."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def safe_value(value: object) -> Cell:
    """A cell value safe to write: numbers, dates and booleans as they are, everything else
    as escaped text (``None`` stays empty)."""
    if value is None or isinstance(value, bool | int | Decimal | dt.date):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    return escape_text(str(value))


# --- CSV ----------------------------------------------------------------------------------


class _Line:
    """A file-like object whose ``write`` returns what it was given (for streaming)."""

    def write(self, text: str) -> str:
        return text


def _csv_text(value: object) -> str | int | float | Decimal:
    kind = type(value)  # the common cells first (a large export has millions of them)
    if value is None:
        return ""
    if kind is str:
        return escape_text(value)  # type: ignore[arg-type]
    if kind is int:
        return value  # type: ignore[return-value]
    value = safe_value(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def csv_lines(header: Sequence[object], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV as lines of text (the first one starts with a byte-order mark): give it to a
    ``StreamingHttpResponse`` or join it."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield "\ufeff" + str(writer.writerow([_csv_text(h) for h in header]))
    for row in rows:
        yield str(writer.writerow([_csv_text(v) for v in row]))


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    return "".join(csv_lines(header, rows)).encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: int | None = None  # characters; None: from the content
    wrap: bool = False


@dataclass
class Sheet:
    """One sheet: a title, its columns (``Column`` or plain header text) and its rows."""

    title: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[object]]
    freeze_header: bool = True
    auto_filter: bool = False
    widths: dict[int, int] = field(default_factory=dict)

    @property
    def column_specs(self) -> list[Column]:
        return [c if isinstance(c, Column) else Column(str(c)) for c in self.columns]


def sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique sheet title (31 characters, no ``[]:*?/\\``)."""
    base = _SHEET_TITLE_INVALID.sub("-", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def xlsx_cell(worksheet: Any, value: object, *, bold: bool = False, wrap: bool = False) -> Any:
    """An openpyxl cell for ``value``: text escaped and typed as a string, never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    # Strip the characters a cell cannot hold first, then escape: "\x1c=1+1" must not become
    # "=1+1" after the check (found by hypothesis).
    safe = safe_value(_ILLEGAL_XLSX.sub("", value) if isinstance(value, str) else value)
    cell = WriteOnlyCell(worksheet, value=safe)  # type: ignore[arg-type]  # stubs omit Decimal
    if isinstance(safe, str):
        cell.data_type = "s"
    elif isinstance(safe, dt.date):
        cell.number_format = (
            DATE_FORMAT if not isinstance(safe, dt.datetime) else "yyyy-mm-dd hh:mm"
        )
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def append_row(worksheet: Any, values: Iterable[object], *, bold: bool = False) -> None:
    """Append one row of safe cells to an openpyxl worksheet (normal or write-only)."""
    worksheet.append([xlsx_cell(worksheet, value, bold=bold) for value in values])


def write_xlsx(sheets: Iterable[Sheet], stream: IO[bytes], *, write_only: bool = False) -> None:
    """Write the sheets as one workbook: bold header row (frozen), column widths, safe cells.
    Rows are consumed once (a generator is fine). ``write_only`` streams large sheets (widths
    then come from the columns and headers only)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=write_only)
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    taken: set[str] = set()
    for spec in sheets:
        worksheet = workbook.create_sheet(sheet_title(spec.title, taken))
        columns = spec.column_specs
        if write_only:
            for index, column in enumerate(columns, start=1):
                width = column.width or min(max(len(column.header) + 4, 10), 60)
                worksheet.column_dimensions[get_column_letter(index)].width = width
            if spec.freeze_header:
                worksheet.freeze_panes = "A2"
            append_row(worksheet, [c.header for c in columns], bold=True)
            for values in spec.rows:
                append_row(worksheet, values)
            continue
        append_row(worksheet, [c.header for c in columns], bold=True)
        longest = [len(c.header) for c in columns]
        for number, values in enumerate(spec.rows):
            row = list(values)
            worksheet.append(
                [
                    xlsx_cell(worksheet, v, wrap=i < len(columns) and columns[i].wrap)
                    for i, v in enumerate(row)
                ]
            )
            if number < 200:
                for i, v in enumerate(row[: len(columns)]):
                    longest[i] = max(longest[i], len(str(v or "")))
        for index, column in enumerate(columns, start=1):
            width = column.width or min(max(longest[index - 1] + 2, 8), 60)
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if spec.freeze_header:
            worksheet.freeze_panes = "A2"
        if spec.auto_filter:
            worksheet.auto_filter.ref = worksheet.dimensions
    workbook.save(stream)


def xlsx_bytes(sheets: Iterable[Sheet], *, write_only: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer, write_only=write_only)
    return buffer.getvalue()
