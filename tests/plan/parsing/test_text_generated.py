"""Generated plans in the 2012 text layout, with the PDF-extraction quirks put in on purpose.

A hypothesis strategy builds a random plan structure (the expected result), renders it the
way the PDF extraction lays out the 2012 plan (page-break header blocks at random points,
cells shifted left and right, titles cut by a page break, several targets on one line,
HTML paragraphs, numbers without a dot), parses the text and compares.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cicte.plan.parsing.lines import letter_code
from cicte.plan.parsing.text import parse_plan_text
from cicte.plan.parsing.types import ProgramData, ProjectData, TargetData, WorkAreaData

COVER = """Organization of
American States

INTER-AMERICAN COMMITTEE AGAINST TERRORISM (CICTE)

TWELFTH REGULAR SESSION
March 7, 2012
Washington, D.C.

OEA/Ser.L.X.2.12
CICTE/doc.5/12 rev. 1
9 March 2012
Original: English

2012 WORK PLAN OF THE INTER-AMERICAN COMMITTEE AGAINST TERRORISM

(Approved at the Fourth Plenary Session held on March 7, 2012)

The Secretariat is a unit of the Secretariat for Multidimensional Security.

SECTION 1. MANDATE / SOURCE
1. CICTE DECLARATIONS
Declaration of Panama, CICTE/DEC. 1/07 “11. To promote a culture of awareness.”
"""
PAGE_HEADER = [
    "",
    "**SECTION II.",
    "SECRETARIAT PROGRAMS, PROJECTS, AND ACTIVITIES**",
    "",
    "WORK AREAS\tPROGRAM\tPROJECT\tACTIVITY",
]
PARTNERS = """
INTER-AMERICAN ENTITIES AND INTERNATIONAL ORGANIZATIONS
THAT COLLABORATE WITH THE CICTE SECRETARIAT

A. Organs, agencies, and entities of the inter-American system

A.1 OAS General Secretariat

1. Secretariat for Multidimensional Security
 - Department of Public Security

B. International, regional, and subregional organizations

