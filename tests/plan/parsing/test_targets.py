"""Splitting an ACTIVITY cell into targets; quantity and unit of each target."""

from __future__ import annotations

import pytest

from cicte.plan.parsing.lines import cell_paragraphs, letter_code
from cicte.plan.parsing.targets import TargetSpec, parse_activity, split_targets, target_from_text


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("3 Simulation exercises", ["3 Simulation exercises"]),
        (
            "6 National workshops 1 Sub-regional workshop",
            ["6 National workshops", "1 Sub-regional workshop"],
        ),
        (
            "4 Workshops 2 Technical assistance mission",
            ["4 Workshops", "2 Technical assistance mission"],
        ),
        (
            "1 Sub-regional workshop 2. National workshops 4 Bi-national courses",
            ["1 Sub-regional workshop", "2. National workshops", "4 Bi-national courses"],
        ),
        (
            "1 Simulation (tabletop) crisis-management exercises. 3 Follow-up evaluations "
            "3 Post-evaluation workshops",
            [
                "1 Simulation (tabletop) crisis-management exercises.",
                "3 Follow-up evaluations",
                "3 Post-evaluation workshops",
            ],
        ),
        (
            "Training needs assessments in 18 ports in the Hemisphere Follow-on training "
            "courses to 13 ports in the Hemisphere",
            [
                "Training needs assessments in 18 ports in the Hemisphere",
                "Follow-on training courses to 13 ports in the Hemisphere",
            ],
        ),
        ("3 Workshops Training needs in 18 ports", ["3 Workshops", "Training needs in 18 ports"]),
        ("Training for 20 officials in 5 countries", ["Training for 20 officials in 5 countries"]),
        ("Workshops in 18 Caribbean ports", ["Workshops in 18 Caribbean ports"]),
        ("4 Technical missions/Gap assessments", ["4 Technical missions/Gap assessments"]),
    ],
)
def test_split_targets(text: str, targets: list[str]) -> None:
    assert split_targets(text) == targets


@pytest.mark.parametrize(
    ("text", "quantity", "unit"),
    [
        ("3 Simulation exercises", 3, "Simulation exercises"),
        ("2. National workshops", 2, "National workshops"),
        ("5 national workshops", 5, "national workshops"),
        ("40 Scholarships", 40, "Scholarships"),
        (
            "Training needs assessments in 18 ports in the Hemisphere",
            18,
            "Training needs assessments in ports in the Hemisphere",
        ),
        (
            "1 Simulation (tabletop) crisis-management exercises.",
            1,
            "Simulation (tabletop) crisis-management exercises",
        ),
        ("Participation in conferences, papers, official visits", None, ""),
        ("Workshops on UNSC Resolution 1540", None, ""),
    ],
)
def test_quantity_and_unit(text: str, quantity: int | None, unit: str) -> None:
    spec = target_from_text(text)
    assert (spec.quantity, spec.unit, spec.text) == (quantity, unit, text)
    assert spec.funding == "identified"


@pytest.mark.parametrize(
    "text",
    [
        "To be determined once funding is identified",
        "Funding to be identified",
        "to be  determined once FUNDING is identified",
    ],
)
def test_funding_to_be_identified(text: str) -> None:
    assert parse_activity([text]) == [
        TargetSpec(None, "", " ".join(text.split()), "to_be_identified")
    ]


def test_paragraphs_never_merge() -> None:
    paragraphs = cell_paragraphs("<p>4 Workshops</p> <p>Workshop on risks</p>")
    assert paragraphs == ["4 Workshops", "Workshop on risks"]
    specs = parse_activity(paragraphs)
    assert [(spec.quantity, spec.text) for spec in specs] == [
        (4, "4 Workshops"),
        (None, "Workshop on risks"),
    ]


def test_cell_paragraphs_decode_entities_and_drop_tags() -> None:
    assert cell_paragraphs("<p>A &amp; <b>B</b></p><br/>C") == ["A & B", "C"]
    assert cell_paragraphs("  plain   text ") == ["plain text"]
    assert cell_paragraphs("<p> </p>") == []


def test_letter_codes() -> None:
    assert [letter_code(index) for index in (0, 1, 25, 26, 27, 51, 52)] == [
        "a",
        "b",
        "z",
        "aa",
        "ab",
        "az",
        "ba",
    ]
