"""Reads of delivery data for the workspace, the API, exports and commands.

Query counts do not grow with the number of events: lists prefetch their relations, and
:func:`event_rows` (the one read model of events, used by the API, the export, the progress
tables and the report) reads each relation once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import (
    Aggregate,
    CharField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils.translation import get_language

from cicte import search
from cicte.core.periods import Period
from cicte.delivery.indexing import SCOPE as EVENT_SCOPE
from cicte.delivery.models import Event, EventTarget
from cicte.delivery.types import EventRecord, PartnerRef, TargetUnits
from cicte.directory.countries import country_name
from cicte.directory.models import MemberState, Organization, Subregion
from cicte.plan.indexing import TARGET_SCOPE
from cicte.plan.models import Target, WorkPlan

# The event's own columns, in EventRecord's field order; then the funding source's acronym,
# else its name.
EVENT_FIELDS = (
    "id",
    "plan_id",
    "plan__symbol",
    "plan__year",
    "kind",
    "title",
    "start_date",
    "end_date",
    "modality",
    "city",
    "status",
    "host_state__code",
    "participants_total",
    "participants_women",
    "participants_men",
    "cost",
    "currency",
    "notes",
)
FUNDING_SOURCE = Coalesce(
    NullIf(F("funding_source__acronym"), Value("")),
    F("funding_source__name"),
    output_field=CharField(),
)


# Separators inside the aggregated related codes: ASCII unit and record separators, which no
# code, name or acronym contains (names are single-line text).
_UNIT = "\x1f"
_RECORD = "\x1e"


class CodeList(Aggregate):
    """The values of a group joined with a separator, in SQL: ``GROUP_CONCAT(x, sep)`` on
    SQLite, ``STRING_AGG(x, sep)`` on PostgreSQL. No order is promised (the caller sorts)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def __init__(self, expression: Any, separator: str = _RECORD) -> None:
        super().__init__(expression, Value(separator))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra)


def _joined(*names: str) -> Any:
    """``a || sep || b ...`` of the columns ``names``, each as text."""
    if len(names) == 1:
        return F(names[0])
    pieces: list[Any] = []
    for name in names:
        if pieces:
            pieces.append(Value(_UNIT))
        pieces.append(Cast(F(name), TextField()))
    return Concat(*pieces, output_field=TextField())


def _related_codes(model: Any, value: Any) -> Subquery:
    """One correlated subquery per event: its rows of ``model`` (a table keyed by ``event_id``,
    read through its index) joined into one text."""
    return Subquery(
        model.objects.filter(event_id=OuterRef("pk"))
        .order_by()
        .values("event_id")
        .annotate(codes=CodeList(value))
        .values("codes"),
        output_field=TextField(),
    )


def _records(text: str | None) -> list[list[str]]:
    return [item.split(_UNIT) for item in text.split(_RECORD)] if text else []


def _row_values(events: QuerySet[Event]) -> QuerySet[Any]:
    """The ``values_list`` of :func:`event_rows`: the events' own columns, then their
    beneficiaries, partners and targets as text aggregated in SQL."""
    through = Event.beneficiaries.through
    partners = Event.partners.through
    return events.prefetch_related(None).values_list(
        *EVENT_FIELDS,
        FUNDING_SOURCE,
        _related_codes(through, _joined("memberstate__code")),
        _related_codes(
            partners,
            _joined("organization__name", "organization_id", "organization__acronym"),
        ),
        _related_codes(
            EventTarget, _joined("target__position", "target_id", "target__code", "units")
        ),
    )


_WIDTH = len(EVENT_FIELDS) + 1


