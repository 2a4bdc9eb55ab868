"""Input that is not a Work Plan, or not a whole one, is refused with PlanParseError."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cicte.plan.parsing.canonical import load_plan_bytes, load_plan_file, loads_json
from cicte.plan.parsing.text import parse_plan_text
from cicte.plan.parsing.types import ParseResult, PlanParseError

PLAN_2012 = Path(__file__).resolve().parents[3] / "src/cicte/plan/fixtures/2012-work-plan.txt"
TEXT_2012 = PLAN_2012.read_text(encoding="utf-8")
LINES_2012 = TEXT_2012.split("\n")

PROSE = """It was a bright cold day in April, and the clocks were striking thirteen.
Winston Smith, his chin nuzzled into his breast in an effort to escape the vile wind,
slipped quickly through the glass doors of Victory Mansions.

1. A numbered line
A. A lettered line
"""


def parse_error(text: str) -> PlanParseError:
    with pytest.raises(PlanParseError) as info:
        parse_plan_text(text)
    return info.value


def line_of(fragment: str) -> int:
    """1-based number of the first line of the 2012 text containing ``fragment``."""
    return next(n for n, line in enumerate(LINES_2012, start=1) if fragment in line)


def replace_line(fragment: str, new: str | None) -> str:
    lines = list(LINES_2012)
    index = line_of(fragment) - 1
    if new is None:
        del lines[index]
    else:
        lines[index] = new
    return "\n".join(lines)


# --- empty, binary, wrong encoding --------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n \x0c"])
def test_empty_or_whitespace(text: str) -> None:
    error = parse_error(text)
    assert error.message == "the document is empty"
    assert error.line is None


def test_not_a_string() -> None:
    with pytest.raises(TypeError):
        parse_plan_text(b"CICTE")  # type: ignore[arg-type]


@pytest.mark.parametrize("suffix", [".txt", ".json", ".yaml"])
def test_binary_bytes_are_refused(suffix: str) -> None:
    data = b"first line\nsecond\x00line\n\x01\x02"
    with pytest.raises(PlanParseError, match="binary") as info:
        load_plan_bytes(data, filename=f"plan{suffix}")
    assert info.value.line == 2


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(PlanParseError, match="binary"):
        load_plan_file(path)


def test_latin_1_bytes_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    text = TEXT_2012.replace("Original: English", "Original: Español")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    with pytest.raises(PlanParseError, match="not UTF-8") as info:
        load_plan_file(path)
    # "ñ" is the first byte that is not UTF-8 (the typographic quotes, which Latin-1
    # cannot hold, became "?" and come later anyway).
    assert info.value.line == line_of("Original:")


def test_latin_1_json_is_refused_with_the_line() -> None:
    data = '{\n  "symbol": "x",\n  "title": "Año"\n}\n'.encode("latin-1")
    with pytest.raises(PlanParseError, match="byte 0xf1") as info:
        load_plan_bytes(data, filename="plan.json")
    assert info.value.line == 3


# --- not a work plan ----------------------------------------------------------------------


def test_random_prose() -> None:
    error = parse_error(PROSE)
    assert "not a CICTE work plan" in error.message


def test_symbol_without_table() -> None:
    error = parse_error("CICTE/doc.5/12 rev. 1\n2012 WORK PLAN\n\nSome text.\n")
    assert "SECTION II" in error.message


def test_symbol_and_section_heading_without_table_header() -> None:
    text = (
        "CICTE/doc.5/12\n2012 WORK PLAN\n**SECTION II.\nPROGRAMS**\n1. BORDERS\tA. X\t1. Y\t2 Z\n"
    )
    text += "INTER-AMERICAN ENTITIES AND INTERNATIONAL ORGANIZATIONS\n"
    error = parse_error(text)
    assert "table header" in error.message
    assert error.line == 5


def test_a_json_list_is_not_a_plan() -> None:
    with pytest.raises(PlanParseError, match="mapping"):
        loads_json('[{"symbol": "CICTE/doc.5/12"}]')
    with pytest.raises(PlanParseError, match="mapping"):
        load_plan_bytes(b"[]", filename="plan.json")


# --- truncated plans ----------------------------------------------------------------------


def cut_points() -> list[int]:
    """Offsets in the cover, the mandates, the table and the partner list of the 2012 plan."""
    markers = [
        "American States",
        "CICTE/doc.5/12 rev. 1",
        "The main purpose",
        "SECTION 1. MANDATE",
        "AG/RES. 2619",
        "- g. Promote",
        "**SECTION II.",
        "WORK AREAS\tPROGRAM",
        "\tB. AVIATION SECURITY",
        "\t\tterrorism.",
        "3. PROTECTION OF CRITICAL",
        "5. INTERNATIONAL COORDINATION",
        "INTER-AMERICAN ENTITIES",
        "A.1 OAS General Secretariat",
        " - Office of Legal Cooperation",
        "A.2 Other organs",
        "B. International, regional",
    ]
    points = [TEXT_2012.index(marker) for marker in markers]
    points += [TEXT_2012.index(marker) + 5 for marker in markers]  # mid-line
    # Up to the first international organization; a cut inside the list of 40 leaves a
    # shorter list that cannot be told from a complete one.
    points.append(TEXT_2012.index("1. APEC"))
    points += [len(TEXT_2012) * share // 10 for share in range(1, 9)]
    return sorted(set(points))


@pytest.mark.parametrize("cut", cut_points())
def test_truncated_2012_plan_is_refused(cut: int) -> None:
    parse_error(TEXT_2012[:cut])


def test_every_line_boundary_before_the_international_list_is_refused() -> None:
    last = line_of("1. APEC") - 1
    for count in range(last):
        with pytest.raises(PlanParseError):
            parse_plan_text("\n".join(LINES_2012[:count]))


def test_truncation_message_mentions_the_missing_partner_list() -> None:
    cut = TEXT_2012.index("INTER-AMERICAN ENTITIES")
    error = parse_error(TEXT_2012[:cut])
    assert "partner organizations" in error.message
    assert "truncated" in error.message


def test_partner_group_without_entries_is_truncation() -> None:
    cut = TEXT_2012.index("1. APEC")
    error = parse_error(TEXT_2012[:cut])
    assert "partner group B" in error.message
    assert error.line == line_of("B. International, regional")


# --- broken tables ------------------------------------------------------------------------


def test_work_area_without_programs() -> None:
    lines = list(LINES_2012)
    index = line_of("4. STRENGTHENING STRATEGIES") - 1
    lines[index] = "4. STRENGTHENING STRATEGIES ON EMERGING TERRORIST THREATS"
    error = parse_error("\n".join(lines))
    assert "work area 4" in error.message
    assert "no programs" in error.message
    assert error.line == index + 1


def test_work_areas_must_be_numbered_in_order() -> None:
    text = TEXT_2012.replace("4. STRENGTHENING STRATEGIES", "6. STRENGTHENING STRATEGIES")
    error = parse_error(text)
    assert "work area 6 where work area 4 was expected" in error.message
    assert error.line == line_of("STRENGTHENING STRATEGIES")


def test_program_without_projects() -> None:
    text = replace_line("\tD. IMMIGRATIONS AND CUSTOMS", "\tD. IMMIGRATIONS AND CUSTOMS")
    error = parse_error(text)
    assert "program 1.D" in error.message
    assert error.line == line_of("\tD. IMMIGRATIONS AND CUSTOMS")


def test_too_many_columns() -> None:
    text = replace_line("\t\t2. Sub-regional training courses", "a\tb\tc\td\te")
    error = parse_error(text)
    assert "columns" in error.message
    assert error.line == line_of("\t\t2. Sub-regional training courses")


def test_three_text_cells() -> None:
    row = "\t\t2. Sub-regional training courses"
    error = parse_error(replace_line(row, "x y\tx z\tx w\t5 Courses"))
    assert "cannot tell the project from the activity" in error.message
    assert error.line == line_of(row)


def test_activity_before_any_project() -> None:
    header = "WORK AREAS\tPROGRAM\tPROJECT\tACTIVITY"
    lines = list(LINES_2012)
    index = line_of(header)
    lines.insert(index, "\t\t\t3 Workshops")
    error = parse_error("\n".join(lines))
    assert "activity appears before any project" in error.message
    assert error.line == index + 1


def test_project_before_any_program() -> None:
    lines = list(LINES_2012)
    index = line_of("WORK AREAS\tPROGRAM\tPROJECT\tACTIVITY")
    lines.insert(index, "1. BORDER CONTROLS\t\t1. Orphan project\t3 Workshops")
    error = parse_error("\n".join(lines))
    assert "before any program" in error.message
    assert error.line == index + 1


def test_duplicate_project_number() -> None:
    text = TEXT_2012.replace("\t\t3. Scholarships for ICAO", "\t\t2. Scholarships for ICAO")
    error = parse_error(text)
    assert "duplicate project code 1.B.2" in error.message
    assert error.line == line_of("Scholarships for ICAO")


def test_quoted_clause_before_any_source() -> None:
    text = TEXT_2012.replace("1. CICTE DECLARATIONS\n", "1. CICTE DECLARATIONS\n“3. Orphan.”\n")
    error = parse_error(text)
    assert "before any mandate source" in error.message


# --- nothing but PlanParseError, whatever the input ---------------------------------------


def _parses_or_refuses(text: str) -> ParseResult | None:
    try:
        return parse_plan_text(text)
    except PlanParseError:
        return None


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_plan_parse_error(text: str) -> None:
    _parses_or_refuses(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*LINES_2012, "", "\t", "- a. ...;", "**SECTION 1."]), max_size=80))
def test_shuffled_2012_lines_raise_only_plan_parse_error(lines: list[str]) -> None:
    _parses_or_refuses("\n".join(lines))


@settings(max_examples=80, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=len(LINES_2012) - 1), max_size=40))
def test_2012_with_lines_removed_raises_only_plan_parse_error(removed: set[int]) -> None:
    kept = [line for index, line in enumerate(LINES_2012) if index not in removed]
    _parses_or_refuses("\n".join(kept))


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=len(TEXT_2012)), st.text(max_size=20))
def test_2012_cut_and_garbled_raises_only_plan_parse_error(cut: int, noise: str) -> None:
    _parses_or_refuses(TEXT_2012[:cut] + noise + TEXT_2012[cut:][len(noise) :])


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["plan.txt", "plan.json", "plan.yaml"]))
def test_arbitrary_bytes_raise_only_plan_parse_error(data: bytes, filename: str) -> None:
    with contextlib.suppress(PlanParseError):
        load_plan_bytes(data, filename=filename)
