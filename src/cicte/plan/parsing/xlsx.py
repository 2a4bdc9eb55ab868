"""Export a Work Plan to an XLSX workbook (openpyxl). Export only: plans are not imported
from spreadsheets.

Sheets: ``Plan`` (metadata, one field per row), ``Mandates`` (one row per clause),
``Structure`` (one row per target, with its work area, program and project; a project
without targets gets one row with empty target cells) and ``Partners``. Each sheet has a
bold, frozen header row, an auto-filter and fixed column widths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cicte.core.exports import append_row

from .types import MandateSourceData, PlanDocument, ProjectData, SubparagraphData

CellValue = str | int | dt.date | None
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    wrap: bool = False


@dataclass(frozen=True)
class SheetSpec:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[CellValue]]


def plan_to_xlsx(plan: PlanDocument, stream: IO[bytes]) -> None:
    """Write ``plan`` as an XLSX workbook to a binary stream (file, BytesIO, response)."""
    workbook = Workbook()
    default_sheet = workbook.active
    if default_sheet is not None:
        workbook.remove(default_sheet)
    for spec in _sheets(plan):
        _write_sheet(workbook.create_sheet(spec.title), spec)
    workbook.save(stream)


def _sheets(plan: PlanDocument) -> list[SheetSpec]:
    return [
        SheetSpec("Plan", (Column("Field", 20), Column("Value", 100, wrap=True)), _plan_rows(plan)),
        SheetSpec("Mandates", MANDATE_COLUMNS, _mandate_rows(plan.mandates)),
        SheetSpec("Structure", STRUCTURE_COLUMNS, _structure_rows(plan)),
        SheetSpec(
            "Partners",
            (
                Column("Group", 26),
                Column("Name", 70, wrap=True),
                Column("Acronym", 14),
                Column("Parent", 50, wrap=True),
                Column("Units", 70, wrap=True),
            ),
            ([p.group, p.name, p.acronym, p.parent, "; ".join(p.units)] for p in plan.partners),
        ),
    ]


def _plan_rows(plan: PlanDocument) -> list[list[CellValue]]:
    return [
        ["symbol", plan.symbol],
        ["series", plan.series],
        ["year", plan.year],
        ["title", plan.title],
        ["session", plan.session],
        ["session_date", plan.session_date],
        ["place", plan.place],
        ["approval_date", plan.approval_date],
        ["issue_date", plan.issue_date],
        ["original_language", plan.original_language],
        ["preamble", plan.preamble],
    ]


MANDATE_COLUMNS = (
    Column("Kind", 18),
    Column("Symbol", 26),
    Column("Source title", 50, wrap=True),
    Column("Paragraph", 10),
    Column("Text", 80, wrap=True),
    Column("Subparagraphs", 80, wrap=True),
    Column("Implemented by", 30, wrap=True),
)


def _mandate_rows(mandates: list[MandateSourceData]) -> Iterator[list[CellValue]]:
    for source in mandates:
        for clause in source.clauses:
            yield [
                source.kind,
                source.symbol,
                source.title,
                clause.paragraph,
                clause.text,
                "\n".join(_subparagraph_line(sub) for sub in clause.subparagraphs),
                ", ".join(clause.implemented_by),
            ]


def _subparagraph_line(sub: SubparagraphData) -> str:
    text = sub.text or "..."
    note = "" if sub.relevant else " [not relevant to the CICTE Secretariat]"
    return f"{sub.letter}. {text}{note}"


STRUCTURE_COLUMNS = (
    Column("Work area", 10),
    Column("Work area title", 36, wrap=True),
    Column("Program", 9),
    Column("Program title", 36, wrap=True),
    Column("Project", 9),
    Column("Project title", 60, wrap=True),
    Column("Target", 11),
    Column("Quantity", 10),
    Column("Unit", 36, wrap=True),
    Column("Target text", 60, wrap=True),
    Column("Funding", 17),
)


def _structure_rows(plan: PlanDocument) -> Iterator[list[CellValue]]:
    for work_area in plan.work_areas:
        for program in work_area.programs:
            for project in program.projects:
                head: list[CellValue] = [
                    work_area.number,
                    work_area.title,
                    program.code,
                    program.title,
                    project.code,
                    project.title,
                ]
                for target_cells in _target_cells(project):
                    yield [*head, *target_cells]


def _target_cells(project: ProjectData) -> list[list[CellValue]]:
    if not project.targets:
        return [[None, None, None, None, None]]
    return [
        [target.code, target.quantity, target.unit, target.text, target.funding]
        for target in project.targets
    ]


def _write_sheet(sheet: Worksheet, spec: SheetSpec) -> None:
    append_row(sheet, [column.header for column in spec.columns], bold=True)
    for values in spec.rows:
        append_row(sheet, values)  # text escaped and typed as strings, never formulas
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            _format(cell, wrap=column.wrap)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _format(cell: Any, *, wrap: bool) -> None:
    if isinstance(cell.value, dt.date):
        cell.number_format = DATE_FORMAT
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
