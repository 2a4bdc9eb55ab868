"""The commands: import-events, events-template, export-events (via call_command)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cicte.delivery.models import Event
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS

pytestmark = pytest.mark.django_db

HEADER = ",".join(REQUIRED_COLUMNS)
GOOD = "1.A.1.a,Workshop A,workshop,2012-03-05,2012-03-07,Kingston,JAM,JAM,30,12,18,CIP,held,1"
BAD = "1.A.1.a,Workshop B,workshop,2012-03-05,2012-03-01,,,,10,6,6,,held,1"


def write(tmp_path, *lines, name="events.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_events(plan, tmp_path):
    out, _err = call("import_events", str(write(tmp_path, GOOD)), "--plan", "2012")
    assert "1 created" in out
    assert Event.objects.get().title == "Workshop A"
    out, _err = call("import_events", str(write(tmp_path, GOOD)), "--plan", "2012")
    assert "0 created, 0 updated, 1 unchanged" in out
    assert Event.objects.count() == 1


def test_import_events_reports_rows_and_fails(plan, tmp_path):
    path = write(tmp_path, GOOD, BAD)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_events", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "row 3: end_date 2012-03-01 is before start_date 2012-03-05" in lines
    assert "row 3: women + men (6 + 6) exceed participants (10)" in lines
    assert Event.objects.count() == 0


def test_import_events_valid_only_and_dry_run(plan, tmp_path):
    path = write(tmp_path, GOOD, BAD)
    with pytest.raises(CommandError):
        call("import_events", str(path), "--dry-run")
    out, _ = call("import_events", str(write(tmp_path, GOOD, name="good.csv")), "--dry-run")
    assert "Dry run" in out and Event.objects.count() == 0
    out, err = call("import_events", str(path), "--valid-only")
    assert "1 created" in out and "row 3:" in err
    assert Event.objects.count() == 1


def test_import_events_bad_files(plan, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call("import_events", str(tmp_path / "missing.xlsx"))
    pdf = tmp_path / "x.xlsx"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="not a spreadsheet"):
        call("import_events", str(pdf))
    with pytest.raises(CommandError, match="No work plan '1999'"):
        call("import_events", str(write(tmp_path, GOOD)), "--plan", "1999")


def test_import_events_size_limit(plan, tmp_path, settings):
    settings.CICTE_MAX_UPLOAD_BYTES = 50
    with pytest.raises(CommandError, match="the limit is 50 bytes"):
        call("import_events", str(write(tmp_path, GOOD)))


def test_template_and_export_round_trip(plan, tmp_path):
    template = tmp_path / "template.xlsx"
    out, _ = call("events_template", "-o", str(template), "--plan", "2012")
    assert "4 target codes" in out
    workbook = load_workbook(template)
    assert [c.value for c in workbook["Events"][1]][: len(REQUIRED_COLUMNS)] == list(
        REQUIRED_COLUMNS
    )
    validations = workbook["Events"].data_validations.dataValidation
    assert any("held" in (v.formula1 or "") for v in validations)
    assert any("workshop" in (v.formula1 or "") for v in validations)

    call("import_events", str(write(tmp_path, GOOD)))
    for file_format in ("xlsx", "csv"):
        output = tmp_path / f"export.{file_format}"
        out, _ = call("export_events", "--plan", "2012", "--format", file_format, "-o", str(output))
        assert "Wrote 1 event(s)" in out
        out, _ = call("import_events", str(output))
        assert "0 created, 0 updated, 1 unchanged" in out
    with pytest.raises(CommandError, match="Unknown period"):
        call("export_events", "--plan", "2012", "--period", "soon", "-o", str(tmp_path / "x.csv"))