def _record(row: tuple[Any, ...]) -> EventRecord:
    """One row of :func:`_row_values` as an :class:`EventRecord` (relations sorted)."""
    record = EventRecord(*row[:_WIDTH])
    record.beneficiaries = sorted(code for (code,) in _records(row[_WIDTH]))
    record.partners = [
        PartnerRef(int(org_id), name, acronym)
        for name, org_id, acronym in sorted(
            _records(row[_WIDTH + 1]), key=lambda p: (p[0], int(p[1]))
        )
    ]
    record.targets = [
        TargetUnits(int(target_id), code, int(units))
        for _position, target_id, code, units in sorted(
            _records(row[_WIDTH + 2]), key=lambda t: (int(t[0]), int(t[1]))
        )
    ]
    return record


def event_rows(events: QuerySet[Event]) -> list[EventRecord]:
    """The events of ``events`` (in its order, slices included) as :class:`EventRecord`: **one
    query** whatever the number of events, no model instances.

    The events' own columns come from ``values_list()`` (joining plan, host state and funding
    source for their codes and labels); beneficiaries, partners and targets come in the same
    row as text aggregated in SQL (:class:`CodeList`: ``GROUP_CONCAT`` / ``STRING_AGG``), one
    correlated subquery each through the ``event_id`` index of their table, and are sorted
    here (beneficiaries by code, partners by name, targets in plan order). A filter through a
    relation that repeats an event yields it once.
    """
    records: dict[int, EventRecord] = {}
    for row in _row_values(events):
        if row[0] not in records:  # a filter through a relation can repeat an event
            records[row[0]] = _record(row)
    return list(records.values())


def event_page(events: QuerySet[Event], *, size: int, number: Any = 1) -> EventPage:
    """One page of ``events`` (in its order) as :class:`EventRecord` rows plus the total: a
    ``COUNT`` and one :func:`event_rows` query of at most ``size`` events, whatever the number
    of events. ``number`` is the page asked for (a bad or too large one gives the nearest)."""
    paginator = Paginator(events.prefetch_related(None), size)
    page = paginator.get_page(number)
    page.object_list = event_rows(cast(QuerySet[Event], page.object_list))  # type: ignore[assignment]
    return EventPage(page=page, total=paginator.count)


@dataclass
class EventPage:
    """A page of event rows (``page.object_list``), with the total number of events."""

    page: Page[Any]
    total: int

    @property
    def rows(self) -> list[EventRecord]:
        return list(self.page.object_list)


def state_event_ids(
    code: str, *, plan: WorkPlan | None = None, period: Period | None = None
) -> QuerySet[Any]:
    """Ids of the events where the member state ``code`` is a beneficiary or the host, as a
    subquery for ``pk__in``: two indexed lookups (the beneficiaries' through table by member
    state, the events by host state) joined with ``UNION``, each restricted to the plan and
    the period when given. Never an ``OR`` across two outer joins, which reads every event of
    every plan."""
    code = code.upper()
    beneficiary = Event.beneficiaries.through.objects.filter(memberstate__code=code)
    hosted = Event.objects.filter(host_state__code=code)
    if plan is not None:
        beneficiary = beneficiary.filter(event__plan=plan)
        hosted = hosted.filter(plan=plan)
    if period is not None:
        beneficiary = beneficiary.filter(
            event__end_date__gte=period.start, event__end_date__lte=period.end
        )
        hosted = hosted.filter(end_date__gte=period.start, end_date__lte=period.end)
    return beneficiary.order_by().values("event_id").union(hosted.order_by().values("id"))


_TARGET_CODE = re.compile(r"\d+(\.[0-9A-Za-z]+)+")  # 1.A.1.a


@dataclass
class EventFilters:
    plan: WorkPlan | None = None
    period: Period | None = None
    status: str = ""
    kind: str = ""
    member_state: str = ""  # alpha-3: hosted or beneficiary
    program: str = ""  # program code, e.g. "1.A"
    target: str = ""  # target code
    search: str = ""


