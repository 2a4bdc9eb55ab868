"""Plain data describing one Work Plan document.

Pure Python: no Django imports. Parsers (text, JSON, YAML, XLSX) produce a
``PlanDocument``; the services in ``cicte.plan.services`` write it to the database and
``cicte.plan.selectors`` read it back into the same shape for export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

MandateKind = Literal["cicte_declaration", "cicte_decision", "ga_resolution", "ga_declaration"]
Funding = Literal["identified", "to_be_identified"]
PartnerGroup = Literal["oas_general_secretariat", "inter_american", "international"]


class PlanParseError(ValueError):
    """A document could not be read as a Work Plan.

    ``line`` is 1-based and points at the offending line of the input (``None`` when the
    problem concerns the whole document, e.g. it is empty).
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class ParseWarning:
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


@dataclass
class TargetData:
    code: str  # stable, unique in the plan: "1.A.1.a"
    quantity: int | None  # None: qualitative or to be determined once funding is identified
    unit: str  # "Workshops", "Training needs assessments in ports"
    text: str  # the plan's own words: "Training needs assessments in 18 ports in the Hemisphere"
    funding: Funding = "identified"


@dataclass
class ProjectData:
    code: str  # "1.A.1"; unnumbered projects get "1.D.0" (see docs/data-formats.md)
    number: int | None
    title: str
    targets: list[TargetData] = field(default_factory=list)


@dataclass
class ProgramData:
    code: str  # "1.A"; a program without letter gets "5.0"
    letter: str | None
    title: str
    projects: list[ProjectData] = field(default_factory=list)


@dataclass
class WorkAreaData:
    number: int
    title: str
    programs: list[ProgramData] = field(default_factory=list)


@dataclass
class SubparagraphData:
    letter: str  # "a"
    text: str  # "" when the plan elides it ("...")
    relevant: bool = True  # False when a footnote says it is not relevant to the Secretariat


@dataclass
class MandateClauseData:
    paragraph: str  # "5", "11"; "" when the source quotes an unnumbered passage
    text: str  # the quoted text of the paragraph (chapeau when it has subparagraphs)
    subparagraphs: list[SubparagraphData] = field(default_factory=list)
    implemented_by: list[str] = field(default_factory=list)  # program / project codes


@dataclass
class MandateSourceData:
    kind: MandateKind
    symbol: str  # normalized: "AG/RES. 2618 (XLI-O/11)", "CICTE/DEC. 1/11"
    title: str
    clauses: list[MandateClauseData] = field(default_factory=list)


@dataclass
class PartnerData:
    name: str
    acronym: str | None
    group: PartnerGroup
    parent: str | None = None  # the unit this organization belongs to, when the plan says
    units: list[str] = field(default_factory=list)  # sub-units listed under it (" - " lines)


@dataclass
class PlanDocument:
    symbol: str  # "CICTE/doc.5/12 rev. 1"
    year: int
    title: str
    series: str = ""  # "OEA/Ser.L/X.2.12"
    session: str = ""  # "Twelfth Regular Session"
    session_date: dt.date | None = None
    place: str = ""
    approval_date: dt.date | None = None
    issue_date: dt.date | None = None
    original_language: str = "en"
    preamble: str = ""
    mandates: list[MandateSourceData] = field(default_factory=list)
    work_areas: list[WorkAreaData] = field(default_factory=list)
    partners: list[PartnerData] = field(default_factory=list)


@dataclass
class ParseResult:
    plan: PlanDocument
    warnings: list[ParseWarning] = field(default_factory=list)
