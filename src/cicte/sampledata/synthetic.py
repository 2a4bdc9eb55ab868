"""Synthetic data at hemisphere scale, for benchmarks and load tests (``cicte generate``).

Everything written here is fake and labelled as such: one WorkPlan per year whose title
starts with ``[SYNTHETIC]`` and whose symbol ends with ``(synthetic)``, cloned from the
structure of the real 2012 Work Plan (work areas, programs, projects, targets); events,
contributions to targets, beneficiary states, partners, participation by member state and
named participants called ``Participant 0000123`` (never real-looking personal data).

Design choices (see docs/operator-guide.md):

- **Deterministic**: one ``random.Random`` seeded from ``seed`` (and, when appending, from the
  number of synthetic events already present) draws every value in a fixed order; the
  statuses also depend on ``as_of`` (events ending before it are mostly held).
- **Realistic distributions**: events per target weighted by the target's quantity (so
  programs with big numeric targets get more events), host and beneficiary states weighted by
  subregion share, seasonality by month (fewer events in December, January and August),
  mostly *held* in the past and *planned/confirmed* in the future, 10–60 participants per
  event with about 40 % women, 55 % men and 5 % not stated.
- **Bounded memory**: rows are built and inserted one batch of events at a time, each batch
  in its own transaction, and nothing of a batch is kept after it is written.
- **Not audited**: rows are written with ``bulk_create``, which sends no ``post_save``
  signal, so django-simple-history writes no historical rows. Synthetic data is not an
  audited record of anything; never generate into a production database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.db import connection, reset_queries, transaction
from django.db.models import DateField, DecimalField, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte import search
from cicte.core import dataversion
from cicte.core.bulk import can_reserve_ids, reserve_ids
from cicte.core.types import SYSTEM
from cicte.delivery.indexing import index_events
from cicte.delivery.models import (
    CountryParticipation,
    Event,
    EventKind,
    EventStatus,
    EventTarget,
    Modality,
    Participant,
    Sex,
)
from cicte.directory.models import MemberState, Organization, Subregion
from cicte.plan.indexing import PLAN_SCOPE, index_plan_targets, plan_document
from cicte.plan.models import (
    Funding,
    PlanMandate,
    PlanPartner,
    PlanStatus,
    Program,
    Project,
    Target,
    WorkArea,
    WorkPlan,
)
from cicte.plan.parsing.canonical import load_plan_file
from cicte.plan.services import plan_import

T = TypeVar("T")

SYNTHETIC_TITLE_PREFIX = "[SYNTHETIC] "
SYNTHETIC_SYMBOL_SUFFIX = " (synthetic)"
BASE_PLAN_YEAR = 2012
BASE_PLAN_FILE = Path(__file__).resolve().parent.parent / "plan/fixtures/2012-work-plan.txt"

# Share of events hosted in (and mostly benefiting) each subregion.
SUBREGION_SHARES: dict[str, float] = {
    Subregion.CARIBBEAN: 0.36,
    Subregion.CENTRAL_AMERICA: 0.24,
    Subregion.SOUTH_AMERICA: 0.30,
    Subregion.NORTH_AMERICA: 0.10,
}
# Relative number of events ending in each month (index 0 = January).
MONTH_WEIGHTS: tuple[float, ...] = (
    0.45, 0.90, 1.10, 1.15, 1.20, 1.10, 0.90, 0.45, 1.10, 1.20, 1.10, 0.40,
)  # fmt: skip
MODALITY_WEIGHTS: dict[str, float] = {
    Modality.NATIONAL: 0.55,
    Modality.BINATIONAL: 0.08,
    Modality.SUBREGIONAL: 0.20,
    Modality.REGIONAL: 0.10,
    Modality.VIRTUAL: 0.07,
}
KIND_WEIGHTS: dict[str, float] = {
    EventKind.WORKSHOP: 0.34,
    EventKind.COURSE: 0.20,
    EventKind.MISSION: 0.12,
    EventKind.EXERCISE: 0.08,
    EventKind.NEEDS_ASSESSMENT: 0.08,
    EventKind.EVALUATION: 0.04,
    EventKind.MEETING: 0.10,
    EventKind.SCHOLARSHIP: 0.02,
    EventKind.OTHER: 0.02,
}
# A target's unit says what kind of event delivers it ("18 training needs assessments").
KIND_BY_UNIT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"scholarship", re.I), EventKind.SCHOLARSHIP),
    (re.compile(r"assessment", re.I), EventKind.NEEDS_ASSESSMENT),
    (re.compile(r"evaluation", re.I), EventKind.EVALUATION),
    (re.compile(r"exercise|simulation", re.I), EventKind.EXERCISE),
    (re.compile(r"mission", re.I), EventKind.MISSION),
    (re.compile(r"course|training", re.I), EventKind.COURSE),
    (re.compile(r"meeting|forum|conference|symposi", re.I), EventKind.MEETING),
    (re.compile(r"workshop|seminar", re.I), EventKind.WORKSHOP),
)
DAYS_BY_KIND: dict[str, tuple[int, int]] = {
    EventKind.WORKSHOP: (1, 4),
    EventKind.COURSE: (3, 10),
    EventKind.MISSION: (2, 6),
    EventKind.EXERCISE: (1, 3),
    EventKind.NEEDS_ASSESSMENT: (2, 5),
    EventKind.EVALUATION: (2, 5),
    EventKind.MEETING: (1, 2),
    EventKind.SCHOLARSHIP: (1, 1),
    EventKind.OTHER: (1, 3),
}
# Status of an event ending before / after the as-of date.
PAST_STATUS_WEIGHTS: dict[str, float] = {
    EventStatus.HELD: 0.90,
    EventStatus.CANCELLED: 0.04,
    EventStatus.POSTPONED: 0.06,
}
FUTURE_STATUS_WEIGHTS: dict[str, float] = {
    EventStatus.PLANNED: 0.60,
    EventStatus.CONFIRMED: 0.35,
    EventStatus.POSTPONED: 0.05,
}
WOMEN_SHARE = 0.40
NOT_STATED_SHARE = 0.05
PARTICIPANTS_RANGE = (10, 60)  # people at an event (participants_total)
CITIES = ("Capital", "Port city", "Border town", "Training centre", "Airport city")
FEMALE_BELOW = NOT_STATED_SHARE + WOMEN_SHARE
# Plain strings for the hot loop (the enum members compare equal; the rows store the value).
NOT_STATED, FEMALE, MALE = str(Sex.NOT_STATED.value), str(Sex.FEMALE.value), str(Sex.MALE.value)


class SyntheticDataError(Exception):
    """The synthetic data cannot be generated as asked (message says why and what to do)."""


@dataclass
class GenerateResult:
    plans_created: int = 0
    events: int = 0
    event_targets: int = 0
    beneficiaries: int = 0
    partners: int = 0
    country_participation: int = 0
    participants: int = 0
    search_entries: int = 0
    seconds: float = 0.0
    plans: list[WorkPlan] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows inserted into every table by the event batches: events, contributions
        (EventTarget), beneficiary and partner links (the two M2M tables), participation by
        member state, named participants and search-index entries (one per event; on SQLite
        the FTS5 table is filled from them). The cloned plan structure (a few hundred rows
        per run) is not counted."""
        return (
            self.events
            + self.event_targets
            + self.beneficiaries
            + self.partners
            + self.country_participation
            + self.participants
            + self.search_entries
        )

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def is_synthetic(plan: WorkPlan) -> bool:
    return plan.symbol.endswith(SYNTHETIC_SYMBOL_SUFFIX)