def event_list(*, filters: EventFilters) -> QuerySet[Event]:
    """Events matching the filters, newest first, with what a list row shows."""
    events = Event.objects.select_related("plan", "host_state").prefetch_related(
        Prefetch(
            "contributions",
            queryset=EventTarget.objects.select_related("target").order_by("target__position"),
        )
    )
    if filters.plan is not None:
        events = events.filter(plan=filters.plan)
    if filters.period is not None:
        events = events.filter(end_date__gte=filters.period.start, end_date__lte=filters.period.end)
    if filters.status:
        events = events.filter(status=filters.status)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.member_state:
        events = events.filter(
            pk__in=state_event_ids(filters.member_state, plan=filters.plan, period=filters.period)
        )
    if filters.program:
        events = events.filter(
            pk__in=EventTarget.objects.filter(
                target__project__program__code=filters.program
            ).values("event_id")
        )
    if filters.target:
        events = events.filter(
            pk__in=EventTarget.objects.filter(target__code=filters.target).values("event_id")
        )
    if filters.search.strip():
        # Words (accents and case ignored, each a prefix) through the search index, or the
        # exact code of a target the event counts toward. Only narrows: the list's order stays.
        text = filters.search.strip()
        condition = Q(pk__in=search.ids(EVENT_SCOPE, text))
        if _TARGET_CODE.fullmatch(text):
            targets = Target.objects.filter(code__iexact=text).values("pk")  # a small table
            counted = EventTarget.objects.filter(target__in=targets).values("event_id")
            condition |= Q(pk__in=counted)
        events = events.filter(condition)
    return events.order_by("-end_date", "-id")


def event_detail(*, pk: int) -> Event:
    """One event with everything its page shows (raises Event.DoesNotExist)."""
    return (
        Event.objects.select_related(
            "plan", "host_state", "funding_source", "provider", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=EventTarget.objects.select_related("target__project").order_by(
                    "target__position"
                ),
            ),
            "beneficiaries",
            "partners",
            "country_participation__member_state",
            "participants__member_state",
            "attachments",
        )
        .get(pk=pk)
    )


@dataclass
class TargetOption:
    pk: int
    code: str
    text: str
    quantity: int | None
    unit: str
    program_code: str
    program_title: str
    project_title: str = ""
    project_code: str = ""


def target_options(*, plan: WorkPlan) -> list[TargetOption]:
    """Every target of the plan in document order (one query)."""
    return [
        TargetOption(
            pk=t.pk,
            code=t.code,
            text=t.text or (f"{t.quantity} {t.unit}" if t.quantity else t.unit),
            quantity=t.quantity,
            unit=t.unit,
            program_code=t.project.program.code,
            program_title=t.project.program.title,
            project_title=t.project.title,
            project_code=t.project.code,
        )
        for t in Target.objects.filter(plan=plan)
        .select_related("project__program")
        .order_by("position")
    ]


def target_search(*, plan: WorkPlan, query: str, limit: int = 12) -> list[TargetOption]:
    """Targets whose code starts with ``query``, then those whose entry in the search index
    (code, text, unit, project and program titles) has every query word, best first; accents
    and case are ignored (two queries)."""
    if not search.terms(query):
        return []
    options = target_options(plan=plan)
    folded = query.strip().casefold()
    by_code = [o for o in options if o.code.casefold().startswith(folded)]
    matched = list(
        search.matches(Target.objects.filter(plan=plan), TARGET_SCOPE, query).values_list(
            "pk", flat=True
        )[: limit + len(by_code)]
    )
    by_pk = {o.pk: o for o in options if o not in by_code}
    by_text = [by_pk[pk] for pk in matched if pk in by_pk]
    return (by_code + by_text)[:limit]


@dataclass
class StateOption:
    code: str
    name: str


@dataclass
class SubregionStates:
    key: str
    label: str
    states: list[StateOption] = field(default_factory=list)


def states_by_subregion() -> list[SubregionStates]:
    language = get_language() or "en"
    groups = {key: SubregionStates(key=key, label=str(label)) for key, label in Subregion.choices}
    for code, subregion in MemberState.objects.values_list("code", "subregion"):
        groups[subregion].states.append(StateOption(code, country_name(code, language)))
    for group in groups.values():
        group.states.sort(key=lambda s: s.name)
    return list(groups.values())


