"""XLSX (openpyxl): one sheet per table behind the report, bold frozen header row."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from cicte.core.exports import append_row, sheet_title
from cicte.reports.types import ReportData, Status, Table


def sheet_name(title: str, taken: set[str]) -> str:
    return sheet_title(title, taken)


def _write(sheet: object, table: Table) -> None:
    ws = sheet
    append_row(ws, [c.label for c in table.columns], bold=True)
    for row in table.rows:  # text escaped and typed as strings, never formulas
        append_row(ws, [value.label if isinstance(value, Status) else value for value in row])
    ws.freeze_panes = "A2"  # type: ignore[attr-defined]
    for index, column in enumerate(table.columns, start=1):
        width = max([len(column.label), *(len(str(r[index - 1] or "")) for r in table.rows[:200])])
        ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)  # type: ignore[attr-defined]


def render(data: ReportData) -> bytes:
    workbook = Workbook()
    about = workbook.active
    assert about is not None
    taken: set[str] = set()
    with translation.override(data.meta.language):
        about.title = sheet_name(_("Report"), taken)
        meta = data.meta
        append_row(about, [_("Field"), _("Value")], bold=True)
        about.freeze_panes = "A2"
        for label, value in (
            (_("Title"), meta.title),
            (_("Document symbol"), meta.document_symbol),
            (_("Work Plan"), meta.plan_symbol),
            (_("Period"), meta.period.label),
            (_("From"), meta.period.start),
            (_("To"), meta.period.end),
            (_("Date"), meta.issued if meta.issued is not None else meta.issued_label),
            (_("Language"), meta.language),
        ):
            append_row(about, [label, value])
        about.column_dimensions["A"].width = 22
        about.column_dimensions["B"].width = 70
    for section in data.sections:
        for table in section.sheets:
            ws = workbook.create_sheet(sheet_name(table.sheet_title or section.title, taken))
            _write(ws, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
