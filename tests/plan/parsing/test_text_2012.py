"""The real 2012 Work Plan (CICTE/doc.5/12 rev. 1), as extracted from the OAS PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cicte.plan.parsing.text import parse_plan_text
from cicte.plan.parsing.types import (
    MandateSourceData,
    ParseResult,
    PlanDocument,
    ProgramData,
    ProjectData,
    TargetData,
)

PLAN_2012 = Path(__file__).resolve().parents[3] / "src/cicte/plan/fixtures/2012-work-plan.txt"
SHIFTED_ROW_LINE = 135  # "\t\tC. DOCUMENT SECURITY AND FRAUD PREVENTION\t1. Training courses."


@pytest.fixture(scope="module")
def result() -> ParseResult:
    return parse_plan_text(PLAN_2012.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plan(result: ParseResult) -> PlanDocument:
    return result.plan


def programs(plan: PlanDocument) -> list[ProgramData]:
    return [program for area in plan.work_areas for program in area.programs]


def projects(plan: PlanDocument) -> list[ProjectData]:
    return [project for program in programs(plan) for project in program.projects]


def targets(plan: PlanDocument) -> list[TargetData]:
    return [target for project in projects(plan) for target in project.targets]


def project(plan: PlanDocument, code: str) -> ProjectData:
    return next(item for item in projects(plan) if item.code == code)


def program(plan: PlanDocument, code: str) -> ProgramData:
    return next(item for item in programs(plan) if item.code == code)


def target(plan: PlanDocument, code: str) -> TargetData:
    return next(item for item in targets(plan) if item.code == code)


def source(plan: PlanDocument, symbol: str) -> MandateSourceData:
    return next(item for item in plan.mandates if item.symbol == symbol)


def test_fixture_is_the_shared_seed_byte_for_byte() -> None:
    seed = Path("/work/shared/seeds/000_9fc1df66665eff7d.txt")
    if not seed.exists():
        pytest.skip("shared seed not available on this machine")
    assert PLAN_2012.read_bytes() == seed.read_bytes()


# --- metadata ---------------------------------------------------------------------------


def test_metadata(plan: PlanDocument) -> None:
    assert plan.symbol == "CICTE/doc.5/12 rev. 1"
    assert plan.series == "OEA/Ser.L.X.2.12"  # as the document writes it
    assert plan.year == 2012
    assert plan.title == "2012 Work Plan of the Inter-American Committee against Terrorism"
    assert plan.session == "Twelfth Regular Session"
    assert plan.session_date == dt.date(2012, 3, 7)
    assert plan.place == "Washington, D.C."
    assert plan.issue_date == dt.date(2012, 3, 9)
    assert plan.approval_date == dt.date(2012, 3, 7)
    assert plan.original_language == "en"


def test_preamble_is_the_four_paragraphs_before_section_1(plan: PlanDocument) -> None:
    paragraphs = plan.preamble.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The main purpose of the Inter-American Committee")
    assert paragraphs[1] == (
        "The Secretariat's responsibilities are stipulated in both the CICTE Statute and "
        "Rules of Procedure."
    )
    assert paragraphs[3].endswith("on the implementation of mandates given to it.")
    assert "WORK PLAN" not in plan.preamble
    assert "Approved" not in plan.preamble


# --- required figures -------------------------------------------------------------------


def test_counts_of_work_areas_programs_projects(plan: PlanDocument) -> None:
    assert len(plan.work_areas) == 5
    assert [area.number for area in plan.work_areas] == [1, 2, 3, 4, 5]
    assert len(programs(plan)) == 13
    assert len(projects(plan)) == 34


def test_numeric_targets(plan: PlanDocument) -> None:
    numeric = [item for item in targets(plan) if item.quantity is not None]
    assert len(numeric) == 38
    assert sum(item.quantity or 0 for item in numeric) == 176
    assert all(item.funding == "identified" for item in numeric)


def test_projects_waiting_for_funding(plan: PlanDocument) -> None:
    waiting = [
        item
        for item in projects(plan)
        if any(target.funding == "to_be_identified" for target in item.targets)
    ]
    assert [item.code for item in waiting] == [
        "1.E.0",
        "3.A.6",
        "3.A.7",
        "3.A.8",
        "3.A.9",
        "3.C.0",
        "3.D.0",
    ]
    for item in waiting:
        assert len(item.targets) == 1
        only = item.targets[0]
        assert only.quantity is None
        assert only.unit == ""
        assert only.code == f"{item.code}.a"
    assert project(plan, "1.E.0").targets[0].text == "To be determined once funding is identified"
    assert project(plan, "3.A.6").targets[0].text == "Funding to be identified"
    assert project(plan, "3.C.0").targets[0].text == "To be determined once funding is identified"


def test_partnerships_activity_is_one_qualitative_target(plan: PlanDocument) -> None:
    partnerships = program(plan, "5.0")
    assert partnerships.letter is None
    assert partnerships.title == "PARTNERSHIPS"
    assert [item.code for item in partnerships.projects] == ["5.0.0"]
    (only,) = partnerships.projects[0].targets
    assert only.code == "5.0.0.a"
    assert only.quantity is None
    assert only.funding == "identified"
    assert only.unit == ""
    assert only.text == (
        "Participation in conferences, papers, official visits, coordination meetings"
    )


def test_all_targets_are_numeric_waiting_or_the_one_qualitative(plan: PlanDocument) -> None:
    assert len(targets(plan)) == 38 + 7 + 1


def test_project_without_target_is_warned_with_its_line(result: ParseResult) -> None:
    assert project(result.plan, "1.C.1").title == "Training courses."
    assert project(result.plan, "1.C.1").targets == []
    assert len(result.warnings) == 1
    (warning,) = result.warnings
    assert "1.C.1" in warning.message
    assert warning.line == SHIFTED_ROW_LINE


def test_ten_mandate_sources(plan: PlanDocument) -> None:
    assert [(item.kind, item.symbol) for item in plan.mandates] == [
        ("cicte_declaration", "CICTE/DEC. 1/11"),
        ("cicte_declaration", "CICTE/DEC. 1/07"),
        ("cicte_decision", "CICTE/doc.12/08"),
        ("ga_resolution", "AG/RES. 2618 (XLI-O/11)"),
        ("ga_resolution", "AG/RES. 2676 (XLI-O/11)"),
        ("ga_resolution", "AG/RES. 2534 (XL-O/10)"),
        ("ga_resolution", "AG/RES. 2619 (XLI-O/11)"),
        ("ga_resolution", "AG/RES. 2397 (XXXVIII-O/08)"),
        ("ga_resolution", "AG/RES. 2004 (XXXIV-O/04)"),
        ("ga_declaration", "AG/DEC. 66 (XLI-O/11)"),  # "XLI-0/11" in the text
    ]


def test_partner_count_follows_the_document(plan: PlanDocument) -> None:
    # Numbered entries are the partners: 7 OAS General Secretariat units, 2 other
    # inter-American bodies and 40 international organizations = 49.
    groups = [partner.group for partner in plan.partners]
    assert groups.count("oas_general_secretariat") == 7
    assert groups.count("inter_american") == 2
    assert groups.count("international") == 40
    assert len(plan.partners) == 49


# --- codes and structure ----------------------------------------------------------------


def test_program_codes_and_titles(plan: PlanDocument) -> None:
    assert [(item.code, item.letter) for item in programs(plan)] == [
        ("1.A", "A"),
        ("1.B", "B"),
        ("1.C", "C"),
        ("1.D", "D"),
        ("1.E", "E"),
        ("2.A", "A"),
        ("2.B", "B"),
        ("3.A", "A"),
        ("3.B", "B"),
        ("3.C", "C"),
        ("3.D", "D"),
        ("4.A", "A"),
        ("5.0", None),
    ]
    # Titles are kept exactly as the plan writes them (capitals included).
    assert program(plan, "1.C").title == "DOCUMENT SECURITY AND FRAUD PREVENTION"
    assert program(plan, "1.C").title.title() == "Document Security And Fraud Prevention"
    assert program(plan, "4.A").title == "CRISIS MANAGEMENT"
    assert program(plan, "1.E").title == "ASSISTANCE FOR UNSC RES 1540 IMPLEMENTATION"
    assert plan.work_areas[1].title == "LEGISLATIVE ASSISTANCE AND COMBATING TERRORISM FINANCING"


def test_project_codes_per_program(plan: PlanDocument) -> None:
    codes = {item.code: [p.code for p in item.projects] for item in programs(plan)}
    assert codes["1.A"] == [f"1.A.{n}" for n in range(1, 6)]
    assert codes["1.B"] == ["1.B.1", "1.B.2", "1.B.3"]
    assert codes["1.C"] == ["1.C.1", "1.C.2", "1.C.3", "1.C.4"]
    assert codes["1.D"] == ["1.D.0"]
    assert codes["2.A"] == ["2.A.1", "2.A.2", "2.A.3", "2.A.4"]
    assert codes["2.B"] == ["2.B.0"]
    assert codes["3.A"] == [f"3.A.{n}" for n in range(1, 10)]
    assert codes["3.B"] == ["3.B.1", "3.B.2"]
    assert codes["4.A"] == ["4.A.0"]
    assert codes["5.0"] == ["5.0.0"]
    unnumbered = [item.code for item in projects(plan) if item.number is None]
    assert unnumbered == ["1.D.0", "1.E.0", "2.B.0", "3.C.0", "3.D.0", "4.A.0", "5.0.0"]


def test_codes_are_unique(plan: PlanDocument) -> None:
    codes = [item.code for item in programs(plan)]
    codes += [item.code for item in projects(plan)]
    codes += [item.code for item in targets(plan)]
    assert len(codes) == len(set(codes))


def test_target_1_a_1_a_has_its_number_inside_the_text(plan: PlanDocument) -> None:
    first = target(plan, "1.A.1.a")
    assert first.quantity == 18
    assert first.text == "Training needs assessments in 18 ports in the Hemisphere"
    assert first.unit == "Training needs assessments in ports in the Hemisphere"
    second = target(plan, "1.A.1.b")
    assert second.quantity == 13
    assert second.text == "Follow-on training courses to 13 ports in the Hemisphere"
    assert [item.code for item in project(plan, "1.A.1").targets] == ["1.A.1.a", "1.A.1.b"]


@pytest.mark.parametrize(
    ("code", "quantities"),
    [
        ("3.B.1", [4, 4, 4, 1]),
        ("3.B.2", [1, 2, 1, 1]),
        ("4.A.0", [1, 3, 3]),
        ("2.B.0", [4, 2]),
        ("3.A.4", [1, 2, 4]),
        ("1.C.4", [6, 1]),
        ("1.B.3", [40]),
        ("3.A.5", [10]),
        ("1.D.0", [5]),
        ("2.A.3", [1]),
    ],
)
def test_target_quantities(plan: PlanDocument, code: str, quantities: list[int]) -> None:
    assert [item.quantity for item in project(plan, code).targets] == quantities


def test_spot_checks_of_units_and_texts(plan: PlanDocument) -> None:
    assert (target(plan, "1.B.3.a").quantity, target(plan, "1.B.3.a").unit) == (
        40,
        "Scholarships",
    )
    assert (target(plan, "3.A.5.a").quantity, target(plan, "3.A.5.a").unit) == (
        10,
        "Scholarships",
    )
    assert target(plan, "1.A.2.a").unit == "Simulation exercises"
    assert target(plan, "3.A.4.b").text == "2. National workshops"
    assert target(plan, "3.A.4.b").unit == "National workshops"
    assert target(plan, "2.B.0.b").unit == "Technical assistance mission"
    assert target(plan, "3.B.2.d").text == (
        "1 Designing, development and launching of knowledge management system (KMS)"
    )
    assert target(plan, "3.B.1.a").unit == "“Stakeholder” preparatory meetings/workshops"
    assert target(plan, "4.A.0.a").text == "1 Simulation (tabletop) crisis-management exercises."
    assert target(plan, "4.A.0.a").unit == "Simulation (tabletop) crisis-management exercises"
    assert target(plan, "1.D.0.a").unit == "national workshops"


def test_shifted_cells_are_put_back(plan: PlanDocument) -> None:
    # Program in the PROJECT column and project in the ACTIVITY column ...
    assert program(plan, "1.C").projects[0].number == 1
    # ... and a project in the WORK AREAS column.
    second = project(plan, "1.C.2")
    assert second.title == "Sub-regional best practices workshops"
    assert [item.text for item in second.targets] == ["2 Workshops"]
    assert len(plan.work_areas[0].programs) == 5


def test_title_split_by_a_page_break_is_joined(plan: PlanDocument) -> None:
    title = project(plan, "2.A.3").title
    assert title.startswith("Regional and sub-regional training and ministerial conferences")
    assert title.endswith("legislative frameworks for combating terrorism.")
    assert [item.code for item in program(plan, "2.A").projects] == [
        "2.A.1",
        "2.A.2",
        "2.A.3",
        "2.A.4",
    ]


def test_project_number_without_dot(plan: PlanDocument) -> None:
    sixth = project(plan, "3.A.6")
    assert sixth.number == 6
    assert sixth.title.startswith("Create a parallel platform")


def test_html_fragments_are_removed(plan: PlanDocument) -> None:
    tourism = project(plan, "3.B.1")
    assert tourism.number == 1
    assert tourism.title == (
        "Tourism security capacity building on strengthening public-private partnerships: "
        "Preparatory stakeholder meetings/workshops, specialized courses and follow-up. "
        "Workshop on specific risks management on security of tourism destinations"
    )
    everything = [p.title for p in projects(plan)] + [t.text for t in targets(plan)]
    assert not any("<" in text or ">" in text for text in everything)
    assert project(plan, "3.C.0").title.startswith("Technical assistance workshops")


def test_no_page_header_leaks_into_the_structure(plan: PlanDocument) -> None:
    texts = [p.title for p in projects(plan)] + [t.text for t in targets(plan)]
    assert not any("SECTION" in text or "WORK AREAS" in text for text in texts)


# --- mandates ---------------------------------------------------------------------------


def test_mandate_titles(plan: PlanDocument) -> None:
    assert source(plan, "CICTE/DEC. 1/11").title == (
        "Declaration of Renewed Hemispheric Commitment to Enhance Cooperation to Prevent, "
        "Combat and Eliminate Terrorism"
    )
    assert source(plan, "CICTE/doc.12/08").title == (
        "Security of Tourism and Recreational Facilities in the Americas"
    )
    assert source(plan, "AG/RES. 2534 (XL-O/10)").title.endswith(
        "United Nations Security Council Resolution 1540 (2004)"
    )
    assert source(plan, "AG/DEC. 66 (XLI-O/11)").title == (
        "Declaration of San Salvador on Citizen Security in the Americas"
    )


@pytest.mark.parametrize(
    ("symbol", "paragraphs"),
    [
        ("CICTE/DEC. 1/11", ["5", "10"]),
        ("CICTE/DEC. 1/07", ["11"]),
        ("CICTE/doc.12/08", [""]),
        ("AG/RES. 2618 (XLI-O/11)", ["5", "7"]),
        ("AG/RES. 2676 (XLI-O/11)", ["11"]),
        ("AG/RES. 2534 (XL-O/10)", ["3"]),
        ("AG/RES. 2619 (XLI-O/11)", ["4"]),
        ("AG/RES. 2397 (XXXVIII-O/08)", ["6"]),
        ("AG/RES. 2004 (XXXIV-O/04)", ["7"]),
        ("AG/DEC. 66 (XLI-O/11)", ["15"]),
    ],
)
def test_clause_paragraphs(plan: PlanDocument, symbol: str, paragraphs: list[str]) -> None:
    assert [clause.paragraph for clause in source(plan, symbol).clauses] == paragraphs


def test_clause_texts_without_quotes(plan: PlanDocument) -> None:
    first = source(plan, "CICTE/DEC. 1/11").clauses[0]
    assert first.text.startswith("Their commitment to continue promoting multilateral")
    assert first.text.endswith("for institution-building.")
    assert "Member States’ capacity" in first.text
    for item in plan.mandates:
        for clause in item.clauses:
            assert not clause.text.startswith(("“", '"'))
            assert not clause.text.endswith(("”", '"'))
            assert not clause.text[:3].rstrip(". ").isdigit()
    decision = source(plan, "CICTE/doc.12/08").clauses[0]
    assert decision.text.startswith("To instruct the Secretariat")
    assert decision.text.endswith(
        "specific realities and needs of the tourism sector in the Member States."
    )


def test_subparagraphs_and_relevance_of_ag_res_2619(plan: PlanDocument) -> None:
    (clause,) = source(plan, "AG/RES. 2619 (XLI-O/11)").clauses
    assert clause.text.startswith("To reiterate its request that the General Secretariat")
    assert clause.text.endswith("within their areas of competence and programming:")
    subs = clause.subparagraphs
    assert [sub.letter for sub in subs] == list("abcdefghij")
    not_relevant = [sub.letter for sub in subs if not sub.relevant]
    assert not_relevant == ["c", "d", "e", "f", "j"]
    assert all(sub.text == "" for sub in subs if not sub.relevant)
    assert all(sub.text for sub in subs if sub.relevant)
    assert subs[0].text.endswith("Caribbean Community (CARICOM)")
    assert subs[7].text == (
        "Provide training and technical assistance regarding legislation on counterterrorism, "
        "terrorist financing, cybersecurity, and cybercrime to small island states"
    )


def test_subparagraphs_and_relevance_of_ag_res_2397(plan: PlanDocument) -> None:
    (clause,) = source(plan, "AG/RES. 2397 (XXXVIII-O/08)").clauses
    assert clause.text.endswith("particularly with respect to:")
    subs = clause.subparagraphs
    assert [sub.letter for sub in subs] == list("abcdefgh")
    assert [sub.letter for sub in subs if not sub.relevant] == ["d"]
    assert subs[3].text == ""
    assert subs[6].text == (
        "Providing technical assistance and capacity-building for the security of tourism "
        "and recreational facilities"
    )
    assert subs[7].text.endswith("so as to ensure awareness and avoid duplication")
    everything = " ".join(sub.text for sub in subs)
    assert "^{" not in everything
    assert "”" not in everything


def test_clauses_without_subparagraphs(plan: PlanDocument) -> None:
    others = [
        clause
        for item in plan.mandates
        if item.symbol not in ("AG/RES. 2619 (XLI-O/11)", "AG/RES. 2397 (XXXVIII-O/08)")
        for clause in item.clauses
    ]
    assert len(others) == 10
    assert all(clause.subparagraphs == [] for clause in others)


def test_every_mandate_source_is_linked_to_programs(plan: PlanDocument) -> None:
    program_codes = [item.code for item in programs(plan)]
    for item in plan.mandates:
        linked = {code for clause in item.clauses for code in clause.implemented_by}
        assert linked, item.symbol
        assert linked <= set(program_codes)
        for clause in item.clauses:
            ordered = [code for code in program_codes if code in clause.implemented_by]
            assert clause.implemented_by == ordered


@pytest.mark.parametrize(
    ("symbol", "index", "expected"),
    [
        ("CICTE/DEC. 1/07", 0, {"3.C"}),
        ("CICTE/doc.12/08", 0, {"3.B"}),
        ("AG/RES. 2618 (XLI-O/11)", 0, {"5.0"}),
        ("AG/RES. 2676 (XLI-O/11)", 0, {"2.A"}),
        ("AG/RES. 2534 (XL-O/10)", 0, {"1.E", "5.0"}),
        ("AG/RES. 2004 (XXXIV-O/04)", 0, {"3.A"}),
    ],
)
def test_inferred_links_include(
    plan: PlanDocument, symbol: str, index: int, expected: set[str]
) -> None:
    assert expected <= set(source(plan, symbol).clauses[index].implemented_by)


def test_work_plan_clause_links_every_work_area(plan: PlanDocument) -> None:
    clause = source(plan, "AG/RES. 2618 (XLI-O/11)").clauses[1]
    areas = {code.split(".")[0] for code in clause.implemented_by}
    assert areas == {"1", "2", "3", "4", "5"}


# --- partners ---------------------------------------------------------------------------


def test_oas_general_secretariat_partners(plan: PlanDocument) -> None:
    general_secretariat = [p for p in plan.partners if p.group == "oas_general_secretariat"]
    assert [(p.name, p.acronym, p.units) for p in general_secretariat] == [
        ("Department of International Legal Affairs", None, ["Office of Legal Cooperation"]),
        (
            "Secretariat for Administration and Finance",
            "SAF",
            ["Office of Information and Technology Services"],
        ),
        ("Executive Secretariat of the Inter-American Commission on Human Rights", "IACHR", []),
        ("Secretariat of the Inter-American Telecommunication Commission", "CITEL", []),
        ("Executive Secretariat of the Inter-American Committee on Ports", "CIP", []),
        (
            "Executive Secretariat for Integral Development",
            "SEDI",
            ["Department of Economic Development, Trade and Tourism"],
        ),
        (
            "Secretariat for Multidimensional Security",
            None,
            [
                "Department of Public Security",
                "Executive Secretariat of the Inter-American Drug Abuse Control Commission (CICAD)",
            ],
        ),
    ]
    assert all(p.parent is None for p in plan.partners)


def test_other_inter_american_partners(plan: PlanDocument) -> None:
    others = [(p.name, p.acronym) for p in plan.partners if p.group == "inter_american"]
    assert others == [
        (
            "Cyber-crime Working Group of the Meeting of Ministers of Justice or of Ministers "
            "or Attorneys General of the Americas",
            "REMJA",
        ),
        ("Pan American Health Organization", "PAHO"),
    ]


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("APEC", "APEC"),
        ("CARICOM", "CARICOM"),
        ("INTERPOL", "INTERPOL"),
        ("GAFISUD", "GAFISUD"),
        ("CARICOM Implementation Agency for Crime and Security", "IMPACS"),
        ("Association of Central American Chiefs of Police", None),
        ("World Bank", None),
        ("Egmont Group", None),
        ("United Nations Security Council Resolution 1540 Committee", None),
        ("United Nations Counter-Terrorism Inter-Agency Task Force", "UN CTITF"),
        ("Regional Forum of South-East Asian Nations", "ARF-ASEAN"),
        ("World Customs Organization", "WCO"),
        (
            "United Nations Office on Drugs and Crime - Terrorism Prevention Branch",
            "UNODC",
        ),
    ],
)
def test_international_partner_acronyms(plan: PlanDocument, name: str, acronym: str | None) -> None:
    (partner,) = [p for p in plan.partners if p.name == name]
    assert partner.acronym == acronym
    assert partner.group == "international"
    assert partner.parent is None


def test_first_and_last_international_partner(plan: PlanDocument) -> None:
    international = [p for p in plan.partners if p.group == "international"]
    assert international[0].name == "APEC"
    assert international[17].name == "International Association of Chiefs of Police"
    assert international[-1].name == "World Customs Organization"


def test_windows_line_endings_and_form_feeds_change_nothing(result: ParseResult) -> None:
    text = PLAN_2012.read_text(encoding="utf-8")
    with_page_feeds = text.replace("**SECTION", "\f**SECTION")
    for variant in (text.replace("\n", "\r\n"), with_page_feeds):
        again = parse_plan_text(variant)
        assert again.plan == result.plan
        assert again.warnings == result.warnings