1. INTERPOL
2. World Bank
"""

UPPER_WORDS = [
    "BORDER",
    "CONTROLS",
    "MARITIME",
    "AVIATION",
    "SECURITY",
    "CYBER-SECURITY",
    "TOURISM",
    "CRISIS",
    "MANAGEMENT",
    "LEGISLATIVE",
    "ASSISTANCE",
    "FINANCING",
    "AND",
    "OF",
    "SUPPLY",
    "CHAIN",
]
CAP_WORDS = ["Training", "Regional", "National", "Technical", "Support", "Develop", "Scholarships"]
LOWER_WORDS = [
    "security",
    "training",
    "courses",
    "for",
    "officials",
    "on",
    "the",
    "port",
    "and",
    "capacity",
    "building",
    "missions",
    "of",
    "exercises",
    "sub-regional",
    "workshop",
]
PROPER_WORDS = ["Caribbean", "Hemisphere", "Interpol"]
UNIT_NOUNS = ["workshops", "courses", "missions", "assessments", "evaluations", "exercises"]
FUNDING_TEXTS = ["To be determined once funding is identified", "Funding to be identified"]
QUALITATIVE_TEXTS = [
    "Participation in conferences, papers, official visits, coordination meetings",
    "Coordination meetings with partner organizations",
]


# --- the structure ------------------------------------------------------------------------


def _capitalized(word: str) -> str:
    return word[:1].upper() + word[1:]


@st.composite
def upper_titles(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(UPPER_WORDS), min_size=1, max_size=5))
    if words[0] in ("AND", "OF"):
        words[0] = "SECURITY"
    return " ".join(words)


@st.composite
def project_titles(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(CAP_WORDS))
    rest = draw(st.lists(st.sampled_from(LOWER_WORDS + PROPER_WORDS), min_size=0, max_size=12))
    title = " ".join([first, *rest])
    return title + draw(st.sampled_from(["", ".", ""]))


@st.composite
def counted_targets(draw: st.DrawFn, *, lower_unit: bool) -> TargetData:
    quantity = draw(st.integers(min_value=1, max_value=99))
    nouns = draw(st.lists(st.sampled_from(UNIT_NOUNS), min_size=1, max_size=3))
    first = draw(st.sampled_from(CAP_WORDS))
    if lower_unit and draw(st.booleans()):
        first = first.lower()
    unit = " ".join([first, *nouns])
    dot = draw(st.sampled_from(["", "", "."]))
    return TargetData(code="", quantity=quantity, unit=unit, text=f"{quantity}{dot} {unit}")


@st.composite
def embedded_targets(draw: st.DrawFn) -> TargetData:
    quantity = draw(st.integers(min_value=2, max_value=99))
    head = [
        draw(st.sampled_from(CAP_WORDS)),
        *draw(st.lists(st.sampled_from(UNIT_NOUNS), max_size=2)),
    ]
    preposition = draw(st.sampled_from(["in", "to", "for"]))
    noun = draw(st.sampled_from(["ports", "airports", "countries", "officials"]))
    tail = draw(st.sampled_from(["", " in the Hemisphere"]))
    before = " ".join([*head, preposition])
    text = f"{before} {quantity} {noun}{tail}"
    return TargetData(code="", quantity=quantity, unit=f"{before} {noun}{tail}", text=text)


@st.composite
def target_lists(draw: st.DrawFn) -> list[TargetData]:
    kind = draw(
        st.sampled_from(["numbers", "numbers", "numbers", "funding", "qualitative", "none"])
    )
    if kind == "funding":
        text = draw(st.sampled_from(FUNDING_TEXTS))
        return [TargetData("", None, "", text, "to_be_identified")]
    if kind == "qualitative":
        return [TargetData("", None, "", draw(st.sampled_from(QUALITATIVE_TEXTS)))]
    if kind == "none":
        return []
    count = draw(st.integers(min_value=1, max_value=4))
    return [
        draw(st.one_of(counted_targets(lower_unit=False), embedded_targets())) for _ in range(count)
    ]


@st.composite
def work_area_lists(draw: st.DrawFn) -> list[WorkAreaData]:
    work_areas = []
    for number in range(1, draw(st.integers(min_value=1, max_value=5)) + 1):
        area = WorkAreaData(number=number, title=draw(upper_titles()))
        unlettered = draw(st.integers(min_value=0, max_value=4)) == 0
        program_count = 1 if unlettered else draw(st.integers(min_value=1, max_value=4))
        for index in range(program_count):
            letter = None if unlettered else "ABCDEFGH"[index]
            area.programs.append(draw(programs(number, letter)))
        work_areas.append(area)
    return work_areas


@st.composite
def programs(draw: st.DrawFn, area: int, letter: str | None) -> ProgramData:
    code = f"{area}.{letter or '0'}"
    program = ProgramData(code=code, letter=letter, title=draw(upper_titles()))
    numbered = draw(st.integers(min_value=0, max_value=3)) > 0
    count = draw(st.integers(min_value=1, max_value=5)) if numbered else 1
    for index in range(count):
        number = index + 1 if numbered else None
        project_code = f"{code}.{number or 0}"
        targets = [
            TargetData(
                code=f"{project_code}.{letter_code(position)}",
                quantity=target.quantity,
                unit=target.unit.rstrip("."),
                text=target.text,
                funding=target.funding,
            )
            for position, target in enumerate(draw(target_lists()))
        ]
        program.projects.append(ProjectData(project_code, number, draw(project_titles()), targets))
    return program


# --- rendering ----------------------------------------------------------------------------


@dataclass
class Renderer:
    draw: st.DrawFn
    lines: list[str] = field(default_factory=list)

    def maybe_page_break(self) -> None:
        if self.draw(st.integers(min_value=0, max_value=4)) == 0:
            self.page_break()

    def page_break(self) -> None:
        self.lines.extend(PAGE_HEADER)

    def row(self, *cells: str) -> None:
        self.maybe_page_break()
        self.lines.append("\t".join(cells))

    def activity_chunks(self, targets: list[TargetData]) -> list[str]:
        """The targets cut into cells: several per line, sometimes in <p> paragraphs."""
        if not targets:
            return []
        cuts = self.draw(
            st.lists(st.integers(min_value=1, max_value=len(targets) - 1), unique=True)
            if len(targets) > 1
            else st.just([])
        )
        bounds = [0, *sorted(cuts), len(targets)]
        chunks = []
        for start, end in itertools.pairwise(bounds):
            texts = [target.text for target in targets[start:end]]
            if self.draw(st.booleans()):
                chunks.append(" ".join(f"<p>{text}</p>" for text in texts))
            else:
                chunks.append(" ".join(texts))
        return chunks

    def project_cell(self, project: ProjectData) -> str:
        if project.number is None:
            return project.title
        dot = "." if project.number == 1 or self.draw(st.integers(0, 3)) else ""
        return f"{project.number}{dot} {project.title}"

    def project(self, project: ProjectData, work_area_cell: str, program_cell: str) -> None:
        chunks = self.activity_chunks(project.targets)
        cell = self.project_cell(project)
        style = self.draw(st.sampled_from(["plain", "plain", "html", "left", "right", "split"]))
        if style == "left" and not work_area_cell and not program_cell and project.number:
            self.row(cell, "", "", chunks.pop(0) if chunks else "")
        elif (
            style == "right"
            and not work_area_cell
            and program_cell[:1].isalpha()
            and (program_cell[1:2] == ".")
        ):
            self.row("", "", program_cell, cell)
        elif style == "split" and not program_cell and len(cell.split(" ")) > 2:
            # A numbered project (never the first of its program here) cut by a page break.
            words = cell.split(" ")
            cut = self.draw(st.integers(min_value=2, max_value=len(words) - 1))
            self.row("", "", " ".join(words[:cut]), chunks.pop(0) if chunks else "")
            self.page_break()
            self.lines.append("\t".join(["", "", " ".join(words[cut:]), ""]))
        else:
            shown = f"<p>{cell}</p>" if style == "html" else cell
            self.row(work_area_cell, program_cell, shown, chunks.pop(0) if chunks else "")
        for chunk in chunks:
            self.row("", "", "", chunk)


def render(draw: st.DrawFn, work_areas: list[WorkAreaData]) -> str:
    renderer = Renderer(draw)
    renderer.lines.extend(PAGE_HEADER[1:])
    for area in work_areas:
        work_area_cell = f"{area.number}. {area.title}"
        if draw(st.integers(min_value=0, max_value=3)) == 0:
            renderer.row(work_area_cell)
            work_area_cell = ""
        for program in area.programs:
            program_cell = f"{program.letter}. {program.title}" if program.letter else program.title
            for project in program.projects:
                renderer.project(project, work_area_cell, program_cell)
                work_area_cell = program_cell = ""
    return COVER + "\n".join(renderer.lines) + "\n" + PARTNERS


@st.composite
def rendered_plans(draw: st.DrawFn) -> tuple[list[WorkAreaData], str]:
    work_areas = draw(work_area_lists())
    return work_areas, render(draw, work_areas)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rendered_plans())
def test_generated_plan_structure_is_recovered(case: tuple[list[WorkAreaData], str]) -> None:
    expected, text = case
    result = parse_plan_text(text)
    assert result.plan.work_areas == expected, text
    without_targets = [
        project.code
        for area in expected
        for program in area.programs
        for project in program.projects
        if not project.targets
    ]
    warned = [warning.message.split()[1] for warning in result.warnings]
    assert warned == without_targets
    assert len(result.plan.partners) == 3
    assert result.plan.symbol == "CICTE/doc.5/12 rev. 1"
