"""Progress: the same figures as the dashboard (``cicte.progress.selectors``). Aggregates only,
no personal data, so public for approved plans."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cicte.api.base import ERRORS, ApiError, plan_for
from cicte.core.periods import PeriodError, parse_period
from cicte.progress.selectors import plan_progress, plan_summary
from cicte.progress.types import PlanProgress

router = Router(tags=["progress"])


class TargetProgressOut(Schema):
    target_id: int
    code: str
    text: str
    unit: str
    quantity: int | None
    kind: str
    delivered: int
    planned: int
    events_held: int
    percent: float | None
    expected_percent: float | None = None
    status: str


class RollupOut(Schema):
    code: str
    title: str
    quantity: int
    delivered: int
    planned: int
    percent: float | None
    unfunded: int
    qualitative: int
    numeric: int


class ProjectProgressOut(RollupOut):
    targets: list[TargetProgressOut]


class ProgramProgressOut(RollupOut):
    projects: list[ProjectProgressOut]


class WorkAreaProgressOut(RollupOut):
    number: int
    programs: list[ProgramProgressOut]


class SummaryOut(Schema):
    events_held: int
    states_reached: int
    participants_total: int
    women: int
    men: int
    targets_total: int
    targets_numeric: int
    targets_achieved: int


class PlanProgressOut(RollupOut):
    plan_id: int
    year: int
    period: str
    period_start: str
    period_end: str
    member_state: str
    status_counts: dict[str, int]
    summary: SummaryOut
    work_areas: list[WorkAreaProgressOut]


class ProgressQuery(Schema):
    period: str | None = Field(None, description="2012-H1, 2012-Q3, 2012 or a date range.")
    work_area: int | None = Field(None, ge=1, le=99)
    program: str | None = Field(None, max_length=20, description="Program code, e.g. 1.A")
    member_state: str | None = Field(None, max_length=3, description="ISO alpha-3.")


@router.get(
    "/plans/{plan}/progress",
    response={200: PlanProgressOut, **ERRORS},
    summary="Progress of a plan's targets",
)
def progress(request: HttpRequest, plan: str, query: Query[ProgressQuery]) -> dict[str, Any]:
    """Delivered units of held events against each target's quantity, rolled up to project,
    program, work area and plan; optionally for one period, program or member state."""
    work_plan = plan_for(request, plan)
    period = None
    if query.period:
        try:
            period = parse_period(query.period)
        except PeriodError as exc:
            raise ApiError(422, "invalid_period", str(exc)) from None
    state = (query.member_state or "").upper() or None
    result: PlanProgress = plan_progress(
        plan=work_plan,
        period=period,
        work_area=query.work_area,
        program=query.program or None,
        member_state=state,
    )
    summary = plan_summary(
        plan=work_plan,
        period=result.period,
        progress=result,
        work_area=query.work_area,
        program=query.program or None,
        member_state=state,
    )
    assert result.period is not None
    return {
        **{name: getattr(result, name) for name in RollupOut.model_fields},
        "plan_id": result.plan_id,
        "year": result.year,
        "period": result.period.label,
        "period_start": result.period.start.isoformat(),
        "period_end": result.period.end.isoformat(),
        "member_state": result.member_state,
        "status_counts": result.status_counts,
        "summary": summary,
        "work_areas": result.work_areas,
    }
