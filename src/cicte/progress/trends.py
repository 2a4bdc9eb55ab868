"""Selectors for the maps and the time series: what each member state received, and what was
delivered per half-year across every plan in the database.

Each function runs a fixed number of grouped queries whatever the number of events, plans or
targets (``tests/progress/test_trends.py`` asserts it with 5× more data); the counting rules
are those of :mod:`cicte.progress.selectors` (held events, by end date; a state receives an
event when it is a beneficiary or the host, and the event counts once). Documented in
docs/progress.md ("Maps and time series").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear

from cicte.core.periods import Period
from cicte.delivery.models import CountryParticipation, Event, EventStatus, EventTarget
from cicte.delivery.selectors import event_rows
from cicte.plan.models import Funding, Target, WorkPlan
from cicte.progress.rules import plan_period

HELD = EventStatus.HELD


# --- time series ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    """One half-year of a series: units delivered by held events ending in it."""

    year: int
    half: int  # 1 = January–June, 2 = July–December
    delivered: int = 0
    events: int = 0  # distinct held events

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}"


@dataclass
class Series:
    key: str  # target code or work-area number
    points: list[SeriesPoint] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(p.delivered for p in self.points)


def plan_years() -> tuple[int, int] | None:
    """The first and last plan years in the database (one query); None without a plan."""
    span = WorkPlan.objects.aggregate(first=Min("year"), last=Max("year"))
    if span["first"] is None:
        return None
    return (span["first"], span["last"])


def _half_year_sums(rows: QuerySet[EventTarget], *, years: tuple[int, int], by: str | None) -> Any:
    first, last = years
    rows = rows.filter(
        event__status=HELD, event__end_date__year__gte=first, event__end_date__year__lte=last
    ).annotate(
        year=ExtractYear("event__end_date"),
        half=Case(
            When(event__end_date__month__lte=6, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )
    keys = ["year", "half"] + (["key"] if by else [])
    if by:
        rows = rows.annotate(key=F(by))
    return (
        rows.order_by()
        .values(*keys)
        .annotate(delivered=Sum("units"), events=Count("event_id", distinct=True))
    )


def _series(
    key: str, sums: dict[tuple[int, int], tuple[int, int]], years: tuple[int, int]
) -> Series:
    points = [
        SeriesPoint(year, half, *sums.get((year, half), (0, 0)))
        for year in range(years[0], years[1] + 1)
        for half in (1, 2)
    ]
    return Series(key=key, points=points)


def target_series(*, code: str, years: tuple[int, int]) -> Series:
    """Units delivered per half-year toward the target ``code`` in every plan (the same code
    in the 2012 and the 2013 plan is the same activity), from ``years[0]``-H1 to
    ``years[1]``-H2. One query."""
    sums = {
        (row["year"], row["half"]): (row["delivered"] or 0, row["events"] or 0)
        for row in _half_year_sums(
            EventTarget.objects.filter(target__code=code), years=years, by=None
        )
    }
    return _series(code, sums, years)


def work_area_series(
    *, years: tuple[int, int], numbers: Iterable[int] | None = None
) -> dict[int, Series]:
    """Units delivered per half-year toward the targets of each work area (by number, across
    plans), every work area in one query. ``numbers`` keeps only those areas (in that order);
    without it, every area that has a target in some plan, by number."""
    grouped: dict[int, dict[tuple[int, int], tuple[int, int]]] = {}
    rows = EventTarget.objects.all()
    if numbers is not None:
        numbers = list(numbers)
        rows = rows.filter(target__project__program__work_area__number__in=numbers)
    for row in _half_year_sums(rows, years=years, by="target__project__program__work_area__number"):
        grouped.setdefault(row["key"], {})[(row["year"], row["half"])] = (
            row["delivered"] or 0,
            row["events"] or 0,
        )
    wanted = numbers if numbers is not None else sorted(grouped)
    return {n: _series(str(n), grouped.get(n, {}), years) for n in wanted}


# --- what each member state received ----------------------------------------------------------


@dataclass
class StateReceived:
    """Held events a state received (beneficiary or host), counts only."""

    code: str
    events: int = 0
    women: int = 0
    men: int = 0
    not_stated: int = 0
    programs: int = 0  # distinct programs (by plan) of those events
    delivered: int = 0  # units toward quantitative targets (see state_progress_percent)

    @property
    def participants(self) -> int:
        return self.women + self.men + self.not_stated


def _per_state(
    queryset: QuerySet[Any], *, beneficiary: str, host: str, count: Any, group: str | None = None
) -> dict[Any, int]:
    """Per state code: (as beneficiary) + (as host) − (host among the beneficiaries), each
    one grouped query; ``count`` is the aggregate (it must count each event once per group)."""
    totals: dict[Any, int] = {}
    extra = [group] if group else []
    for sign, rows in (
        (1, queryset.values(*extra, state=F(f"{beneficiary}__code"))),
        (1, queryset.values(*extra, state=F(f"{host}__code"))),
        (-1, queryset.filter(**{beneficiary: F(host)}).values(*extra, state=F(f"{host}__code"))),
    ):
        for row in rows.order_by().annotate(n=count):
            if row["state"] is None:
                continue
            key = (row["state"], row[group]) if group else row["state"]
            totals[key] = totals.get(key, 0) + sign * (row["n"] or 0)
    return totals


def _held(plans: QuerySet[WorkPlan] | Iterable[WorkPlan], period: Period | None) -> QuerySet[Event]:
    events = Event.objects.filter(plan__in=plans, status=HELD)
    if period is not None:
        events = events.filter(end_date__gte=period.start, end_date__lte=period.end)
    return events


def states_received(
    *,
    plans: QuerySet[WorkPlan] | Iterable[WorkPlan],
    period: Period | None = None,
    codes: Iterable[str] | None = None,
) -> dict[str, StateReceived]:
    """For each member state (or ``codes``): held events of ``plans`` (in ``period``, or
    ever) it received, participants by sex from the per-country rows, and the distinct
    programs of those events. Seven grouped queries whatever the number of events; aggregate
    figures only (public, docs/security.md)."""
    held = _held(plans, period)
    if codes is not None:
        wanted = [c.upper() for c in codes]
        held = held.filter(Q(beneficiaries__code__in=wanted) | Q(host_state__code__in=wanted))
        held = Event.objects.filter(id__in=held.values("id"))
    result: dict[str, StateReceived] = {}

    def row(code: str) -> StateReceived:
        return result.setdefault(code, StateReceived(code=code))

    for code, n in _per_state(
        held, beneficiary="beneficiaries", host="host_state", count=Count("id", distinct=True)
    ).items():
        row(code).events = n
    contributions = EventTarget.objects.filter(event__in=held)
    programs = _per_state(
        contributions,
        beneficiary="event__beneficiaries",
        host="event__host_state",
        count=Count("event_id", distinct=True),
        group="target__project__program_id",
    )
    for (code, _program), n in programs.items():
        if n > 0:
            row(code).programs += 1
    for sums in (
        CountryParticipation.objects.filter(event__in=held)
        .order_by()
        .values("member_state__code")
        .annotate(women=Sum("women"), men=Sum("men"), not_stated=Sum("not_stated"))
    ):
        state = row(sums["member_state__code"])
        state.women, state.men = sums["women"] or 0, sums["men"] or 0
        state.not_stated = sums["not_stated"] or 0
    if codes is not None:
        return {c: result.get(c, StateReceived(code=c)) for c in wanted}
    return result


def state_progress_percent(
    *, plan: WorkPlan, period: Period | None = None
) -> dict[str, tuple[int, int, float | None]]:
    """Per member state: the plan's progress counting only the events the state received —
    (units delivered toward the quantitative targets, their total quantity, percent), the
    figure of ``plan_progress(plan=..., member_state=code).percent``. Four queries."""
    period = period or plan_period(plan)
    held = _held([plan], period)
    funded = ~Q(funding=Funding.TO_BE_IDENTIFIED)
    quantity = (
        Target.objects.filter(funded, plan=plan, quantity__gt=0).aggregate(total=Sum("quantity"))[
            "total"
        ]
        or 0
    )
    units = _per_state(
        EventTarget.objects.filter(
            target__in=Target.objects.filter(funded, plan=plan, quantity__gt=0), event__in=held
        ),
        beneficiary="event__beneficiaries",
        host="event__host_state",
        count=Sum("units"),
    )
    return {
        code: (delivered, quantity, round(100.0 * delivered / quantity, 1) if quantity else None)
        for code, delivered in units.items()
    }


@dataclass
class ReceivedEvents:
    """The latest events a reader may see for a state, and how many there are."""

    total: int  # held events of approved plans the state received (an aggregate: public)
    visible_total: int  # of those, the ones the reader may read
    rows: list[Any]  # delivery.types.EventRecord, latest first, at most ``limit``


def state_events_received(
    *, actor: Any, code: str, plans: Iterable[WorkPlan], limit: int = 10
) -> ReceivedEvents:
    """Held events of ``plans`` that state ``code`` received, latest first: the total (an
    aggregate figure, public) and the latest ``limit`` the actor may read
    (``Event.objects.visible_to(actor)``: nothing for the public, the state's own events for
    its point of contact, every event for the Secretariat). Two queries, plus the event read
    model's four when the actor may read some."""
    code = code.upper()
    plans = list(plans)
    received = _held(plans, None).filter(Q(beneficiaries__code=code) | Q(host_state__code=code))
    ids = Event.objects.filter(id__in=received.values("id"))
    total = ids.count()
    visible = Event.objects.visible_to(actor).filter(id__in=received.values("id")).distinct()
    visible_total = visible.count() if total else 0
    rows = event_rows(visible.order_by("-end_date", "-id")[:limit]) if visible_total else []
    return ReceivedEvents(total=total, visible_total=visible_total, rows=rows)
