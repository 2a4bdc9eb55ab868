"""cicte progress through call_command: JSON parsed and checked, table aligned, bad input."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

D = dt.date


@pytest.fixture
def data(tree, make_target, make_event):
    four = make_target("1.A.1.a", 4)
    make_target("1.A.2.q", None, project=1)
    make_target("2.A.1.u", 3, project=2, funding="to_be_identified")
    make_event([four], D(2012, 3, 10))
    make_event([four], D(2012, 5, 10), status="planned")
    make_event({four: 2}, D(2012, 8, 10))
    return tree


def run(*args: str) -> str:
    out = StringIO()
    call_command("progress", *args, stdout=out)
    return out.getvalue()


def test_json(data):
    result = json.loads(run("--plan", "2012", "--period", "2012-H1", "--format", "json"))
    assert result["period"] == {"label": "2012-H1", "start": "2012-01-01", "end": "2012-06-30"}
    assert result["plan"]["year"] == 2012
    targets = {t["code"]: t for t in result["targets"]}
    assert {k: targets["1.A.1.a"][k] for k in ("quantity", "delivered", "planned", "percent")} == {
        "quantity": 4,
        "delivered": 1,
        "planned": 1,
        "percent": 25.0,
    }
    assert (targets["1.A.1.a"]["status"], targets["1.A.1.a"]["kind"]) == ("behind", "quantitative")
    assert (targets["1.A.2.q"]["percent"], targets["1.A.2.q"]["status"]) == (None, "qualitative")
    assert (targets["2.A.1.u"]["percent"], targets["2.A.1.u"]["kind"]) == (None, "unfunded")
    assert [p["code"] for p in result["projects"]] == ["1.A.1", "1.A.2", "2.A.1"]
    assert [g["code"] for g in result["programs"]] == ["1.A", "2.A"]
    assert [(w["number"], w["percent"]) for w in result["work_areas"]] == [(1, 25.0), (2, None)]
    totals = result["plan_totals"]
    assert (totals["quantity"], totals["delivered"], totals["percent"]) == (4, 1, 25.0)
    assert (totals["qualitative"], totals["unfunded"]) == (1, 1)


def test_json_whole_year_and_filters(data):
    result = json.loads(run("--plan", "2012", "--format", "json"))
    assert result["period"]["label"] == "2012"
    assert result["targets"][0]["delivered"] == 3
    only = json.loads(run("--plan", "2012", "--work-area", "2", "--format", "json"))
    assert [t["code"] for t in only["targets"]] == ["2.A.1.u"]
    program = json.loads(run("--program", "1.A", "--format", "json"))
    assert [t["code"] for t in program["targets"]] == ["1.A.1.a", "1.A.2.q"]


def test_table(data):
    text = run("--plan", "2012", "--period", "2012-H2")
    lines = text.splitlines()
    assert "period 2012-H2" in lines[0]
    header = next(line for line in lines if line.startswith("code"))
    row = next(line for line in lines if line.startswith("1.A.1.a"))
    assert row.split() == ["1.A.1.a", "4", "2", "0", "50.0", "behind", "quantitative"]
    # aligned: the percent column ends where its header ends
    assert row.index("50.0") + 4 == header.index("percent") + len("percent")
    assert "Work areas" in text and "Targets by status:" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "1999"], "No work plan '1999'"),
        (["--plan", "2012", "--period", "2012-H3"], "Unknown period '2012-H3'"),
        (["--plan", "2012", "--period", "2012-02-30..2012-03-01"], "Invalid date"),
        (["--plan", "2012", "--work-area", "9"], "no work area 9"),
        (["--plan", "2012", "--program", "9.Z"], "no program '9.Z'"),
        (["--plan", "2012", "--member-state", "XYZ"], "Unknown member state"),
    ],
)
def test_bad_input(data, args, message):
    with pytest.raises(CommandError, match=message) as info:
        run(*args)
    assert "\n" not in str(info.value)


def test_no_plan_at_all(db):
    with pytest.raises(CommandError, match="No work plan in the database"):
        run()
