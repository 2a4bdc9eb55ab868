"""cicte import-plan / export-plan through the command line."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cicte.plan.models import Target, WorkPlan
from tests.conftest import PLAN_2012


def _export(fmt: str = "json") -> str:
    out = StringIO()
    call_command("export_plan", format=fmt, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_then_export_json_has_the_2012_figures():
    out, err = StringIO(), StringIO()
    call_command("import_plan", str(PLAN_2012), stdout=out, stderr=err)
    assert "5 work areas, 13 programs, 34 projects" in out.getvalue()
    assert "1.C.1" in err.getvalue()  # the warning: project without target
    data = json.loads(_export())
    assert data["symbol"] == "CICTE/doc.5/12 rev. 1"
    assert data["year"] == 2012
    assert len(data["mandates"]) == 10
    assert len(data["partners"]) == 49
    programs = [p for wa in data["work_areas"] for p in wa["programs"]]
    projects = [pr for p in programs for pr in p["projects"]]
    targets = [t for pr in projects for t in pr["targets"]]
    numeric = [t["quantity"] for t in targets if t["quantity"] is not None]
    assert (len(data["work_areas"]), len(programs), len(projects)) == (5, 13, 34)
    assert (len(numeric), sum(numeric)) == (38, 176)
    unfunded = {
        pr["code"]
        for pr in projects
        if any(t["funding"] == "to_be_identified" for t in pr["targets"])
    }
    assert len(unfunded) == 7
    partnership = next(p for p in programs if p["letter"] is None)
    assert partnership["code"] == "5.0"
    qualitative = partnership["projects"][0]["targets"][0]
    assert qualitative["quantity"] is None and qualitative["funding"] == "identified"


@pytest.mark.django_db
def test_round_trip_text_db_json_db_json(tmp_path: Path):
    call_command("import_plan", str(PLAN_2012), stdout=StringIO(), stderr=StringIO())
    first = _export()
    path = tmp_path / "plan.json"
    path.write_text(first, encoding="utf-8")
    call_command("import_plan", str(path), stdout=StringIO())
    assert _export() == first
    assert WorkPlan.objects.count() == 1


@pytest.mark.django_db
def test_yaml_round_trip(tmp_path: Path):
    call_command("import_plan", str(PLAN_2012), stdout=StringIO(), stderr=StringIO())
    first_json = _export()
    path = tmp_path / "plan.yaml"
    path.write_text(_export("yaml"), encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["year"] == 2012
    call_command("import_plan", str(path), stdout=StringIO())
    assert _export() == first_json


@pytest.mark.django_db
def test_export_xlsx(tmp_path: Path):
    call_command("import_plan", str(PLAN_2012), stdout=StringIO(), stderr=StringIO())
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", format="xlsx", output=str(path))
    workbook = load_workbook(path, read_only=True)
    assert {"Plan", "Mandates", "Structure", "Partners"} <= set(workbook.sheetnames)


BAD_INPUTS = {
    "empty.txt": b"",
    "blank.txt": b"   \n\n  \n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "latin1.txt": "Organización de los Estados Americanos\n".encode("latin-1"),
    "prose.txt": b"Dear colleagues,\nplease find attached the minutes of the meeting.\n",
    "bad.json": b'{"symbol": "X", "year": 2012,,}',
    "list.json": b"[1, 2, 3]",
    "schema.json": b'{"symbol": "X", "year": "twenty", "title": "t", "mandates": [],'
    b' "work_areas": [], "partners": []}',
    "bad.yaml": b"symbol: [unclosed\nyear: 2012\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_error_and_database_unchanged(name: str, tmp_path: Path, plan_2012):
    before = (WorkPlan.objects.count(), Target.objects.count(), plan_2012.title)
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    with pytest.raises(CommandError) as excinfo:
        call_command("import_plan", str(path), stdout=StringIO(), stderr=StringIO())
    message = str(excinfo.value)
    assert name in message and "\n" not in message
    plan_2012.refresh_from_db()
    assert (WorkPlan.objects.count(), Target.objects.count(), plan_2012.title) == before


@pytest.mark.django_db
def test_truncated_plan_is_refused(tmp_path: Path):
    text = PLAN_2012.read_text(encoding="utf-8")
    path = tmp_path / "truncated.txt"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(CommandError, match=r"truncated\.txt"):
        call_command("import_plan", str(path), stdout=StringIO(), stderr=StringIO())
    assert WorkPlan.objects.count() == 0


def test_missing_file_and_cli_exit_code(tmp_path: Path):
    import subprocess
    import sys

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "cicte.cli", "import-plan", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "no such file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_mandate_links_are_edited_through_the_canonical_file(tmp_path: Path):
    from cicte.plan.models import MandateClause

    call_command("import_plan", str(PLAN_2012), stdout=StringIO(), stderr=StringIO())
    data = json.loads(_export())
    clause = data["mandates"][0]["clauses"][0]
    clause["implemented_by"] = ["1.B", "3.A.5"]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_plan", str(path), stdout=StringIO())
    edited = MandateClause.objects.get(
        source__symbol=data["mandates"][0]["symbol"], paragraph=clause["paragraph"]
    )
    assert [p.code for p in edited.programs.all()] == ["1.B"]
    assert [p.code for p in edited.projects.all()] == ["3.A.5"]
    assert edited.history.count() >= 1
