"""Progress of a Work Plan: targets vs what was delivered, by period, plan node and country.

Every function here runs a fixed number of queries whatever the number of events or targets:
sums are computed in the database (``values().annotate(Sum(...))``) and the plan tree is
assembled in Python. The counting rules are pure functions in ``cicte.progress.rules``,
documented in docs/progress.md and in ``cicte.progress.types``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import get_language

from cicte.core.periods import Period
from cicte.delivery.models import (
    CountryParticipation,
    Event,
    EventKind,
    EventStatus,
    EventTarget,
)
from cicte.delivery.selectors import event_rows, state_event_ids
from cicte.directory.countries import country_name
from cicte.directory.models import MemberState
from cicte.plan.models import Program, Project, Target, WorkArea, WorkPlan
from cicte.progress.rules import elapsed_share, percent, plan_period, target_kind, target_status
from cicte.progress.types import (
    EventRow,
    EventRowPage,
    MemberStateProgress,
    PlanProgress,
    PlanSummary,
    ProgramProgress,
    ProjectProgress,
    Rollup,
    TargetProgress,
    TargetStatus,
    WorkAreaProgress,
)

HELD = (EventStatus.HELD,)
PLANNED = (EventStatus.PLANNED, EventStatus.CONFIRMED)
NOT_HELD = (EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.POSTPONED)
#: Rows of an event table on the target and member-state pages (then pages).
EVENTS_SHOWN = 50
STATUSES: tuple[TargetStatus, ...] = (
    "achieved",
    "on_track",
    "behind",
    "not_started",
    "unfunded",
    "qualitative",
)


# --- building blocks --------------------------------------------------------------------------


def _contribution_sums(
    *, plan: WorkPlan, period: Period, member_state: str | None, target_ids: Iterable[int] | None
) -> dict[int, tuple[int, int, int]]:
    """target id → (delivered units, planned units, held events) in one grouped query."""
    rows = EventTarget.objects.filter(
        target__plan=plan,
        event__end_date__gte=period.start,
        event__end_date__lte=period.end,
        event__status__in=(*HELD, *PLANNED),
    )
    if target_ids is not None:
        rows = rows.filter(target_id__in=list(target_ids))
    if member_state:
        rows = rows.filter(event_id__in=state_event_ids(member_state, plan=plan, period=period))
    sums = rows.values("target_id").annotate(
        delivered=Sum("units", filter=Q(event__status__in=HELD)),
        planned=Sum("units", filter=Q(event__status__in=PLANNED)),
        held=Count("event_id", filter=Q(event__status__in=HELD), distinct=True),
    )
    return {
        row["target_id"]: (row["delivered"] or 0, row["planned"] or 0, row["held"] or 0)
        for row in sums
    }


def _target_progress(
    target: Target, sums: tuple[int, int, int], share: float, codes: tuple[str, str, int]
) -> TargetProgress:
    delivered, planned, held = sums
    kind = target_kind(quantity=target.quantity, unfunded=target.is_unfunded)
    numeric = kind == "quantitative"
    return TargetProgress(
        target_id=target.pk,
        code=target.code,
        text=target.text,
        unit=target.unit,
        quantity=target.quantity,
        kind=kind,
        delivered=delivered,
        planned=planned,
        events_held=held,
        percent=percent(delivered, target.quantity) if numeric else None,
        status=target_status(
            kind=kind, quantity=target.quantity, delivered=delivered, planned=planned, share=share
        ),
        project_code=codes[0],
        program_code=codes[1],
        work_area_number=codes[2],
        expected_percent=round(100.0 * share, 1) if numeric else None,
    )


def _add(node: Rollup, child: Rollup | TargetProgress) -> None:
    if isinstance(child, TargetProgress):
        if child.kind == "quantitative":
            node.quantity += child.quantity or 0
            node.delivered += child.delivered
            node.planned += child.planned
            node.numeric += 1
        elif child.kind == "unfunded":
            node.unfunded += 1
        else:
            node.qualitative += 1
        node.status_counts[child.status] = node.status_counts.get(child.status, 0) + 1
        return
    node.quantity += child.quantity
    node.delivered += child.delivered
    node.planned += child.planned
    node.numeric += child.numeric
    node.unfunded += child.unfunded
    node.qualitative += child.qualitative
    for status, count in child.status_counts.items():
        node.status_counts[status] = node.status_counts.get(status, 0) + count


def _finish(node: Rollup) -> None:
    node.percent = percent(node.delivered, node.quantity) if node.numeric else None


# --- selectors --------------------------------------------------------------------------------


def plan_progress(
    *,
    plan: WorkPlan,
    period: Period | None = None,
    work_area: int | None = None,
    program: str | None = None,
    member_state: str | None = None,
) -> PlanProgress:
    """Progress of every target of the plan, rolled up to project, program, work area, plan.

    ``period`` defaults to the plan year. ``work_area`` (number) and ``program`` (code) narrow
    the tree; ``member_state`` (alpha-3) counts only events where that state is a beneficiary
    or the host. Six queries whatever the size of the plan or the number of events.
    """
    period = period or plan_period(plan)
    share = elapsed_share(year=plan.year, period=period)
    areas = WorkArea.objects.filter(plan=plan).order_by("number")
    programs = Program.objects.filter(plan=plan).order_by("position", "id")
    projects = Project.objects.filter(plan=plan).order_by("position", "id")
    targets = Target.objects.filter(plan=plan).order_by("position", "id")
    if work_area is not None:
        areas = areas.filter(number=work_area)
        programs = programs.filter(work_area__number=work_area)
        projects = projects.filter(program__work_area__number=work_area)
        targets = targets.filter(project__program__work_area__number=work_area)
    if program:
        programs = programs.filter(code=program)
        projects = projects.filter(program__code=program)
        targets = targets.filter(project__program__code=program)
        areas = areas.filter(programs__code=program)

    area_nodes = {
        a.pk: WorkAreaProgress(code=a.code, title=a.title, number=a.number) for a in areas
    }
    program_nodes: dict[int, ProgramProgress] = {}
    program_area: dict[int, int] = {}
    for g in programs:
        if g.work_area_id in area_nodes:
            program_nodes[g.pk] = ProgramProgress(code=g.code, title=g.title)
            program_area[g.pk] = g.work_area_id
            area_nodes[g.work_area_id].programs.append(program_nodes[g.pk])
    project_nodes: dict[int, ProjectProgress] = {}
    project_codes: dict[int, tuple[str, str, int]] = {}
    for p in projects:
        if p.program_id in program_nodes:
            project_nodes[p.pk] = ProjectProgress(code=p.code, title=p.title)
            program_nodes[p.program_id].projects.append(project_nodes[p.pk])
            area = area_nodes[program_area[p.program_id]]
            project_codes[p.pk] = (p.code, program_nodes[p.program_id].code, area.number)

    sums = _contribution_sums(plan=plan, period=period, member_state=member_state, target_ids=None)
    result = PlanProgress(
        code=str(plan.year),
        title=plan.title,
        plan_id=plan.pk,
        year=plan.year,
        period=period,
        elapsed_share=share,
        member_state=(member_state or "").upper(),
    )
    for t in targets:
        if t.project_id not in project_nodes:
            continue
        row = _target_progress(t, sums.get(t.pk, (0, 0, 0)), share, project_codes[t.project_id])
        project_nodes[t.project_id].targets.append(row)
        _add(project_nodes[t.project_id], row)
    for area in area_nodes.values():
        for prog in area.programs:
            for proj in prog.projects:
                _finish(proj)
                _add(prog, proj)
            _finish(prog)
            _add(area, prog)
        _finish(area)
        _add(result, area)
        result.work_areas.append(area)
    _finish(result)
    result.status_counts = {s: result.status_counts.get(s, 0) for s in STATUSES}
    return result


def target_progress(*, target: Target, period: Period | None = None) -> TargetProgress:
    """Progress of one target (2 queries)."""
    plan = target.plan
    period = period or plan_period(plan)
    share = elapsed_share(year=plan.year, period=period)
    project = Project.objects.select_related("program__work_area").get(pk=target.project_id)
    sums = _contribution_sums(plan=plan, period=period, member_state=None, target_ids=[target.pk])
    return _target_progress(
        target,
        sums.get(target.pk, (0, 0, 0)),
        share,
        (project.code, project.program.code, project.program.work_area.number),
    )


def targets_without_delivery(
    *,
    plan: WorkPlan,
    period: Period | None = None,
    work_area: int | None = None,
    program: str | None = None,
    member_state: str | None = None,
) -> list[TargetProgress]:
    """Targets with nothing delivered in the period (any kind; each row says its kind)."""
    progress = plan_progress(
        plan=plan,
        period=period,
        work_area=work_area,
        program=program,
        member_state=member_state,
    )
    return [t for t in progress.targets if t.delivered == 0]


def targets_behind(progress: PlanProgress) -> list[TargetProgress]:
    """Numeric targets that are behind or not started (pure; works on a computed progress)."""
    return [t for t in progress.targets if t.status in ("behind", "not_started")]


def _event_rows(events: QuerySet[Event]) -> list[EventRow]:
    """Events as table rows, projected from :func:`cicte.delivery.selectors.event_rows`
    (one query: the related codes are aggregated in SQL)."""
    kinds = dict(EventKind.choices)
    statuses = dict(EventStatus.choices)
    return [
        EventRow(
            event_id=e.id,
            title=e.title,
            kind=e.kind,
            status=e.status,
            start_date=e.start_date,
            end_date=e.end_date,
            city=e.city,
            host_state=e.host_state,
            beneficiaries=e.beneficiaries,  # sorted by code
            participants_total=e.participants_total,
            women=e.participants_women,
            men=e.participants_men,
            partners=sorted(p.short_name for p in e.partners),
            target_codes=sorted(t.code for t in e.targets),
            units={t.code: t.units for t in e.targets},
            kind_label=str(kinds.get(e.kind, e.kind)),
            status_label=str(statuses.get(e.status, e.status)),
        )
        for e in event_rows(events)
    ]


def _plan_events(
    *, plan: WorkPlan, period: Period, statuses: Iterable[str], member_state: str | None = None
) -> QuerySet[Event]:
    events = Event.objects.filter(
        plan=plan,
        status__in=list(statuses),
        end_date__gte=period.start,
        end_date__lte=period.end,
    )
    if member_state:
        events = events.filter(id__in=state_event_ids(member_state, plan=plan, period=period))
    return events


def events_planned_not_held(
    *,
    plan: WorkPlan,
    period: Period | None = None,
    member_state: str | None = None,
    limit: int | None = None,
) -> list[EventRow]:
    """Planned, confirmed and postponed events ending in the period, soonest first (at most
    ``limit``; the dashboard shows the first 50 and the count from ``plan_summary``)."""
    period = period or plan_period(plan)
    events = _plan_events(
        plan=plan, period=period, statuses=NOT_HELD, member_state=member_state
    ).order_by("end_date", "id")
    if limit is not None:
        events = events[:limit]
    return _event_rows(events)


def _event_row_page(events: QuerySet[Event], *, page: int, size: int) -> EventRowPage:
    """One page of ``events`` (in its order): a ``COUNT`` and one query of at most ``size``
    rows, whatever the number of events. A page out of range gives the nearest one."""
    total = events.order_by().count()
    result = EventRowPage(rows=[], total=total, size=size)
    result.number = min(max(1, page), result.num_pages)
    start = (result.number - 1) * size
    result.rows = _event_rows(events[start : start + size]) if total else []
    return result


def target_events(*, target: Target, page: int = 1, size: int = EVENTS_SHOWN) -> EventRowPage:
    """The events (any status) that count toward the target, latest first, one page of
    ``size`` and the total (two queries whatever the number of events)."""
    events = Event.objects.filter(contributions__target=target).order_by("-end_date", "-id")
    result = _event_row_page(events, page=page, size=size)
    for row in result.rows:
        row.target_units = row.units.get(target.code, 0)
    return result


def member_state_events(
    *,
    plan: WorkPlan,
    code: str,
    period: Period | None = None,
    page: int = 1,
    size: int = EVENTS_SHOWN,
) -> EventRowPage:
    """Events of the plan in the period (any status) where the state is beneficiary or host,
    latest first, one page of ``size`` and the total (two queries)."""
    period = period or plan_period(plan)
    events = _plan_events(
        plan=plan, period=period, statuses=EventStatus.values, member_state=code
    ).order_by("-end_date", "-id")
    return _event_row_page(events, page=page, size=size)


def member_state_progress(
    *, plan: WorkPlan, period: Period | None = None, codes: Iterable[str] | None = None
) -> list[MemberStateProgress]:
    """For each of the 35 member states: held events in the period where the state is a
    beneficiary **or** the host (each event once), participants by sex from the per-country
    participation rows, and events by program. Eight grouped queries whatever the number of
    events.
    """
    period = period or plan_period(plan)
    language = get_language() or "en"
    states = MemberState.objects.order_by("code")
    if codes is not None:
        states = states.filter(code__in=[c.upper() for c in codes])
    result = {
        s.pk: MemberStateProgress(
            code=s.code,
            name=country_name(s.code, language),
            subregion=s.subregion,
            small_island_state=s.small_island_state,
        )
        for s in states
    }
    held = _plan_events(plan=plan, period=period, statuses=HELD)
    wanted = list(result) if codes is not None else None

    def only(rows: Any) -> Any:
        """With ``codes``, the groups of those states only, filtered in SQL on the grouped
        column itself (the page of one state reads its rows, not the 35 states')."""
        return rows if wanted is None else rows.filter(state__in=wanted)

    # Events per state = as beneficiary + as host − both (the host is also a beneficiary),
    # each a grouped count in the database.
    beneficiary = "event__beneficiaries"
    host = "event__host_state"
    contributions = EventTarget.objects.filter(event__in=held).order_by()
    program = "target__project__program__code"
    event_counts: tuple[tuple[int, Any], ...] = (
        (1, only(held.order_by().values(state=F("beneficiaries"))).annotate(n=Count("id"))),
        (1, only(held.order_by().values(state=F("host_state"))).annotate(n=Count("id"))),
        (
            -1,
            only(
                held.filter(beneficiaries=F("host_state")).order_by().values(state=F("host_state"))
            ).annotate(n=Count("id")),
        ),
    )
    for sign, counts in event_counts:
        for count in counts:
            if count["state"] in result:
                result[count["state"]].events_held += sign * count["n"]
    program_counts: tuple[tuple[int, Any], ...] = (
        (
            1,
            only(contributions.values(state=F(beneficiary), program=F(program))).annotate(
                n=Count("event_id", distinct=True)
            ),
        ),
        (
            1,
            only(contributions.values(state=F(host), program=F(program))).annotate(
                n=Count("event_id", distinct=True)
            ),
        ),
        (
            -1,
            only(
                contributions.filter(event__beneficiaries=F(host)).values(
                    state=F(host), program=F(program)
                )
            ).annotate(n=Count("event_id", distinct=True)),
        ),
    )
    for sign, counts in program_counts:
        for count in counts:
            state = result.get(count["state"])
            if state is not None:
                by_program = state.events_by_program
                code = count["program"]
                by_program[code] = by_program.get(code, 0) + sign * count["n"]
    participation = CountryParticipation.objects.filter(event__in=held)
    if wanted is not None:
        participation = participation.filter(member_state_id__in=wanted)
    for sums in participation.values("member_state_id").annotate(
        women=Sum("women"), men=Sum("men"), not_stated=Sum("not_stated")
    ):
        row = result.get(sums["member_state_id"])
        if row is None:
            continue
        row.women = sums["women"] or 0
        row.men = sums["men"] or 0
        row.not_stated = sums["not_stated"] or 0
        row.participants_total = row.women + row.men + row.not_stated
    rows = list(result.values())
    for row in rows:
        row.events_by_program = {k: v for k, v in sorted(row.events_by_program.items()) if v}
    return rows


def plan_summary(
    *,
    plan: WorkPlan,
    period: Period | None = None,
    progress: PlanProgress | None = None,
    states: list[MemberStateProgress] | None = None,
    work_area: int | None = None,
    program: str | None = None,
    member_state: str | None = None,
) -> PlanSummary:
    """Headline figures: held events, states reached, participants by sex, target shares.

    With a work area or program, only events that count toward a target in it; with a
    member state, only events where it is a beneficiary or the host. Four queries (plus the
    progress, when not given); two fewer when ``states`` (member_state_progress for the same
    plan and period, without filters) is given.
    """
    period = period or plan_period(plan)
    progress = progress or plan_progress(
        plan=plan, period=period, work_area=work_area, program=program, member_state=member_state
    )
    held = _plan_events(plan=plan, period=period, statuses=HELD, member_state=member_state)
    if work_area is not None:
        held = held.filter(contributions__target__project__program__work_area__number=work_area)
    if program:
        held = held.filter(contributions__target__project__program__code=program)
    held = Event.objects.filter(id__in=held.values("id"))
    totals = held.aggregate(
        events=Count("id"),
        participants=Sum("participants_total"),
        women=Sum("participants_women"),
        men=Sum("participants_men"),
    )
    if states is not None and work_area is None and not program and not member_state:
        reached = sum(1 for state in states if state.events_held > 0)
    else:
        beneficiaries = set(
            Event.beneficiaries.through.objects.filter(event__in=held)
            .values_list("memberstate_id", flat=True)
            .distinct()
        )
        hosts = set(
            held.exclude(host_state=None)
            .order_by()
            .values_list("host_state_id", flat=True)
            .distinct()
        )
        reached = len(beneficiaries | hosts)
    not_held = {
        row["status"]: row["n"]
        for row in _plan_events(
            plan=plan, period=period, statuses=NOT_HELD, member_state=member_state
        )
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    }
    numeric = progress.numeric
    counts = progress.status_counts
    return PlanSummary(
        events_held=totals["events"] or 0,
        states_reached=reached,
        participants_total=totals["participants"] or 0,
        women=totals["women"] or 0,
        men=totals["men"] or 0,
        targets_total=len(progress.targets),
        targets_numeric=numeric,
        targets_achieved=counts.get("achieved", 0),
        targets_on_track=counts.get("on_track", 0),
        targets_behind=counts.get("behind", 0),
        targets_not_started=counts.get("not_started", 0),
        achieved_percent=percent(counts.get("achieved", 0), numeric),
        on_track_percent=percent(counts.get("on_track", 0), numeric),
        targets_on_track_or_achieved=counts.get("on_track", 0) + counts.get("achieved", 0),
        on_track_or_achieved_percent=percent(
            counts.get("on_track", 0) + counts.get("achieved", 0), numeric
        ),
        events_planned=not_held.get(EventStatus.PLANNED, 0)
        + not_held.get(EventStatus.CONFIRMED, 0),
        events_not_held=sum(not_held.values()),
    )


def plans_for_choice() -> list[WorkPlan]:
    """Every plan, newest first (for the dashboard's plan picker)."""
    return list(WorkPlan.objects.order_by("-year", "-id"))