def synthetic_plans() -> list[WorkPlan]:
    return list(WorkPlan.objects.filter(symbol__endswith=SYNTHETIC_SYMBOL_SUFFIX).order_by("year"))


def synthetic_symbol(year: int) -> str:
    return f"CICTE/doc.5/{year % 100:02d}{SYNTHETIC_SYMBOL_SUFFIX}"


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class _Picker(Generic[T]):
    """Weighted choice with precomputed cumulative weights (random.choices recomputes them)."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("items and weights must be non-empty and of equal length")
        self.items = list(items)
        self.cum = _cumulative(weights)
        self.total = self.cum[-1]

    def index(self, rng: random.Random) -> int:
        return min(bisect(self.cum, rng.random() * self.total), len(self.items) - 1)

    def pick(self, rng: random.Random) -> T:
        return self.items[self.index(rng)]


# --- the plans ----------------------------------------------------------------------------------


def base_plan(*, import_if_missing: bool = True) -> WorkPlan:
    """The real 2012 Work Plan (imported from the fixture when the database has no plan)."""
    plan = (
        WorkPlan.objects.filter(year=BASE_PLAN_YEAR)
        .exclude(symbol__endswith=SYNTHETIC_SYMBOL_SUFFIX)
        .order_by("id")
        .first()
    )
    if plan is not None:
        return plan
    if not import_if_missing:
        raise SyntheticDataError(
            _(
                "No 2012 Work Plan in the database: run `cicte import-plan "
                "src/cicte/plan/fixtures/2012-work-plan.txt` first."
            )
        )
    return plan_import(document=load_plan_file(BASE_PLAN_FILE).plan, actor=SYSTEM).plan


def _clone_plan(base: WorkPlan, year: int) -> WorkPlan:
    """Copy the base plan's structure into a new synthetic plan for ``year`` (bulk, no history)."""
    shift = year - base.year

    def moved(day: dt.date | None) -> dt.date | None:
        if day is None:
            return None
        try:
            return day.replace(year=day.year + shift)
        except ValueError:  # 29 February
            return day.replace(year=day.year + shift, day=28)

    title = re.sub(rf"\b{base.year}\b", str(year), base.title) or f"{year} Work Plan"
    plan = WorkPlan(
        symbol=synthetic_symbol(year),
        series=base.series,
        title=f"{SYNTHETIC_TITLE_PREFIX}{title}",
        year=year,
        session=base.session,
        session_date=moved(base.session_date),
        place=base.place,
        approval_date=moved(base.approval_date),
        issue_date=moved(base.issue_date),
        original_language=base.original_language,
        status=PlanStatus.APPROVED,
        preamble=base.preamble,
    )
    WorkPlan.objects.bulk_create([plan])
    if plan.pk is None:  # backends that cannot return ids from a bulk insert
        plan = WorkPlan.objects.get(symbol=plan.symbol)
    areas = list(WorkArea.objects.filter(plan=base).order_by("number"))
    new_areas = WorkArea.objects.bulk_create(
        [WorkArea(plan=plan, number=a.number, title=a.title) for a in areas]
    )
    area_map = {old.pk: new.pk for old, new in zip(areas, new_areas, strict=True)}
    programs = list(Program.objects.filter(plan=base).order_by("position", "id"))
    new_programs = Program.objects.bulk_create(
        [
            Program(
                plan=plan,
                work_area_id=area_map[p.work_area_id],
                letter=p.letter,
                code=p.code,
                title=p.title,
                position=p.position,
            )
            for p in programs
        ]
    )
    program_map = {old.pk: new.pk for old, new in zip(programs, new_programs, strict=True)}
    projects = list(Project.objects.filter(plan=base).order_by("position", "id"))
    new_projects = Project.objects.bulk_create(
        [
            Project(
                plan=plan,
                program_id=program_map[p.program_id],
                number=p.number,
                code=p.code,
                title=p.title,
                position=p.position,
            )
            for p in projects
        ]
    )
    project_map = {old.pk: new.pk for old, new in zip(projects, new_projects, strict=True)}
    Target.objects.bulk_create(
        [
            Target(
                plan=plan,
                project_id=project_map[t.project_id],
                code=t.code,
                quantity=t.quantity,
                unit=t.unit,
                text=t.text,
                funding=t.funding,
                position=t.position,
            )
            for t in Target.objects.filter(plan=base).order_by("position", "id")
        ]
    )
    PlanMandate.objects.bulk_create(
        [
            PlanMandate(plan=plan, source_id=m.source_id, order=m.order)
            for m in PlanMandate.objects.filter(plan=base)
        ]
    )
    PlanPartner.objects.bulk_create(
        [
            PlanPartner(plan=plan, organization_id=p.organization_id, order=p.order)
            for p in PlanPartner.objects.filter(plan=base)
        ]
    )
    # bulk_create sends no signal: the plan and its targets go into the search index here.
    search.index(PLAN_SCOPE, plan.pk, **plan_document(plan))
    index_plan_targets(plan)
    return plan


