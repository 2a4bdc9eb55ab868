"""Plain data returned by the progress selectors (the contract between progress, the
dashboard, the CLI, the API and the semi-annual report). No Django imports.

Rules (docs/progress.md "How progress is counted"):
- ``delivered`` = units of *held* events whose ``end_date`` falls in the period.
- ``planned`` = units of planned/confirmed events ending in the period (not yet held).
- ``percent`` = delivered / quantity × 100 (may exceed 100); ``None`` for qualitative and
  unfunded targets, which are reported by their kind, never as 0 %.
- Roll-ups (project, program, work area, plan) add ``quantity`` and ``delivered`` over their
  numeric targets; their ``percent`` is the ratio of those sums (None when no numeric target).
- ``status``: achieved (delivered ≥ quantity); not_started (nothing delivered, nothing
  planned); on_track when delivered / quantity ≥ the share of the plan year elapsed at the end
  of the period, else behind (whole-year period: behind = not achieved); unfunded and
  qualitative by kind.
- Per member state: held events where the state is a beneficiary **or** the host (each
  event once); participants by sex from the per-country participation rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from cicte.core.periods import Period

TargetKind = Literal["quantitative", "qualitative", "unfunded"]
TargetStatus = Literal["achieved", "on_track", "behind", "not_started", "unfunded", "qualitative"]


@dataclass
class TargetProgress:
    target_id: int
    code: str
    text: str
    unit: str
    quantity: int | None
    kind: TargetKind
    delivered: int
    planned: int
    events_held: int
    percent: float | None
    status: TargetStatus
    project_code: str = ""
    program_code: str = ""
    work_area_number: int = 0
    # Share of the plan year elapsed at the end of the period, as a percentage (the bar an
    # on-track target must reach); None for qualitative and unfunded targets.
    expected_percent: float | None = None


@dataclass
class Rollup:
    """Sums over the numeric targets below one node of the plan tree."""

    code: str
    title: str
    quantity: int = 0
    delivered: int = 0
    planned: int = 0
    percent: float | None = None
    unfunded: int = 0  # targets to be determined once funding is identified
    qualitative: int = 0
    numeric: int = 0  # quantitative targets summed in quantity/delivered
    status_counts: dict[str, int] = field(default_factory=dict)  # status -> targets below


@dataclass
class ProjectProgress(Rollup):
    targets: list[TargetProgress] = field(default_factory=list)


@dataclass
class ProgramProgress(Rollup):
    projects: list[ProjectProgress] = field(default_factory=list)


@dataclass
class WorkAreaProgress(Rollup):
    number: int = 0
    programs: list[ProgramProgress] = field(default_factory=list)


@dataclass
class PlanProgress(Rollup):
    plan_id: int = 0
    year: int = 0
    period: Period | None = None
    work_areas: list[WorkAreaProgress] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)
    elapsed_share: float = 1.0  # share of the plan year elapsed at the end of the period
    member_state: str = ""  # alpha-3 when only one state's events were counted

    @property
    def targets(self) -> list[TargetProgress]:
        return [
            t
            for wa in self.work_areas
            for program in wa.programs
            for project in program.projects
            for t in project.targets
        ]


@dataclass
class MemberStateProgress:
    code: str
    name: str
    subregion: str
    small_island_state: bool
    events_held: int = 0  # held events in the period where the state is beneficiary or host
    participants_total: int = 0  # from CountryParticipation rows for the state
    women: int = 0
    men: int = 0
    not_stated: int = 0
    events_by_program: dict[str, int] = field(default_factory=dict)  # program code -> events


@dataclass
class EventRow:
    """An event as listed in tables (no personal data)."""

    event_id: int
    title: str
    kind: str
    status: str
    start_date: dt.date
    end_date: dt.date
    city: str
    host_state: str | None  # alpha-3
    beneficiaries: list[str]  # alpha-3 codes
    participants_total: int
    women: int
    men: int
    partners: list[str]  # acronyms or names
    target_codes: list[str]
    units: dict[str, int] = field(default_factory=dict)  # target code -> units
    kind_label: str = ""
    status_label: str = ""
    target_units: int = 0  # units toward the target being listed (target_events)


@dataclass
class EventRowPage:
    """One page of a long event table: the rows shown (latest first) and the total."""

    rows: list[EventRow]
    total: int
    number: int = 1
    size: int = 50

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class PlanSummary:
    """Headline figures of the dashboard for one plan, period and filter."""

    events_held: int = 0
    events_planned: int = 0  # planned or confirmed, ending in the period
    events_not_held: int = 0  # planned, confirmed or postponed, ending in the period
    states_reached: int = 0  # distinct beneficiary or host states of held events
    participants_total: int = 0
    women: int = 0
    men: int = 0
    targets_total: int = 0
    targets_numeric: int = 0
    targets_achieved: int = 0
    targets_on_track: int = 0
    targets_behind: int = 0
    targets_not_started: int = 0
    achieved_percent: float | None = None  # of numeric targets
    on_track_percent: float | None = None
    # Achieved targets are on track too: the dashboard and the report show this figure
    # ("achieved or on track"), so a "0 % on track" never sits beside "3 achieved".
    targets_on_track_or_achieved: int = 0
    on_track_or_achieved_percent: float | None = None
