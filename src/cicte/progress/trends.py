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

from django.db.models import Count, F, Func, IntegerField, Max, Min, Q, QuerySet, Sum

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


class HalfYearIndex(Func):
    """``year × 2 + half − 1`` of a date (2025-H1 → 4050, 2025-H2 → 4051), with the
    database's own functions: Django's ``ExtractYear`` is a Python callback on SQLite, called
    once per row, which made the series over every plan the slowest query of the dashboard.
    The date's SQL appears twice, so its parameters (if any) are given twice."""

    output_field = IntegerField()
    TEMPLATE = (
        "(CAST(EXTRACT(YEAR FROM {date}) AS INTEGER) * 2"
        " + CASE WHEN EXTRACT(MONTH FROM {date}) > 6 THEN 1 ELSE 0 END)"
    )
    SQLITE = (  # dates are stored as ISO text (YYYY-MM-DD)
        "(CAST(substr({date}, 1, 4) AS INTEGER) * 2 + (CAST(substr({date}, 6, 2) AS INTEGER) > 6))"
    )

    def _index(self, compiler: Any, template: str) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return template.format(date=sql), (*params, *params)

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        return self._index(compiler, self.TEMPLATE)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._index(compiler, self.SQLITE)


#: What a series is grouped by: the work area's number or the target's code (across plans).
AREA = "target__project__program__work_area__number"
TARGET = "target__code"

#: A plan's part of the series: key (work-area number or target code) → half-year index →
#: (units delivered, distinct held events).
PlanSums = dict[Any, dict[int, tuple[int, int]]]


def plan_half_year_sums(
    *, by: str, plan_ids: Iterable[int] | None = None, only: Any = None
) -> dict[int, PlanSums]:
    """Per plan (``plan_ids``, or every plan with a held event): units delivered by its held
    events per half-year of their end date, and how many distinct events, grouped by ``by``
    (:data:`AREA` or :data:`TARGET`; ``only``: that one key). One grouped query; an event
    belongs to one plan and ends on one day, so the parts of several plans add up (events
    included)."""
    rows = EventTarget.objects.filter(event__status=HELD)
    if only is not None:
        rows = rows.filter(**{by: only})
    wanted = None if plan_ids is None else list(plan_ids)
    if wanted is not None:
        rows = rows.filter(event__plan_id__in=wanted)
    grouped: dict[int, PlanSums] = {plan_id: {} for plan_id in wanted or []}
    for row in (
        rows.annotate(plan=F("event__plan_id"), half=HalfYearIndex("event__end_date"), key=F(by))
        .order_by()
        .values("plan", "half", "key")
        .annotate(delivered=Sum("units"), events=Count("event_id", distinct=True))
    ):
        part = grouped.setdefault(row["plan"], {}).setdefault(row["key"], {})
        part[row["half"]] = (row["delivered"] or 0, row["events"] or 0)
    return grouped


def _series(of: Any, parts: Iterable[PlanSums], years: tuple[int, int]) -> Series:
    """The series of ``of`` (a key of the parts: work-area number or target code) from
    ``years[0]``-H1 to ``years[1]``-H2: the sum of every plan's part."""
    totals: dict[int, tuple[int, int]] = {}
    for part in parts:
        for index, (delivered, events) in part.get(of, {}).items():
            have = totals.get(index, (0, 0))
            totals[index] = (have[0] + delivered, have[1] + events)
    points = [
        SeriesPoint(year, half, *totals.get(year * 2 + half - 1, (0, 0)))
        for year in range(years[0], years[1] + 1)
        for half in (1, 2)
    ]
    return Series(key=str(of), points=points)


def target_series(
    *, code: str, years: tuple[int, int], parts: dict[int, PlanSums] | None = None
) -> Series:
    """Units delivered per half-year toward the target ``code`` in every plan (the same code
    in the 2012 and the 2013 plan is the same activity), from ``years[0]``-H1 to
    ``years[1]``-H2. One query, or none with ``parts`` (:func:`plan_half_year_sums` by
    :data:`TARGET`, e.g. cached per plan: :func:`cicte.progress.caching.series_parts`)."""
    if parts is None:
        parts = plan_half_year_sums(by=TARGET, only=code)
    return _series(code, parts.values(), years)


def work_area_series(
    *,
    years: tuple[int, int],
    numbers: Iterable[int] | None = None,
    parts: dict[int, PlanSums] | None = None,
) -> dict[int, Series]:
    """Units delivered per half-year toward the targets of each work area (by number, across
    plans), every work area in one query (none with ``parts``: :func:`plan_half_year_sums`
    by :data:`AREA`). ``numbers`` keeps only those areas (in that order); without it, every
    area that has a delivery in some plan, by number."""
    if parts is None:
        parts = plan_half_year_sums(by=AREA)
    first, last = years[0] * 2, years[1] * 2 + 1
    if numbers is not None:
        wanted = list(numbers)
    else:
        wanted = sorted(
            {
                number
                for part in parts.values()
                for number, sums in part.items()
                if any(first <= index <= last for index in sums)
            }
        )
    return {n: _series(n, parts.values(), years) for n in wanted}


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