@dataclass
class _PlanTargets:
    """The targets of one synthetic plan, in the base plan's order (codes → ids)."""

    plan_id: int
    target_ids: list[int]


def _target_weight(target: Target) -> float:
    if target.funding == Funding.TO_BE_IDENTIFIED:
        return 0.2  # unfunded: little delivery
    if target.quantity:
        return float(min(target.quantity, 60))  # weighted by the plan's numeric target
    return 1.0  # qualitative


def _kind_for(unit: str, rng: random.Random, kinds: _Picker[str]) -> str:
    for pattern, kind in KIND_BY_UNIT:
        if pattern.search(unit):
            return kind if rng.random() < 0.8 else kinds.pick(rng)
    return kinds.pick(rng)


# --- the generator ------------------------------------------------------------------------------


def synthetic_data_generate(
    *,
    years: int,
    events: int,
    participants: int,
    seed: int = 2012,
    plan_year_start: int = BASE_PLAN_YEAR,
    batch: int = 5000,
    as_of: dt.date | None = None,
    append: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> GenerateResult:
    """Generate ``events`` events over ``years`` synthetic plans, with ``participants`` named
    participant rows in all (spread evenly, never more than the event's participants).

    Without ``append``, refuses to run when synthetic plans already exist (re-running would
    duplicate the data); with it, adds events to the existing synthetic plans (creating the
    missing years). ``on_batch`` is called with the number of events written after each batch.
    """
    _check_arguments(
        years=years, events=events, participants=participants, batch=batch,
        plan_year_start=plan_year_start,
    )  # fmt: skip
    started = time.perf_counter()
    as_of = as_of or dt.date.today()  # noqa: DTZ011  # a calendar day, not an instant
    existing = {p.year: p for p in synthetic_plans()}
    if existing and not append:
        count = Event.objects.filter(plan__in=list(existing.values())).count()
        raise SyntheticDataError(
            _(
                "Synthetic data is already present (%(plans)s synthetic plans, %(events)s "
                "events): re-running would duplicate it. Use --append to add more events, or "
                "generate into an empty database."
            )
            % {"plans": len(existing), "events": count}
        )
    result = GenerateResult()
    wanted_years = list(range(plan_year_start, plan_year_start + years))
    with transaction.atomic():
        base = base_plan()
        base_targets = list(Target.objects.filter(plan=base).order_by("position", "id"))
        if not base_targets:
            raise SyntheticDataError(
                _("The base plan %(symbol)s has no targets to clone.") % {"symbol": base.symbol}
            )
        plans: dict[int, WorkPlan] = {}
        for year in wanted_years:
            if year in existing:
                plans[year] = existing[year]
            else:
                plans[year] = _clone_plan(base, year)
                result.plans_created += 1
    result.plans = [plans[y] for y in wanted_years]
    codes = [t.code for t in base_targets]
    plan_targets: dict[int, _PlanTargets] = {}
    for year, plan in plans.items():
        by_code = dict(Target.objects.filter(plan=plan).values_list("code", "id"))
        missing = [c for c in codes if c not in by_code]
        if missing:
            raise SyntheticDataError(
                _(
                    "Synthetic plan %(symbol)s lacks targets %(codes)s of the base plan; "
                    "generate into an empty database."
                )
                % {"symbol": plan.symbol, "codes": ", ".join(missing[:5])}
            )
        plan_targets[year] = _PlanTargets(plan.pk, [by_code[c] for c in codes])

    already_events = Event.objects.filter(plan__in=list(plans.values())).count()
    already_participants = Participant.objects.filter(event__plan__in=list(plans.values())).count()
    rng = random.Random(f"cicte-synthetic:{seed}:{already_events}")  # noqa: S311  # not crypto
    ctx = _Context.build(
        rng=rng,
        base_targets=base_targets,
        plan_targets=plan_targets,
        years=wanted_years,
        as_of=as_of,
    )
    written = 0
    with bulk_write_session():
        while written < events:
            size = min(batch, events - written)
            _write_batch(
                ctx,
                first=written,
                size=size,
                events=events,
                participants=participants,
                participant_offset=already_participants,
                result=result,
            )
            written += size
            reset_queries()  # with DEBUG on, Django keeps every SQL string: bounded memory
            if on_batch is not None:
                on_batch(size)
    result.seconds = time.perf_counter() - started
    return result


# SQLite page cache during generation (KiB, negative = size): the indexes with scattered keys
# (end date, member state, plan) stay in memory as they grow, instead of being re-read
# from the file through the default 2 MB cache. Counted in the process's RSS.
SQLITE_GENERATE_CACHE_KIB = 131_072


@contextmanager
def bulk_write_session() -> Iterator[None]:
    """Connection settings for the duration of a bulk write, restored after (even on error).

    SQLite: ``synchronous=OFF`` (no fsync at each batch's commit: a crash mid-run can lose
    the last batches, which a re-run with ``--append`` or a fresh database replaces; the
    file itself stays consistent in WAL mode) and a 128 MB page cache. PostgreSQL:
    ``synchronous_commit=off`` for this session (the same trade: commits do not wait for
    the WAL flush; nothing is corrupted by a crash). Other sessions are not affected.
    """
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql") or connection.in_atomic_block:
        # Inside an outer transaction (tests) the settings would change nothing useful.
        yield
        return
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_GENERATE_CACHE_KIB}")
        else:
            cursor.execute("SELECT current_setting('synchronous_commit')")
            commit = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('synchronous_commit', 'off', false)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            else:
                cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [commit])


