"""Regression (issue 10, item 9): the events exports (web and ``cicte export-events``) wrote
titles such as ``=HYPERLINK("http://evil.example","x")`` verbatim, and the XLSX turned them
into live formulas. Now they go through ``cicte.core.exports``; re-importing an export gives
the original text back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cicte.core.exports import FORMULA_PREFIXES
from cicte.delivery.models import Event, EventStatus
from cicte.delivery.parsing.spreadsheet import read_events
from cicte.delivery.services import event_record

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def hostile_event(plan, officer):
    return event_record(
        actor=officer,
        plan=plan,
        kind="workshop",
        title=HOSTILE,
        start_date=dt.date(2012, 3, 5),
        end_date=dt.date(2012, 3, 7),
        targets=[(plan.targets.get(code="1.A.1.a"), 1)],
        status=EventStatus.HELD,
        city="@Kingston",
        notes="-cmd|' /C calc'!A0",
    )


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_web_csv_export_escapes_formulas(client, officer, plan, hostile_event):
    client.force_login(officer)
    response = client.get(reverse("workspace:event-export"), {"plan": plan.pk, "format": "csv"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    header, row = _csv_cells(body)
    assert row[header.index("title")] == "'" + HOSTILE
    assert row[header.index("city")] == "'@Kingston"
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in row)


def test_web_xlsx_export_writes_strings_not_formulas(client, officer, plan, hostile_event):
    client.force_login(officer)
    response = client.get(reverse("workspace:event-export"), {"plan": plan.pk, "format": "xlsx"})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body))["Events"]
    cells = next(iter(sheet.iter_rows(min_row=2)))
    assert all(cell.data_type != "f" for cell in cells)
    assert cells[1].value == "'" + HOSTILE and cells[1].data_type == "s"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_command_export_is_safe_and_reimports_the_original(
    plan, hostile_event, tmp_path, file_format
):
    path = tmp_path / f"events.{file_format}"
    call_command("export_events", "--plan", "2012", "-o", str(path), stdout=io.StringIO())
    data = path.read_bytes()
    if file_format == "csv":
        assert not any(c.startswith(FORMULA_PREFIXES) for row in _csv_cells(data) for c in row)
    else:
        workbook = load_workbook(io.BytesIO(data))
        assert all(c.data_type != "f" for row in workbook["Events"].iter_rows() for c in row)
    (row,) = read_events(data).rows
    assert (row.title, row.city, row.notes) == (HOSTILE, "@Kingston", "-cmd|' /C calc'!A0")
    assert Event.objects.get().title == HOSTILE
