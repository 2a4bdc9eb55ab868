"""Regressions (issue 10, items 8 and 9): hostile spreadsheets never write half and never
answer 500 or print a traceback — through the web upload and ``cicte import-events``.

Each case ends with a one-line error naming the problem (and the row) and an unchanged
database. (The events API records one event at a time; its bounds are in tests/api.)
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from cicte.delivery.models import Event
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS, SpreadsheetError, read_events

pytestmark = pytest.mark.django_db

HEADER = ",".join(REQUIRED_COLUMNS)
GOOD = "1.A.1.a,Workshop A,workshop,2012-03-05,2012-03-07,Kingston,JAM,JAM,30,12,18,CIP,held,1"
HUGE = "99999999999999999999"
HUGE_ROWS = {
    "participants": f"1.A.1.a,Big,workshop,2012-03-05,2012-03-07,,,,{HUGE},0,0,,held,1",
    "women": f"1.A.1.a,Big,workshop,2012-03-05,2012-03-07,,,,{HUGE},{HUGE},0,,held,1",
    "units": f"1.A.1.a,Big,workshop,2012-03-05,2012-03-07,,,,0,0,0,,held,{HUGE}",
    "target": f"1.A.1.a*{HUGE},Big,workshop,2012-03-05,2012-03-07,,,,0,0,0,,held,1",
}


def billion_laughs_xlsx() -> bytes:
    """A real workbook whose sheet XML declares nested entities (the "billion laughs")."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Events"
    sheet.append(list(REQUIRED_COLUMNS))
    buffer = io.BytesIO()
    workbook.save(buffer)
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    bomb = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<!DOCTYPE worksheet [{entities}]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = bomb.encode()
            target.writestr(item, data)
    return out.getvalue()


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


# --- the parser -----------------------------------------------------------------------------


def test_parser_refuses_xml_entities():
    with pytest.raises(SpreadsheetError, match="XML entit"):
        read_events(billion_laughs_xlsx())


@pytest.mark.parametrize("column", sorted(HUGE_ROWS))
def test_parser_bounds_numbers_to_what_the_database_stores(column):
    parsed = read_events(csv_bytes(GOOD, HUGE_ROWS[column]))
    assert [row.title for row in parsed.rows] == ["Workshop A"]
    (error,) = [e for e in parsed.errors if e.column == column]
    assert {e.row for e in parsed.errors} == {3}
    assert "2147483647" in error.reason and "\n" not in str(error)


# --- the web upload -------------------------------------------------------------------------


@pytest.fixture
def importer_client(client, officer):
    client.force_login(officer)
    return client


def _upload(client, plan, name, data, *, valid_only):
    fields = {"plan": plan.pk, "file": SimpleUploadedFile(name, data)}
    if valid_only:
        fields["valid_only"] = "on"
    return client.post(reverse("workspace:event-import"), fields)


@pytest.mark.parametrize("valid_only", [False, True])
def test_upload_of_an_entity_bomb(importer_client, plan, valid_only):
    response = _upload(
        importer_client, plan, "events.xlsx", billion_laughs_xlsx(), valid_only=valid_only
    )
    assert response.status_code == 200
    assert "XML entities" in response.text
    assert Event.objects.count() == 0


@pytest.mark.parametrize("valid_only", [False, True])
@pytest.mark.parametrize("column", sorted(HUGE_ROWS))
def test_upload_of_huge_numbers(importer_client, plan, column, valid_only):
    response = _upload(
        importer_client,
        plan,
        "events.csv",
        csv_bytes(HUGE_ROWS[column]),
        valid_only=valid_only,
    )
    assert response.status_code == 200
    assert "2147483647" in response.text
    assert Event.objects.count() == 0


# --- the command line -----------------------------------------------------------------------


def _command(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_events", str(path), "--plan", "2012", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_refuses_an_entity_bomb(plan, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(billion_laughs_xlsx())
    with pytest.raises(CommandError) as raised:
        _command(path, "--valid-only")
    message = str(raised.value)
    assert "XML entities" in message and "\n" not in message
    assert Event.objects.count() == 0


@pytest.mark.parametrize("column", sorted(HUGE_ROWS))
def test_command_with_huge_numbers_and_valid_only(plan, tmp_path, column):
    path = tmp_path / "huge.csv"
    path.write_bytes(csv_bytes(HUGE_ROWS[column]))
    out, err = _command(path, "--valid-only")
    assert "0 created" in out and "1 row(s) with errors" in out
    assert err.startswith("row 2: ") and "2147483647" in err and "Traceback" not in err
    assert Event.objects.count() == 0


def test_command_names_the_row_and_column(plan, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(csv_bytes(GOOD, HUGE_ROWS["participants"]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_events", str(path), "--plan", "2012", stdout=io.StringIO(), stderr=err)
    (line,) = err.getvalue().splitlines()
    assert line.startswith("row 3: participants") and "2147483647" in line
    assert Event.objects.count() == 0


def test_parser_refuses_entities_even_past_the_archive_scan(monkeypatch):
    """The DOCTYPE scan reads the start of each part; defusedxml (used by openpyxl) is the
    second line of defence, and its refusal gets the same message."""
    from cicte.delivery.parsing import spreadsheet

    monkeypatch.setattr(spreadsheet, "check_xlsx_archive", lambda data: None)
    with pytest.raises(SpreadsheetError, match="declares XML entities"):
        read_events(billion_laughs_xlsx())


def test_parser_refuses_a_zip_bomb(monkeypatch):
    from cicte.delivery.parsing import spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNPACKED_BYTES", 1000)
    with pytest.raises(SpreadsheetError, match="unpacks to more than"):
        read_events(billion_laughs_xlsx())