def _check_arguments(
    *, years: int, events: int, participants: int, batch: int, plan_year_start: int
) -> None:
    if not 1 <= years <= 100:
        raise SyntheticDataError(
            _("--years must be between 1 and 100 (got %(value)s).") % {"value": years}
        )
    if events < 0:
        raise SyntheticDataError(
            _("--events must be 0 or more (got %(value)s).") % {"value": events}
        )
    if participants < 0:
        raise SyntheticDataError(
            _("--participants must be 0 or more (got %(value)s).") % {"value": participants}
        )
    if participants > events * PARTICIPANTS_RANGE[1]:
        raise SyntheticDataError(
            _("--participants %(value)s is more than %(most)s per event for %(events)s events.")
            % {"value": participants, "most": PARTICIPANTS_RANGE[1], "events": events}
        )
    if batch < 1:
        raise SyntheticDataError(_("--batch must be 1 or more (got %(value)s).") % {"value": batch})
    if not 1900 <= plan_year_start <= 2200 - years:
        raise SyntheticDataError(
            _("--plan-year-start %(value)s is out of range.") % {"value": plan_year_start}
        )


@dataclass
class _Context:
    rng: random.Random
    targets: list[Target]
    target_picker: _Picker[Target]
    plan_targets: dict[int, _PlanTargets]
    year_picker: _Picker[int]
    month_picker: _Picker[int]
    modality_picker: _Picker[str]
    kind_picker: _Picker[str]
    host_picker: _Picker[int]
    states_by_subregion: dict[str, list[int]]
    all_states: list[int]
    subregion_of: dict[int, str]
    organizations: list[int]
    as_of: dt.date

    @classmethod
    def build(
        cls,
        *,
        rng: random.Random,
        base_targets: list[Target],
        plan_targets: dict[int, _PlanTargets],
        years: list[int],
        as_of: dt.date,
    ) -> _Context:
        states = list(MemberState.objects.order_by("code").values_list("id", "subregion"))
        if not states:
            raise SyntheticDataError("No member states: run `cicte migrate` first.")
        by_subregion: dict[str, list[int]] = {}
        for state_id, subregion in states:
            by_subregion.setdefault(subregion, []).append(state_id)
        host_weights = [
            SUBREGION_SHARES.get(subregion, 0.1) / len(by_subregion[subregion])
            for _, subregion in states
        ]
        return cls(
            rng=rng,
            targets=base_targets,
            target_picker=_Picker(base_targets, [_target_weight(t) for t in base_targets]),
            plan_targets=plan_targets,
            # the Secretariat grows: 3 % more events each year
            year_picker=_Picker(years, [1.03**i for i in range(len(years))]),
            month_picker=_Picker(list(range(1, 13)), MONTH_WEIGHTS),
            modality_picker=_Picker(list(MODALITY_WEIGHTS), list(MODALITY_WEIGHTS.values())),
            kind_picker=_Picker(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())),
            host_picker=_Picker([s for s, _ in states], host_weights),
            states_by_subregion=by_subregion,
            all_states=[s for s, _ in states],
            subregion_of=dict(states),
            organizations=list(Organization.objects.order_by("id").values_list("id", flat=True)),
            as_of=as_of,
        )


