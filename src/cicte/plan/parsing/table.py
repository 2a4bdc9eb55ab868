"""SECTION II: the table of work areas, programs, projects and activities.

Each table row is one line of tab-separated cells in the columns WORK AREAS, PROGRAM,
PROJECT and ACTIVITY. The PDF extraction does not keep the columns reliably, so a cell is
recognised by its shape first and by its column second:

* work area: "1. BORDER CONTROLS" (number, then capitals) in the first or second column;
* program: "A. MARITIME SECURITY" (letter, then capitals) anywhere before the project, or
  capitals without a letter ("PARTNERSHIPS") in the program column;
* project and activity: the remaining cells, in that order. A single remaining cell is the
  project unless it sits in the activity column once the row's shift is undone (a program
  found one column to the right shifts the rest of the row one column to the right).

The header block repeated at each page break is skipped, a project title cut by a page
break is joined again, and a row with only an ACTIVITY cell adds targets to the project
above it. See docs/data-formats.md ("Layout quirks") for the full list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import Line, cell_paragraphs, is_table_header, is_upper_title, letter_code
from .lines import section_heading as find_section_heading
from .targets import parse_activity
from .types import (
    ParseWarning,
    PlanParseError,
    ProgramData,
    ProjectData,
    TargetData,
    WorkAreaData,
)

_WORK_AREA_RE = re.compile(r"^(\d{1,2})\s*\.\s*(\S.*)$")
_PROGRAM_RE = re.compile(r"^([A-Z])\s*\.\s*(\S.*)$")
_PROJECT_NUMBER_RE = re.compile(r"^(\d{1,2})(\.)?\s+(\S.*)$")
_SENTENCE_END = (".", ":", ";", "!", "?", ")")
_COLUMNS = 4


@dataclass
class Row:
    """One table line, its cells sorted into the four logical columns."""

    line: Line
    work_area: tuple[int, str] | None = None
    program: tuple[str | None, str] | None = None
    project: str | None = None
    activity: list[str] = field(default_factory=list)

    @property
    def has_structure(self) -> bool:
        return self.work_area is not None or self.program is not None


def classify_row(line: Line) -> Row:
    """Sort the cells of one table line into work area, program, project and activity."""
    cells = line.text.split("\t")
    while len(cells) > _COLUMNS and not cells[-1].strip():
        cells.pop()
    if len(cells) > _COLUMNS:
        raise PlanParseError(
            f"table row has {len(cells)} columns; expected at most {_COLUMNS} "
            "(WORK AREAS, PROGRAM, PROJECT, ACTIVITY)",
            line=line.number,
        )
    row = Row(line)
    shift = 0
    texts: list[tuple[int, list[str]]] = []
    for column, cell in enumerate(cells):
        paragraphs = cell_paragraphs(cell)
        if not paragraphs:
            continue
        joined = " ".join(paragraphs)
        if not texts and _take_work_area(row, joined, column):
            shift = column
        elif not texts and _take_program(row, joined, column - shift):
            shift = column - 1
        else:
            texts.append((column - shift, paragraphs))
    _assign_texts(row, texts)
    return row


def _take_work_area(row: Row, text: str, column: int) -> bool:
    match = _WORK_AREA_RE.match(text)
    if row.work_area or row.program or column > 1 or not match or not is_upper_title(match[2]):
        return False
    row.work_area = (int(match[1]), match[2])
    return True


def _take_program(row: Row, text: str, logical_column: int) -> bool:
    if row.program or logical_column > 2:
        return False
    match = _PROGRAM_RE.match(text)
    if match and is_upper_title(match[2]):
        row.program = (match[1], match[2])
        return True
    if logical_column == 1 and is_upper_title(text) and not text[0].isdigit():
        row.program = (None, text)
        return True
    return False


def _assign_texts(row: Row, texts: list[tuple[int, list[str]]]) -> None:
    if len(texts) > 2:
        raise PlanParseError(
            "cannot tell the project from the activity: the row has "
            f"{len(texts)} text cells besides the work area and program",
            line=row.line.number,
        )
    if len(texts) == 2:
        row.project = " ".join(texts[0][1])
        row.activity = texts[1][1]
    elif texts:
        column, paragraphs = texts[0]
        if column >= _COLUMNS - 1:
            row.activity = paragraphs
        else:
            row.project = " ".join(paragraphs)


@dataclass
class _TableBuilder:
    work_areas: list[WorkAreaData] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    lines_by_code: dict[str, int] = field(default_factory=dict)
    project: ProjectData | None = None
    previous_row_touched_project: bool = False

    @property
    def work_area(self) -> WorkAreaData | None:
        return self.work_areas[-1] if self.work_areas else None

    @property
    def program(self) -> ProgramData | None:
        work_area = self.work_area
        return work_area.programs[-1] if work_area and work_area.programs else None

    def add_row(self, row: Row, *, after_page_break: bool) -> None:
        if row.work_area:
            self._open_work_area(*row.work_area, line=row.line.number)
        if row.program:
            self._open_program(*row.program, line=row.line.number)
        touched = False
        if row.project is not None:
            self._add_project_text(row, after_page_break=after_page_break)
            touched = True
        if row.activity:
            self._add_targets(row)
            touched = True
        self.previous_row_touched_project = touched

    def _open_work_area(self, number: int, title: str, *, line: int) -> None:
        self._check_closed_work_area()
        expected = len(self.work_areas) + 1
        if number != expected:
            raise PlanParseError(
                f"work area {number} where work area {expected} was expected "
                "(work areas are numbered 1, 2, 3, ... in order)",
                line=line,
            )
        self.work_areas.append(WorkAreaData(number=number, title=title))
        self.lines_by_code[str(number)] = line
        self.project = None

    def _open_program(self, letter: str | None, title: str, *, line: int) -> None:
        work_area = self.work_area
        if work_area is None:
            raise PlanParseError(f"program {title!r} appears before any work area", line=line)
        self._check_closed_program()
        code = f"{work_area.number}.{letter or '0'}"
        self._claim(code, line, what="program")
        work_area.programs.append(ProgramData(code=code, letter=letter, title=title))
        self.project = None

    def _add_project_text(self, row: Row, *, after_page_break: bool) -> None:
        text = row.project or ""
        if not row.has_structure and self._is_continuation(text, after_page_break):
            assert self.project is not None
            joiner = "" if self.project.title.endswith("-") else " "
            self.project.title = f"{self.project.title}{joiner}{text}"
            return
        program = self.program
        if program is None:
            raise PlanParseError(
                f"project {text!r} appears before any program", line=row.line.number
            )
        number, title = _project_number(text, _next_number(program))
        code = f"{program.code}.{number if number is not None else 0}"
        self._claim(code, row.line.number, what="project")
        self.project = ProjectData(code=code, number=number, title=title)
        program.projects.append(self.project)

    def _is_continuation(self, text: str, after_page_break: bool) -> bool:
        """A project title cut by a page break ("... for combating" / "terrorism.")."""
        project = self.project
        if project is None or not self.previous_row_touched_project:
            return False
        if _PROJECT_NUMBER_RE.match(text):
            return False
        if text[0].islower():
            return True
        return after_page_break and not project.title.endswith(_SENTENCE_END)

    def _add_targets(self, row: Row) -> None:
        project = self.project
        if project is None:
            raise PlanParseError(
                "activity appears before any project: " + " ".join(row.activity)[:80],
                line=row.line.number,
            )
        for spec in parse_activity(row.activity):
            code = f"{project.code}.{letter_code(len(project.targets))}"
            self._claim(code, row.line.number, what="target")
            project.targets.append(
                TargetData(
                    code=code,
                    quantity=spec.quantity,
                    unit=spec.unit,
                    text=spec.text,
                    funding=spec.funding,
                )
            )

    def _claim(self, code: str, line: int, *, what: str) -> None:
        if code in self.codes:
            raise PlanParseError(
                f"duplicate {what} code {code} (first seen on line {self.lines_by_code[code]})",
                line=line,
            )
        self.codes.add(code)
        self.lines_by_code[code] = line

    def _check_closed_program(self) -> None:
        program = self.program
        if program is not None and not program.projects:
            raise PlanParseError(
                f"program {program.code} {program.title!r} has no projects (truncated table?)",
                line=self.lines_by_code[program.code],
            )

    def _check_closed_work_area(self) -> None:
        self._check_closed_program()
        work_area = self.work_area
        if work_area is not None and not work_area.programs:
            raise PlanParseError(
                f"work area {work_area.number} {work_area.title!r} has no programs "
                "(truncated table?)",
                line=self.lines_by_code[str(work_area.number)],
            )

    def finish(self, last_line: int) -> list[WorkAreaData]:
        if not self.work_areas:
            raise PlanParseError("the SECTION II table has no work areas", line=last_line)
        self._check_closed_work_area()
        for work_area in self.work_areas:
            for program in work_area.programs:
                for project in program.projects:
                    if not project.targets:
                        self.warnings.append(_no_target_warning(project, self.lines_by_code))
        return self.work_areas


def _no_target_warning(project: ProjectData, lines_by_code: dict[str, int]) -> ParseWarning:
    return ParseWarning(
        f"project {project.code} {project.title!r} has no target (empty ACTIVITY cell)",
        line=lines_by_code[project.code],
    )


def _next_number(program: ProgramData) -> int:
    numbers = [project.number for project in program.projects if project.number is not None]
    return max(numbers, default=0) + 1


def _project_number(text: str, expected: int) -> tuple[int | None, str]:
    """Split the project number: "1. Title" -> (1, "Title").

    A number without a dot ("6 Create ...") counts only when it is the next number.
    """
    match = _PROJECT_NUMBER_RE.match(text)
    if match is None:
        return None, text
    number = int(match[1])
    if match[2] or (number == expected and match[3][0].isupper()):
        return number, match[3]
    return None, text


def parse_table(lines: list[Line]) -> tuple[list[WorkAreaData], list[ParseWarning]]:
    """Parse the lines from the first SECTION II heading up to the list of partners."""
    builder = _TableBuilder()
    seen_header = False
    after_page_break = False
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = find_section_heading(lines, index)
        if heading is not None:
            if heading.section != 2:
                raise PlanParseError(
                    "SECTION 1 heading inside the SECTION II table", line=line.number
                )
            after_page_break = True
            index += heading.lines
            continue
        index += 1
        if is_table_header(line):
            seen_header = True
            after_page_break = True
            continue
        if not line.text.strip():
            continue
        if not seen_header:
            raise PlanParseError(
                "expected the table header 'WORK AREAS<tab>PROGRAM<tab>PROJECT<tab>ACTIVITY'",
                line=line.number,
            )
        builder.add_row(classify_row(line), after_page_break=after_page_break)
        after_page_break = False
    if not seen_header:
        last = lines[-1].number if lines else None
        raise PlanParseError("the SECTION II table has no column header row", line=last)
    work_areas = builder.finish(lines[-1].number)
    return work_areas, builder.warnings