def plan_partner_ids(*, plan: WorkPlan) -> list[int]:
    return list(plan.partners.values_list("pk", flat=True))


def organizations() -> list[Organization]:
    return list(Organization.objects.order_by("name"))


def plans() -> list[WorkPlan]:
    return list(WorkPlan.objects.order_by("-year", "-id"))


def default_plan() -> WorkPlan | None:
    return WorkPlan.objects.order_by("-year", "-id").first()


@dataclass
class CountryTotals:
    code: str
    name: str
    women: int
    men: int
    not_stated: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.not_stated


def participation_by_country(*, event: Event) -> list[CountryTotals]:
    language = get_language() or "en"
    rows = [
        CountryTotals(
            code=c.member_state.code,
            name=country_name(c.member_state.code, language),
            women=c.women,
            men=c.men,
            not_stated=c.not_stated,
        )
        for c in event.country_participation.all()
    ]
    return sorted(rows, key=lambda r: r.name)


def event_totals(*, events: QuerySet[Event]) -> dict[str, int]:
    totals = events.aggregate(
        total=Sum("participants_total"),
        women=Sum("participants_women"),
        men=Sum("participants_men"),
    )
    return {k: int(v or 0) for k, v in totals.items()}


# --- export -------------------------------------------------------------------------------


@dataclass
class ExportRow:
    """One event in spreadsheet columns (the columns the import reads)."""

    target: str
    title: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    city: str
    country: str
    beneficiaries: str
    participants: int
    women: int
    men: int
    partners: str
    status: str
    units: int
    modality: str
    cost: str
    currency: str
    notes: str


#: Events per chunk of a streamed export: the memory an export holds at any time.
EXPORT_CHUNK = 2000


def export_chunks(events: QuerySet[Event], *, chunk: int | None = None) -> Iterator[EventRecord]:
    """``events`` in (start date, id) order as :class:`EventRecord`, streamed from **one
    query** read ``chunk`` rows at a time (``QuerySet.iterator``: ``fetchmany`` on SQLite, a
    server-side cursor on PostgreSQL): memory stays that of one chunk whatever the number of
    events, and each event's aggregated relations are computed once (a keyset page per chunk
    made the database sort the whole plan, and compute every row's subqueries, again for
    each chunk). ``events`` must filter on the events' own columns (a filter through a
    relation could repeat an event, and a stream keeps no set of the ids it has seen)."""
    size = chunk or EXPORT_CHUNK
    for row in _row_values(events.order_by("start_date", "id")).iterator(chunk_size=size):
        yield _record(row)


def export_rows(*, plan: WorkPlan, period: Period | None = None) -> Iterator[ExportRow]:
    """The plan's events as spreadsheet rows, streamed (:func:`export_chunks`): constant
    memory, one query (the read model of :func:`event_rows`)."""
    events = Event.objects.filter(plan=plan)
    if period is not None:
        events = events.filter(end_date__gte=period.start, end_date__lte=period.end)
    for event in export_chunks(events):
        targets = event.targets
        common_units = (
            targets[0].units if targets and all(t.units == targets[0].units for t in targets) else 1
        )
        target_text = "; ".join(
            t.code if t.units == common_units else f"{t.code}*{t.units}" for t in targets
        )
        yield ExportRow(
            target=target_text,
            title=event.title,
            kind=event.kind,
            start_date=event.start_date,
            end_date=event.end_date,
            city=event.city,
            country=event.host_state or "",
            beneficiaries="; ".join(event.beneficiaries),
            participants=event.participants_total,
            women=event.participants_women,
            men=event.participants_men,
            partners="; ".join(p.name for p in event.partners),
            status=event.status,
            units=common_units,
            modality=event.modality,
            cost="" if event.cost is None else f"{event.cost:.2f}",
            currency=event.currency if event.cost is not None else "",
            notes=event.notes,
        )