# per event: (year, target indexes and units, beneficiary ids, partner ids, people, named people)
_Extras = tuple[int, list[tuple[int, int]], list[int], list[int], list[tuple[int, str]], int]


def _participants_for(index: int, *, events: int, participants: int) -> int:
    """Named participant rows of the index-th event: an even spread adding up exactly."""
    if events == 0:
        return 0
    return (index + 1) * participants // events - index * participants // events


def _write_batch(
    ctx: _Context,
    *,
    first: int,
    size: int,
    events: int,
    participants: int,
    participant_offset: int,
    result: GenerateResult,
) -> None:
    rng = ctx.rng
    event_rows: list[dict[str, Any]] = []
    extras: list[_Extras] = []
    for i in range(first, first + size):
        year = ctx.year_picker.pick(rng)
        t_index = ctx.target_picker.index(rng)
        target = ctx.targets[t_index]
        contributions = [(t_index, 1 if rng.random() < 0.85 else rng.randint(2, 3))]
        if rng.random() < 0.10:  # some events count toward a second target
            other = ctx.target_picker.index(rng)
            if other != t_index:
                contributions.append((other, 1))
        kind = _kind_for(target.unit, rng, ctx.kind_picker)
        month = ctx.month_picker.pick(rng)
        low, high = DAYS_BY_KIND.get(kind, (1, 3))
        days = rng.randint(low, high)
        start = dt.date(year, month, 1) + dt.timedelta(days=rng.randrange(28))
        end = min(start + dt.timedelta(days=days - 1), dt.date(year, 12, 31))
        past = end < ctx.as_of
        weights = PAST_STATUS_WEIGHTS if past else FUTURE_STATUS_WEIGHTS
        status = _weighted(rng, weights)
        modality = ctx.modality_picker.pick(rng)
        chosen_host = ctx.host_picker.pick(rng)
        beneficiaries = _beneficiaries(ctx, modality, chosen_host)
        host = None if modality == Modality.VIRTUAL else chosen_host
        total = rng.randint(*PARTICIPANTS_RANGE)
        named = _participants_for(i, events=events, participants=participants)
        total = max(total, named)
        people: list[tuple[int, str]] = []
        women = men = 0
        # The hot loop (about 35 people per event): locals, and rng._randbelow(n), which is
        # exactly what rng.randrange(n) draws for n > 0 (same numbers, no argument checks).
        count = len(beneficiaries)
        random_ = rng.random
        below = rng._randbelow  # type: ignore[attr-defined]
        append = people.append
        for _person in range(total):
            u = random_()
            if u < NOT_STATED_SHARE:
                sex = NOT_STATED
            elif u < FEMALE_BELOW:
                sex = FEMALE
                women += 1
            else:
                sex = MALE
                men += 1
            append((beneficiaries[below(count)], sex))
        partner_ids = (
            rng.sample(ctx.organizations, min(len(ctx.organizations), rng.randint(0, 2)))
            if ctx.organizations
            else []
        )
        number = i + 1
        event_rows.append(
            {
                "plan_id": ctx.plan_targets[year].plan_id,
                "kind": kind,
                "title": f"Synthetic {kind.replace('_', ' ')} {number:07d} ({target.code})",
                "start_date": start,
                "end_date": end,
                "modality": modality,
                "city": CITIES[rng.randrange(len(CITIES))],
                "host_state_id": host,
                "status": status,
                "participants_total": total,
                "participants_women": women,
                "participants_men": men,
                "funding_source_id": partner_ids[0] if partner_ids else None,
                "cost": Decimal(rng.randrange(5_000, 150_000)) if past else None,
                "currency": "USD",
                "notes": "Synthetic data generated by `cicte generate`; not a real event.",
            }
        )
        extras.append((year, contributions, beneficiaries, partner_ids, people, named))

    with transaction.atomic():
        event_ids = _insert_events(event_rows)
        dataversion.bump(*{row["plan_id"] for row in event_rows})  # raw inserts: no signal
        # Raw inserts send no signal: the search index gets one executemany per batch.
        entries = index_events(
            {"id": pk, **row} for pk, row in zip(event_ids, event_rows, strict=True)
        )
        # The child tables get plain tuples: no model instances, COPY on PostgreSQL.
        links: list[tuple[int, int, int]] = []
        beneficiary_rows: list[tuple[int, int]] = []
        partner_rows: list[tuple[int, int]] = []
        country_rows: list[tuple[int, int, int, int, int]] = []
        participant_rows: list[tuple[int, int, str, str, str, str]] = []
        serial = participant_offset + _named_before(first, events=events, participants=participants)
        for event_id, (year, contributions, beneficiaries, partner_ids, people, named) in zip(
            event_ids, extras, strict=True
        ):
            target_ids = ctx.plan_targets[year].target_ids
            links.extend((event_id, target_ids[t], units) for t, units in contributions)
            beneficiary_rows.extend((event_id, s) for s in beneficiaries)
            partner_rows.extend((event_id, o) for o in partner_ids)
            by_state: dict[int, list[int]] = {}
            for state_id, person_sex in people:
                counts = by_state.setdefault(state_id, [0, 0, 0])
                counts[0 if person_sex == FEMALE else 1 if person_sex == MALE else 2] += 1
            country_rows.extend(
                (event_id, s, c[0], c[1], c[2]) for s, c in sorted(by_state.items())
            )
            for state_id, person_sex in people[:named]:
                serial += 1
                participant_rows.append(
                    (event_id, state_id, f"Participant {serial:07d}", person_sex, "", "")
                )
        _insert(EventTarget, ("event_id", "target_id", "units"), links)
        _insert(Event.beneficiaries.through, ("event_id", "memberstate_id"), beneficiary_rows)
        _insert(Event.partners.through, ("event_id", "organization_id"), partner_rows)
        _insert(
            CountryParticipation,
            ("event_id", "member_state_id", "women", "men", "not_stated"),
            country_rows,
        )
        _insert(
            Participant,
            ("event_id", "member_state_id", "name", "sex", "email", "institution"),
            participant_rows,
        )
    result.events += len(event_ids)
    result.event_targets += len(links)
    result.beneficiaries += len(beneficiary_rows)
    result.partners += len(partner_rows)
    result.country_participation += len(country_rows)
    result.participants += len(participant_rows)
    result.search_entries += entries


