"""Spreadsheet renderers: the events template and event exports (XLSX, CSV).

They take plain data (``ExportRow``s, target options) and write bytes; the columns are the
ones ``cicte.delivery.parsing.spreadsheet`` reads, so an export can be imported again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cicte.core.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    append_row,
    csv_bytes,
    write_xlsx,
    xlsx_bytes,
)
from cicte.core.exports import csv_lines as _csv_lines
from cicte.delivery.parsing.spreadsheet import (
    COLUMNS,
    KINDS,
    MODALITIES,
    REQUIRED_COLUMNS,
    STATUSES,
)
from cicte.delivery.selectors import ExportRow, TargetOption

__all__ = [
    "CSV_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "events_csv",
    "events_xlsx",
    "write_events_csv",
    "write_events_xlsx",
]

COLUMN_HELP: dict[str, str] = {
    "target": "Target code(s) from the Targets sheet, e.g. 1.A.1.a. Several: 1.A.1.a; 1.A.2.b. "
    "Units per target: 1.A.1.a*2.",
    "title": "Title of the event (required).",
    "kind": "One of: " + ", ".join(KINDS) + ".",
    "start_date": "First day, as a date or YYYY-MM-DD.",
    "end_date": "Last day (not before start_date). Progress counts in the period of this date.",
    "city": "Venue city (may be empty, e.g. virtual events).",
    "country": "Host member state: ISO code (JAM) or name in English or Spanish.",
    "beneficiaries": "Beneficiary member states separated by ; (codes or names), or ALL.",
    "participants": "Total number of participants (0 when unknown).",
    "women": "Participants who are women (women + men must not exceed participants).",
    "men": "Participants who are men.",
    "partners": "Partner organizations separated by ; (names or acronyms from the directory).",
    "status": "One of: " + ", ".join(STATUSES) + ". Empty means planned. Only held events count "
    "toward progress.",
    "units": "Units each target receives (default 1; must be 1 or more).",
    "modality": "Optional. One of: " + ", ".join(MODALITIES) + ".",
    "cost": "Optional. Cost as a number, e.g. 12500.00.",
    "currency": "Optional. 3-letter code (USD when a cost is given without one).",
    "notes": "Optional. Free text.",
}

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="DCE6F1")


def _cells(row: ExportRow) -> list[object]:
    # attribute reads: ``dataclasses.asdict`` deep-copies every value (most of an export's
    # time at a million events)
    return [getattr(row, name) for name in COLUMNS]


def events_xlsx(rows: Iterable[ExportRow]) -> bytes:
    """An XLSX workbook with one sheet "Events" (write-only, for large exports); text cells
    are escaped and typed as strings (``cicte.core.exports``)."""
    sheet = Sheet("Events", COLUMNS, (_cells(row) for row in rows), freeze_header=False)
    return xlsx_bytes([sheet], write_only=True)


def write_events_xlsx(rows: Iterable[ExportRow], stream: IO[bytes]) -> None:
    """:func:`events_xlsx` written to ``stream`` (a temporary file): openpyxl's write-only
    workbook streams the rows to disk as they come, so memory does not grow with them."""
    sheet = Sheet("Events", COLUMNS, (_cells(row) for row in rows), freeze_header=False)
    write_xlsx([sheet], stream, write_only=True)


def write_events_csv(rows: Iterable[ExportRow], stream: IO[bytes]) -> None:
    """:func:`events_csv` written to ``stream`` line by line."""
    for line in events_csv_lines(rows):
        stream.write(line.encode("utf-8"))


def events_csv_lines(rows: Iterable[ExportRow]) -> Iterable[str]:
    """The CSV export line by line (for a streaming response)."""
    return _csv_lines(COLUMNS, (_cells(row) for row in rows))


def events_csv(rows: Iterable[ExportRow]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel opens it with accents intact)."""
    return csv_bytes(COLUMNS, (_cells(row) for row in rows))


def events_template(
    *, targets: Sequence[TargetOption], plan_label: str, example_code: str | None = None
) -> bytes:
    """The import template: Events (header + validation lists), Instructions, Targets."""
    workbook = Workbook()
    events = workbook.active
    assert events is not None
    events.title = "Events"
    append_row(events, COLUMNS)
    for index, name in enumerate(COLUMNS, start=1):
        cell = events.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        if name in REQUIRED_COLUMNS:
            cell.fill = _REQUIRED_FILL
        events.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 4)
    events.column_dimensions["B"].width = 40
    events.freeze_panes = "A2"
    for name, choices in (("kind", KINDS), ("status", STATUSES), ("modality", MODALITIES)):
        letter = get_column_letter(COLUMNS.index(name) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Invalid {name}",
            error="Choose a value from the list.",
        )
        validation.add(f"{letter}2:{letter}100001")
        events.add_data_validation(validation)
    for name in ("start_date", "end_date"):
        letter = get_column_letter(COLUMNS.index(name) + 1)
        for row_number in range(2, 202):
            events[f"{letter}{row_number}"].number_format = "yyyy-mm-dd"

    instructions = workbook.create_sheet("Instructions")
    append_row(instructions, [f"Events for {plan_label}: one row per event, header in row 1."])
    append_row(
        instructions,
        [
            "Nothing is imported unless every row is valid (or you ask to import the valid "
            "rows only). Re-importing the same rows updates the events instead of duplicating "
            "them."
        ],
    )
    append_row(instructions, [])
    append_row(instructions, ["column", "required", "what to write"])
    for cell in instructions[4]:
        cell.font = _HEADER_FONT
    for name in COLUMNS:
        append_row(
            instructions, [name, "yes" if name in REQUIRED_COLUMNS else "no", COLUMN_HELP[name]]
        )
    append_row(instructions, [])
    code = example_code or (targets[0].code if targets else "1.A.1.a")
    append_row(
        instructions,
        [
            "Example row",
            "",
            f"{code} | National workshop on port security | workshop | 2012-03-05 | "
            "2012-03-07 | Kingston | JAM | JAM | 30 | 12 | 18 | CIP | held | 1",
        ],
    )
    instructions.column_dimensions["A"].width = 16
    instructions.column_dimensions["B"].width = 10
    instructions.column_dimensions["C"].width = 100

    sheet = workbook.create_sheet("Targets")
    append_row(sheet, ["code", "quantity", "unit", "target", "program"])
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
    for option in targets:
        append_row(
            sheet,
            [
                option.code,
                option.quantity,
                option.unit,
                option.text,
                f"{option.program_code} {option.program_title}",
            ],
        )
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["C"].width = 40
    sheet.column_dimensions["D"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
