"""Inferred links from mandate clauses to the programs that implement them."""

from __future__ import annotations

from cicte.plan.parsing.links import LINK_RULES, infer_links, with_inferred_links
from cicte.plan.parsing.types import (
    MandateClauseData,
    MandateSourceData,
    ProgramData,
    SubparagraphData,
    WorkAreaData,
)


def work_areas() -> list[WorkAreaData]:
    def area(number: int, title: str, programs: list[tuple[str, str]]) -> WorkAreaData:
        return WorkAreaData(
            number,
            title,
            [
                ProgramData(f"{number}.{letter}", None if letter == "0" else letter, name)
                for letter, name in programs
            ],
        )

    return [
        area(1, "BORDER CONTROLS", [("A", "MARITIME SECURITY"), ("B", "AVIATION SECURITY")]),
        area(
            2,
            "LEGISLATIVE ASSISTANCE",
            [("A", "LEGISLATIVE ASSISTANCE"), ("B", "COMBATING TERRORISM FINANCING")],
        ),
        area(
            3,
            "PROTECTION OF CRITICAL INFRASTRUCTURE",
            [("A", "CYBER-SECURITY"), ("B", "TOURISM SECURITY")],
        ),
        area(5, "INTERNATIONAL COORDINATION AND COOPERATION", [("0", "PARTNERSHIPS")]),
    ]


def clause(text: str, *subparagraphs: SubparagraphData) -> MandateClauseData:
    return MandateClauseData("1", text, list(subparagraphs))


def test_keyword_links_programs_by_title() -> None:
    assert infer_links(clause("security of seaports and airports"), work_areas()) == ["1.A", "1.B"]
    assert infer_links(clause("to fight money laundering"), work_areas()) == ["2.B"]
    assert infer_links(clause("cybercrime and tourism"), work_areas()) == ["3.A", "3.B"]


def test_border_links_the_whole_work_area() -> None:
    assert infer_links(clause("enhance border security"), work_areas()) == ["1.A", "1.B"]


def test_program_title_in_the_clause_links_it() -> None:
    assert infer_links(clause("its work areas of legislative assistance"), work_areas()) == ["2.A"]


def test_critical_infrastructure_links_its_work_area() -> None:
    assert infer_links(
        clause("a culture of awareness of critical infrastructure"), work_areas()
    ) == [
        "3.A",
        "3.B",
    ]


def test_no_keyword_no_link() -> None:
    assert infer_links(clause("To take note of the annual report."), work_areas()) == []


def test_not_relevant_subparagraphs_are_ignored() -> None:
    text = clause(
        "To request:",
        SubparagraphData("a", "strengthen tourism security", relevant=False),
        SubparagraphData("b", "assist with cyber incidents"),
    )
    assert infer_links(text, work_areas()) == ["3.A"]


def test_with_inferred_links_copies() -> None:
    source = MandateSourceData("ga_resolution", "AG/RES. 1 (I-O/71)", "t", [clause("cooperation")])
    (linked,) = with_inferred_links([source], work_areas())
    assert linked.clauses[0].implemented_by == ["5.0"]
    assert source.clauses[0].implemented_by == []


def test_rule_topics_are_unique() -> None:
    topics = [rule.topic for rule in LINK_RULES]
    assert len(topics) == len(set(topics))
