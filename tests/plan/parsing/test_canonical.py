"""The canonical JSON / YAML format: round trips, schema errors, syntax errors, files."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cicte.plan.parsing.canonical import (
    dumps_json,
    dumps_yaml,
    json_path,
    load_plan_bytes,
    load_plan_file,
    loads_json,
    loads_yaml,
    plan_from_dict,
    plan_schema,
    plan_to_dict,
)
from cicte.plan.parsing.text import parse_plan_text
from cicte.plan.parsing.types import (
    MandateClauseData,
    MandateSourceData,
    PartnerData,
    PlanDocument,
    PlanParseError,
    ProgramData,
    ProjectData,
    SubparagraphData,
    TargetData,
    WorkAreaData,
)

FIXTURES = Path(__file__).resolve().parents[3] / "src/cicte/plan/fixtures"
REPO = Path(__file__).resolve().parents[3]
PLAN_2012 = FIXTURES / "2012-work-plan.txt"


@pytest.fixture(scope="module")
def plan() -> PlanDocument:
    return parse_plan_text(PLAN_2012.read_text(encoding="utf-8")).plan


@pytest.fixture
def data(plan: PlanDocument) -> dict[str, Any]:
    return plan_to_dict(plan)


def minimal_data() -> dict[str, Any]:
    return {
        "symbol": "CICTE/doc.4/13",
        "year": 2013,
        "title": "2013 Work Plan",
        "mandates": [],
        "work_areas": [
            {
                "number": 1,
                "title": "BORDER CONTROLS",
                "programs": [
                    {
                        "letter": "A",
                        "code": "1.A",
                        "title": "MARITIME SECURITY",
                        "projects": [
                            {
                                "number": 1,
                                "code": "1.A.1",
                                "title": "Port security",
                                "targets": [
                                    {
                                        "code": "1.A.1.a",
                                        "quantity": 3,
                                        "unit": "Workshops",
                                        "text": "3 Workshops",
                                    }
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
        "partners": [],
    }


def reject(data: dict[str, Any]) -> str:
    with pytest.raises(PlanParseError) as info:
        plan_from_dict(data)
    return str(info.value)


# --- round trips --------------------------------------------------------------------------


def test_dict_round_trip_is_lossless(plan: PlanDocument) -> None:
    assert plan_from_dict(plan_to_dict(plan)) == plan


def test_json_round_trip_is_byte_identical(plan: PlanDocument) -> None:
    text = dumps_json(plan)
    assert loads_json(text) == plan
    assert dumps_json(loads_json(text)) == text


def test_yaml_round_trip(plan: PlanDocument) -> None:
    text = dumps_yaml(plan)
    assert loads_yaml(text) == plan
    assert dumps_yaml(loads_yaml(text)) == text


def test_json_layout(plan: PlanDocument) -> None:
    text = dumps_json(plan)
    assert text.endswith("}\n")
    assert text.startswith('{\n  "format_version": 1,\n  "symbol": "CICTE/doc.5/12 rev. 1",')
    assert "“Stakeholder”" in text  # ensure_ascii=False
    assert list(json.loads(text)) == [
        "format_version",
        "symbol",
        "year",
        "title",
        "series",
        "session",
        "session_date",
        "place",
        "approval_date",
        "issue_date",
        "original_language",
        "preamble",
        "mandates",
        "work_areas",
        "partners",
    ]
    assert dumps_json(plan) == text  # stable


def test_yaml_layout(plan: PlanDocument) -> None:
    text = dumps_yaml(plan)
    assert text.startswith("format_version: 1\nsymbol: CICTE/doc.5/12 rev. 1\nyear: 2012\n")
    assert "session_date: '2012-03-07'" in text
    assert "“Stakeholder”" in text  # allow_unicode


def test_dict_uses_json_types_only(data: dict[str, Any]) -> None:
    assert json.loads(json.dumps(data)) == data
    assert data["session_date"] == "2012-03-07"
    first_target = data["work_areas"][0]["programs"][0]["projects"][0]["targets"][0]
    assert first_target == {
        "code": "1.A.1.a",
        "quantity": 18,
        "unit": "Training needs assessments in ports in the Hemisphere",
        "text": "Training needs assessments in 18 ports in the Hemisphere",
        "funding": "identified",
    }
    assert data["work_areas"][4]["programs"][0]["letter"] is None
    assert data["work_areas"][4]["programs"][0]["projects"][0]["number"] is None


def test_the_parsed_2012_plan_validates_against_the_schema(data: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(plan_schema())
    jsonschema.Draft202012Validator(plan_schema()).validate(data)


def test_minimal_document_gets_the_defaults() -> None:
    plan = plan_from_dict(minimal_data())
    assert plan.series == ""
    assert plan.session_date is None
    assert plan.original_language == "en"
    assert plan.work_areas[0].programs[0].projects[0].targets[0].funding == "identified"


# --- schema and consistency errors name the JSON path -------------------------------------


def test_wrong_type_names_the_path(data: dict[str, Any]) -> None:
    data["work_areas"][2]["programs"][1]["projects"][0]["targets"][2]["quantity"] = "x"
    assert reject(data) == (
        "work_areas[2].programs[1].projects[0].targets[2].quantity: 'x' is not of type 'integer'"
    )


def test_missing_top_level_field(data: dict[str, Any]) -> None:
    del data["symbol"]
    assert reject(data) == "(top level): 'symbol' is a required property"


def test_unknown_field(data: dict[str, Any]) -> None:
    data["partners"][3]["colour"] = "blue"
    assert reject(data).startswith("partners[3]: Additional properties are not allowed")


def test_bad_enum(data: dict[str, Any]) -> None:
    data["mandates"][0]["kind"] = "treaty"
    assert reject(data).startswith("mandates[0].kind: 'treaty' is not one of")


def test_bad_date(data: dict[str, Any]) -> None:
    data["issue_date"] = "2012-02-30"
    assert reject(data).startswith("issue_date: '2012-02-30'")
    data["issue_date"] = "9 March 2012"
    assert reject(data).startswith("issue_date: ")


def test_duplicate_code_is_named(data: dict[str, Any]) -> None:
    projects = data["work_areas"][0]["programs"][1]["projects"]
    projects[1]["code"] = projects[0]["code"]
    message = reject(data)
    assert "duplicate code '1.B.1'" in message
    assert message.startswith("work_areas[0].programs[1].projects[1].code")


def test_duplicate_code_across_levels(data: dict[str, Any]) -> None:
    data["work_areas"][1]["programs"][0]["projects"][0]["targets"][0]["code"] = "1.A"
    assert "duplicate code '1.A'" in reject(data)


def test_link_to_unknown_code(data: dict[str, Any]) -> None:
    data["mandates"][0]["clauses"][0]["implemented_by"] = ["9.Z"]
    assert reject(data) == (
        "mandates[0].clauses[0].implemented_by[0]: '9.Z' is not the code of a program or "
        "project of this plan"
    )


def test_not_a_mapping() -> None:
    with pytest.raises(PlanParseError, match="mapping"):
        plan_from_dict([])  # type: ignore[arg-type]


def test_json_path_formatting() -> None:
    assert json_path([]) == "(top level)"
    assert json_path(["work_areas", 0, "programs", 1, "code"]) == "work_areas[0].programs[1].code"


# --- syntax errors ------------------------------------------------------------------------


def test_json_syntax_error_has_the_line(plan: PlanDocument) -> None:
    lines = dumps_json(plan).splitlines()
    lines[6] = lines[6].rstrip(",")  # drop a comma on line 7
    with pytest.raises(PlanParseError) as info:
        loads_json("\n".join(lines))
    assert info.value.line == 8
    assert "invalid JSON" in info.value.message


def test_json_duplicate_key() -> None:
    with pytest.raises(PlanParseError, match="appears twice"):
        loads_json('{"symbol": "a", "symbol": "b"}')


@pytest.mark.parametrize("text", ["[]", "[1, 2]", '"plan"', "3", "null"])
def test_json_top_level_must_be_an_object(text: str) -> None:
    with pytest.raises(PlanParseError, match="mapping"):
        loads_json(text)


def test_yaml_syntax_error_has_the_line() -> None:
    text = "symbol: CICTE/doc.4/13\nyear: 2013\ntitle: [unclosed\nmandates: []\n"
    with pytest.raises(PlanParseError) as info:
        loads_yaml(text)
    assert info.value.line is not None
    assert info.value.line >= 3
    assert "invalid YAML" in info.value.message


def test_yaml_bad_indentation_line() -> None:
    text = "symbol: x\nyear: 2013\n  title: y\n"
    with pytest.raises(PlanParseError) as info:
        loads_yaml(text)
    assert info.value.line == 3


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just a string\n", "42\n"])
def test_yaml_top_level_must_be_a_mapping(text: str) -> None:
    with pytest.raises(PlanParseError, match="mapping"):
        loads_yaml(text)


def test_yaml_aliases_are_refused() -> None:
    text = "symbol: &s CICTE/doc.4/13\nyear: 2013\ntitle: *s\n"
    with pytest.raises(PlanParseError, match="aliases") as info:
        loads_yaml(text)
    assert info.value.line == 3


def test_yaml_unquoted_dates_are_accepted() -> None:
    data = minimal_data()
    text = dumps_yaml(plan_from_dict(data)).replace(
        "session_date: null", "session_date: 2013-03-01"
    )
    assert loads_yaml(text).session_date == dt.date(2013, 3, 1)


def test_yaml_schema_errors_name_the_path() -> None:
    text = dumps_yaml(plan_from_dict(minimal_data())).replace("quantity: 3", "quantity: three")
    with pytest.raises(PlanParseError, match=r"targets\[0\]\.quantity: 'three' is not of type"):
        loads_yaml(text)


# --- files --------------------------------------------------------------------------------


def test_load_plan_file_dispatches_on_extension(plan: PlanDocument, tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text(dumps_json(plan), encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(dumps_yaml(plan), encoding="utf-8")
    (tmp_path / "plan.YML").write_text(dumps_yaml(plan), encoding="utf-8")
    assert load_plan_file(PLAN_2012).plan == plan
    assert len(load_plan_file(PLAN_2012).warnings) == 1
    for name in ("plan.json", "plan.yaml", "plan.YML"):
        result = load_plan_file(tmp_path / name)
        assert result.plan == plan
        assert result.warnings == []
    assert load_plan_file(str(tmp_path / "plan.json")).plan == plan


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(b"whatever")
    with pytest.raises(PlanParseError, match="unsupported plan file type"):
        load_plan_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanParseError, match="cannot read"):
        load_plan_file(tmp_path / "absent.json")


def test_byte_order_mark_is_accepted(plan: PlanDocument) -> None:
    data = b"\xef\xbb\xbf" + dumps_json(plan).encode("utf-8")
    assert load_plan_bytes(data, filename="plan.json").plan == plan


def test_schema_symlink_in_docs_points_at_the_package_schema() -> None:
    link = REPO / "docs" / "schemas" / "plan.schema.json"
    if not link.exists():
        pytest.skip("docs/ not present")
    assert link.is_symlink()
    assert json.loads(link.read_text(encoding="utf-8")) == plan_schema()


# --- property: any well-formed plan survives both formats ---------------------------------

characters = st.characters(exclude_categories=["Cs"])  # any character but lone surrogates
texts = st.text(characters, max_size=30)
optional_texts = st.none() | st.text(characters, min_size=1)
dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def documents(draw: st.DrawFn) -> PlanDocument:
    work_areas = []
    for number in range(1, draw(st.integers(0, 3)) + 1):
        area = WorkAreaData(number, draw(texts.filter(bool)))
        for letter in draw(st.lists(st.sampled_from("ABC"), unique=True, max_size=3)):
            program = ProgramData(f"{number}.{letter}", letter, draw(texts.filter(bool)))
            for project_number in range(1, draw(st.integers(0, 3)) + 1):
                code = f"{program.code}.{project_number}"
                targets = [
                    TargetData(
                        f"{code}.{'abcd'[index]}",
                        draw(st.none() | st.integers(0, 10_000)),
                        draw(texts),
                        draw(texts),
                        draw(st.sampled_from(["identified", "to_be_identified"])),
                    )
                    for index in range(draw(st.integers(0, 4)))
                ]
                program.projects.append(
                    ProjectData(code, project_number, draw(texts.filter(bool)), targets)
                )
            area.programs.append(program)
        work_areas.append(area)
    codes = [p.code for a in work_areas for p in a.programs]
    clause = MandateClauseData(
        draw(st.sampled_from(["", "5", "11"])),
        draw(texts),
        [SubparagraphData(letter, draw(texts), draw(st.booleans())) for letter in "ab"],
        draw(st.lists(st.sampled_from(codes), unique=True)) if codes else [],
    )
    return PlanDocument(
        symbol=draw(texts.filter(bool)),
        year=draw(st.integers(1900, 2200)),
        title=draw(texts.filter(bool)),
        series=draw(texts),
        session=draw(texts),
        session_date=draw(dates),
        place=draw(texts),
        approval_date=draw(dates),
        issue_date=draw(dates),
        original_language=draw(st.sampled_from(["en", "es", "fr", "pt"])),
        preamble=draw(texts),
        mandates=[MandateSourceData("ga_resolution", "AG/RES. 1 (I-O/71)", draw(texts), [clause])],
        work_areas=work_areas,
        partners=[
            PartnerData(
                draw(texts.filter(bool)),
                draw(optional_texts),
                draw(
                    st.sampled_from(["oas_general_secretariat", "inter_american", "international"])
                ),
                draw(optional_texts),
            )
        ],
    )


@settings(max_examples=60, deadline=None)
@given(documents())
def test_any_plan_round_trips_through_json_and_yaml(plan: PlanDocument) -> None:
    original = copy.deepcopy(plan)
    assert plan_from_dict(plan_to_dict(plan)) == original
    assert loads_json(dumps_json(plan)) == original
    assert loads_yaml(dumps_yaml(plan)) == original
    assert dumps_json(loads_json(dumps_json(plan))) == dumps_json(plan)
