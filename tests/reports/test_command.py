"""``cicte report``: each format through the command, and one-line errors on bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.factories import WorkPlanFactory


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "xlsx"])
def test_writes_each_format(scenario, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    stdout = io.StringIO()
    call_command(
        "report", plan="2012", period="2012-H1", fmt=fmt, lang="en", output=str(out), stdout=stdout
    )
    assert out.stat().st_size > 0
    assert "3 events held" in stdout.getvalue()
    if fmt == "xlsx":
        assert "Summary" in load_workbook(out).sheetnames


def test_default_output_name(scenario, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command(
        "report",
        plan="CICTE/doc.5/12 rev. 1",
        period="2012-H1",
        fmt="html",
        lang="es",
        stdout=io.StringIO(),
    )
    page = (tmp_path / "cicte-report-2012-H1-es.html").read_text(encoding="utf-8")
    assert "Resumen" in page


def test_letter_paper(scenario, tmp_path):
    out = tmp_path / "r.pdf"
    call_command(
        "report",
        plan="2012",
        period="2012-H1",
        fmt="pdf",
        paper="letter",
        output=str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF")


def test_no_events_in_period_is_not_an_error(scenario, tmp_path):
    out = tmp_path / "q4.html"
    call_command(
        "report", plan="2012", period="2012-Q4", fmt="html", output=str(out), stdout=io.StringIO()
    )
    assert "No events were held in this period." in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"plan": "1999", "period": "2012-H1"}, "No work plan '1999'"),
        ({"plan": "2012", "period": "2012-H3"}, "Unknown period '2012-H3'"),
        ({"plan": "2012", "period": "2013-H1"}, "outside the 2012 plan year"),
        (
            {"plan": "2012", "period": "2012-H1", "output": "/nonexistent/dir/r.pdf"},
            "no directory /nonexistent/dir",
        ),
    ],
)
def test_bad_input(scenario, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", fmt="html", stdout=io.StringIO(), **options)


def test_unwritable_output(scenario, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    target = locked / "r.html"
    try:
        target.write_text("probe")
    except OSError:
        pass
    else:  # root ignores directory permissions; /proc accepts no new files from anyone
        target = Path("/proc/cicte-report.html")
    try:
        with pytest.raises(CommandError, match="Cannot write the report"):
            call_command(
                "report",
                plan="2012",
                period="2012-H1",
                fmt="html",
                output=str(target),
                stdout=io.StringIO(),
            )
    finally:
        locked.chmod(0o700)


def test_output_is_a_directory(scenario, tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        call_command(
            "report",
            plan="2012",
            period="2012-H1",
            fmt="html",
            output=str(tmp_path),
            stdout=io.StringIO(),
        )


def test_cli_exit_code_and_one_line_error(db, capsys):
    from cicte.cli import main

    WorkPlanFactory(year=2012)
    with pytest.raises(SystemExit) as exc:
        main(["cicte", "report", "--plan", "2012", "--period", "2012-H3", "--format", "pdf"])
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("CommandError: Unknown period")
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1