def _insert_events(rows: list[dict[str, Any]]) -> list[int]:
    """Insert events and return their ids, in order (ids reserved first, then a fast insert)."""
    if not can_reserve_ids():  # another backend: let Django return the ids
        created = Event.objects.bulk_create([Event(**row) for row in rows])
        if any(e.pk is None for e in created):
            raise SyntheticDataError("This database backend cannot return ids from bulk inserts.")
        return [e.pk for e in created]
    ids = reserve_ids(Event, len(rows))
    columns = ["id", *rows[0]]
    _insert(Event, columns, [(pk, *row.values()) for pk, row in zip(ids, rows, strict=True)])
    return ids


def _insert(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert plain rows into the model's table: COPY on PostgreSQL, executemany elsewhere.

    Much faster than ``bulk_create`` for millions of rows (no model instances, no SQL
    compilation per batch); like it, sends no signals, so no history rows are written.
    Columns not given get the field's default (``auto_now`` fields: now), so a field added
    to the model later does not break the generator. Dates and decimals are adapted for
    the backend.
    """
    if not rows:
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    now = timezone.now()
    extra: list[str] = []
    extra_values: list[Any] = []
    for name, f in fields.items():
        if name in columns or f.primary_key:
            continue
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        value = now if auto else f.get_default()
        extra.append(name)
        extra_values.append(f.get_db_prep_save(value, connection))
    adapters: list[tuple[int, Any]] = [
        (i, fields[name]) for i, name in enumerate(columns)
        if isinstance(fields[name], (DateField, DecimalField))
    ]  # fmt: skip
    if adapters:
        rows = [_adapt(row, adapters) for row in rows]
    if extra_values:
        tail = tuple(extra_values)
        rows = [(*row, *tail) for row in rows]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(fields[c].column) for c in [*columns, *extra])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * (len(columns) + len(extra)))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _adapt(row: tuple[Any, ...], adapters: list[tuple[int, Any]]) -> tuple[Any, ...]:
    values = list(row)
    for i, f in adapters:
        values[i] = f.get_db_prep_save(values[i], connection)
    return tuple(values)


def _named_before(index: int, *, events: int, participants: int) -> int:
    return index * participants // events if events else 0


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    u = rng.random() * sum(weights.values())
    for value, weight in weights.items():
        u -= weight
        if u < 0:
            return value
    return next(reversed(weights))


def _beneficiaries(ctx: _Context, modality: str, host: int) -> list[int]:
    rng = ctx.rng
    if modality == Modality.NATIONAL:
        return [host]
    if modality == Modality.BINATIONAL:
        other = ctx.all_states[rng.randrange(len(ctx.all_states))]
        return sorted({host, other})
    if modality == Modality.SUBREGIONAL:
        pool = ctx.states_by_subregion[ctx.subregion_of[host]]
        chosen = set(rng.sample(pool, min(len(pool), rng.randint(3, 8))))
        chosen.add(host)
        return sorted(chosen)
    # regional and virtual: states from the whole hemisphere
    chosen = set(rng.sample(ctx.all_states, rng.randint(8, 20)))
    if modality != Modality.VIRTUAL:
        chosen.add(host)
    return sorted(chosen)
