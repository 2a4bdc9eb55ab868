"""XLSX export of a plan."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cicte.plan.parsing.text import parse_plan_text
from cicte.plan.parsing.types import PlanDocument
from cicte.plan.parsing.xlsx import plan_to_xlsx

PLAN_2012 = Path(__file__).resolve().parents[3] / "src/cicte/plan/fixtures/2012-work-plan.txt"


@pytest.fixture(scope="module")
def plan() -> PlanDocument:
    return parse_plan_text(PLAN_2012.read_text(encoding="utf-8")).plan


def export(plan: PlanDocument) -> Workbook:
    stream = io.BytesIO()
    plan_to_xlsx(plan, stream)
    stream.seek(0)
    return load_workbook(stream)


def rows(workbook: Workbook, sheet: str) -> list[list[object]]:
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


def test_sheets_and_headers(plan: PlanDocument) -> None:
    workbook = export(plan)
    assert workbook.sheetnames == ["Plan", "Mandates", "Structure", "Partners"]
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 9


def test_plan_sheet(plan: PlanDocument) -> None:
    values = {row[0]: row[1] for row in rows(export(plan), "Plan")[1:]}
    assert values["symbol"] == "CICTE/doc.5/12 rev. 1"
    assert values["year"] == 2012
    assert values["session_date"] == dt.datetime(2012, 3, 7)


def test_mandates_sheet_has_one_row_per_clause(plan: PlanDocument) -> None:
    body = rows(export(plan), "Mandates")[1:]
    assert len(body) == 12
    (row,) = [row for row in body if row[1] == "AG/RES. 2619 (XLI-O/11)"]
    assert row[3] == "4"
    assert isinstance(row[5], str)
    assert "c. ... [not relevant to the CICTE Secretariat]" in row[5]
    assert "1.B" in str(row[6])


def test_structure_sheet_has_one_row_per_target(plan: PlanDocument) -> None:
    header, *body = rows(export(plan), "Structure")
    assert header[:7] == [
        "Work area",
        "Work area title",
        "Program",
        "Program title",
        "Project",
        "Project title",
        "Target",
    ]
    assert len(body) == 46 + 1  # 46 targets and project 1.C.1, which has none
    (empty,) = [row for row in body if row[4] == "1.C.1"]
    assert empty[6:] == [None] * 5
    first = body[0]
    assert first[:3] == [1, "BORDER CONTROLS", "1.A"]
    assert first[6:9] == ["1.A.1.a", 18, "Training needs assessments in ports in the Hemisphere"]
    assert sum(row[7] for row in body if isinstance(row[7], int)) == 176


def test_partners_sheet(plan: PlanDocument) -> None:
    body = rows(export(plan), "Partners")[1:]
    assert len(body) == len(plan.partners)
    assert body[1] == [
        "oas_general_secretariat",
        "Secretariat for Administration and Finance",
        "SAF",
        None,
        "Office of Information and Technology Services",
    ]


def test_text_is_never_a_formula_and_control_characters_are_dropped(plan: PlanDocument) -> None:
    doctored = parse_plan_text(PLAN_2012.read_text(encoding="utf-8")).plan
    doctored.work_areas[0].title = '=HYPERLINK("http://example.invalid")'
    doctored.preamble = "bell\x07 here"
    workbook = export(doctored)
    cell = workbook["Structure"]["B2"]
    assert cell.data_type == "s"
    # the export rule (cicte.core.exports): a quote in front, so no spreadsheet runs it
    assert cell.value == '\'=HYPERLINK("http://example.invalid")'
    values = {row[0]: row[1] for row in rows(workbook, "Plan")[1:]}
    assert values["preamble"] == "bell here"
