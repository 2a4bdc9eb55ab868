"""Plain data of the semi-annual report (no Django imports).

A report is an ordered list of :class:`Section`. Each section carries its typed ``data``
(for tests and the API) and a list of generic *blocks* (headings, paragraphs, figures,
tables, charts) that every renderer knows how to draw, plus the flat ``sheets`` written to
XLSX. A new section therefore needs no change in any renderer (see docs/reports.md).

:class:`ReportContext` is what every section builder reads; :func:`cicte.reports.build.report_data`
fills it once per report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex, TypeVar, overload

from cicte.core.periods import Period

if TYPE_CHECKING:
    from cicte.plan.models import PlanMandate, WorkPlan
    from cicte.progress.types import MemberStateProgress, PlanProgress


_T = TypeVar("_T")


class Deferred(list[_T]):
    """A list read from the database on first use: ``load()`` runs once, when the list is
    iterated, indexed or compared. ``len()`` and ``bool()`` answer from ``length`` (a count
    the report already has) without loading. The report keeps its event lists and the XLSX
    sheets of every event this way: HTML, PDF and DOCX never read past the rows they show
    (the capped tables), only the XLSX renderer walks a whole sheet."""

    def __init__(self, load: Callable[[], Iterable[_T]], length: int | None = None) -> None:
        super().__init__()
        self._load: Callable[[], Iterable[_T]] | None = load
        self._length = length

    def _fill(self) -> None:
        if self._load is not None:
            load, self._load = self._load, None
            super().extend(load())

    @property
    def loaded(self) -> bool:
        return self._load is None

    def __len__(self) -> int:
        if self._load is not None and self._length is not None:
            return self._length
        self._fill()
        return super().__len__()

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[_T]:
        self._fill()
        return super().__iter__()

    def __reversed__(self) -> Iterator[_T]:
        self._fill()
        return super().__reversed__()

    @overload
    def __getitem__(self, index: SupportsIndex) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...
    def __getitem__(self, index: Any) -> Any:
        self._fill()
        return super().__getitem__(index)

    def __contains__(self, item: object) -> bool:
        self._fill()
        return super().__contains__(item)

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, Deferred):
            other._fill()
        return list(super().__iter__()) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __repr__(self) -> str:
        self._fill()
        return f"Deferred({super().__repr__()})"

    def append(self, item: _T) -> None:
        self._fill()
        super().append(item)

    def extend(self, items: Iterable[_T]) -> None:
        self._fill()
        super().extend(items)

    def copy(self) -> list[_T]:
        self._fill()
        return list(super().__iter__())


@dataclass(frozen=True)
class Status:
    """A target status in a table cell: the key (CSS class) and its translated label."""

    key: str
    label: str

    def __str__(self) -> str:
        return self.label


Cell = str | int | float | dt.date | Status | None


@dataclass
class Column:
    label: str
    numeric: bool = False
    percent: bool = False  # float cells shown as "45%"


@dataclass
class Heading:
    text: str
    level: int = 3  # report title is 1, section titles 2


@dataclass
class Paragraph:
    text: str
    role: Literal["text", "note", "narrative", "empty"] = "text"
    label: str = ""  # shown in bold before the text ("Narrative:")


@dataclass
class Figure:
    label: str
    value: int | float | None
    percent: bool = False
    detail: str = ""


@dataclass
class Figures:
    items: list[Figure]


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    sheet_title: str = ""  # XLSX sheet name (max 31 characters)


@dataclass
class Bar:
    label: str
    values: list[int]


@dataclass
class Chart:
    title: str
    description: str
    series: list[str]  # one label per value in each bar
    bars: list[Bar]


@dataclass
class Graphic:
    """A figure drawn by a template as inline SVG (the member-state map, a time series):
    HTML and PDF draw ``template`` with ``context``; DOCX and XLSX leave it out, so a
    section that adds one also adds a :class:`Table` with the same figures."""

    title: str
    template: str
    context: dict[str, object] = field(default_factory=dict)


Block = Heading | Paragraph | Figures | Table | Chart | Graphic


@dataclass
class Section:
    key: str
    title: str
    blocks: Sequence[Block] = field(default_factory=list)
    sheets: list[Table] = field(default_factory=list)
    data: object = None


@dataclass
class ReportMeta:
    plan_id: int
    plan_symbol: str
    plan_title: str
    plan_series: str
    plan_year: int
    period: Period
    period_label: str  # localized ("January–June 2012")
    language: str
    document_symbol: str
    issued: dt.date | None  # the issue date set at publication; None for a draft
    issued_label: str  # localized date, or "Draft, not yet issued"
    original_language_label: str  # "English" / "inglés"
    title: str
    subtitle: str


# --- typed data of the built-in sections -------------------------------------------------


@dataclass
class SummaryData:
    events_held: int
    member_states_reached: int
    participants_total: int
    women: int
    men: int
    not_stated: int
    scholarships: int
    partner_organizations: int
    targets_assessed: int  # numeric, funded targets
    targets_on_track_or_achieved: int
    share_on_track: float | None  # percent


@dataclass
class MandateLinkRow:
    code: str
    title: str
    level: Literal["program", "project"]
    events_held: int
    delivered: int


@dataclass
class MandateClauseRow:
    paragraph: str
    text: str
    links: list[MandateLinkRow]


@dataclass
class MandateSourceRow:
    kind: str
    kind_label: str
    symbol: str
    title: str
    clauses: list[MandateClauseRow]


@dataclass
class TargetRow:
    code: str
    text: str
    unit: str
    quantity: int | None
    delivered_period: int
    delivered_year: int
    percent: float | None  # cumulative in the plan year, up to the period end
    status: str


@dataclass
class ProjectRow:
    code: str
    title: str
    targets: list[TargetRow]


@dataclass
class ProgramRow:
    code: str
    title: str
    narrative: str
    projects: list[ProjectRow]


@dataclass
class WorkAreaRow:
    number: int
    title: str
    quantity: int
    delivered_period: int
    delivered_year: int
    percent: float | None
    programs: list[ProgramRow]


@dataclass
class EventLine:
    """An event as the report lists it: counts only, never personal data."""

    event_id: int
    kind: str
    title: str
    start_date: dt.date
    end_date: dt.date
    city: str
    host_state: str | None
    beneficiaries: list[str]
    participants_total: int
    women: int
    men: int
    partners: list[str]  # acronyms or names
    partner_ids: list[int] = field(default_factory=list)
    contributions: list[tuple[int, int]] = field(default_factory=list)  # (target id, units)


@dataclass
class StateCoverageRow:
    code: str
    name: str
    subregion: str
    events_held: int
    participants_total: int
    women: int
    men: int


@dataclass
class SubregionCoverageRow:
    key: str
    label: str
    states_reached: int
    states_total: int
    events_held: int  # distinct events with a beneficiary or host in the subregion
    participants_total: int


@dataclass
class CoverageData:
    states: list[StateCoverageRow]
    subregions: list[SubregionCoverageRow]


@dataclass
class FundingGapRow:
    project_code: str
    project_title: str
    target_code: str
    text: str


@dataclass
class ReportData:
    meta: ReportMeta
    sections: list[Section]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def headings(self) -> list[str]:
        """Every heading of the report, in order (section titles and block headings)."""
        out = [self.meta.title]
        for section in self.sections:
            out.append(section.title)
            out.extend(b.text for b in section.blocks if isinstance(b, Heading))
        return out


class ReportError(ValueError):
    """A report cannot be produced for this input (one line, shown to the user)."""


@dataclass
class HeldTotals:
    """The figures of the events held in the period, each an SQL aggregate."""

    events: int = 0
    participants_total: int = 0
    women: int = 0
    men: int = 0
    scholarships: int = 0  # held scholarship events count max(participants, 1) each
    evaluations: int = 0  # held events of kind evaluation
    partner_organizations: int = 0  # distinct
    subregion_events: dict[str, int] = field(default_factory=dict)  # distinct, beneficiary or host
    program_events: dict[str, int] = field(default_factory=dict)  # code -> distinct events
    project_events: dict[str, int] = field(default_factory=dict)


@dataclass
class ReportContext:
    """Everything a section builder may read. Built once per report."""

    plan: WorkPlan
    period: Period
    year_to_date: Period
    language: str
    progress: PlanProgress  # delivered in the period
    progress_year: PlanProgress  # cumulative from 1 January of the plan year to the period end
    member_states: list[MemberStateProgress]
    events: list[EventLine]  # held, ending in the period, by start date (a Deferred list)
    narratives: dict[str, str]  # program code -> text
    mandates: list[PlanMandate]  # source -> clauses -> programs/projects of this plan
    extra: dict[str, object] = field(default_factory=dict)  # for sections added by other apps
    # The numbers of the held events, computed in SQL (reports.selectors.held_totals).
    totals: HeldTotals = field(default_factory=lambda: HeldTotals())
    # The first ``limit`` held events (optionally of one kind), one query:
    # reports.selectors.event_lines. Sections list these in documents instead of ``events``.
    first_events: Callable[..., list[EventLine]] = field(default=lambda **_kw: [])
