"""Plain data returned by the progress selectors (the contract between progress, the
dashboard, the CLI, the API and the semi-annual report). No Django imports.

Rules (docs/user-guide.md "How progress is counted"):
- ``delivered`` = units of *held* events whose ``end_date`` falls in the period.
- ``planned`` = units of planned/confirmed events ending in the period (not yet held).
- ``percent`` = delivered / quantity × 100 (may exceed 100); ``None`` for qualitative and
  unfunded targets, which are reported by their kind, never as 0 %.
- Roll-ups (project, program, work area, plan) add ``quantity`` and ``delivered`` over their
  numeric targets; their ``percent`` is the ratio of those sums (None when no numeric target).
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
    events_held: int = 0  # held events in the period where the state is a beneficiary
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
