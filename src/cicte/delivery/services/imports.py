"""Spreadsheet import of events: all or nothing (or valid rows only), fast bulk writes.

Checks the actor (Secretariat staff: an import may touch every program), resolves every
reference against the database, reports every problem with its row, and writes with
``executemany`` while still leaving the audit records (:mod:`cicte.core.audit`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.core import audit, dataversion
from cicte.core.bulk import reserve_ids
from cicte.core.errors import require
from cicte.core.types import Actor, actor_user
from cicte.delivery import guards, indexing, permissions
from cicte.delivery.models import Event, EventTarget
from cicte.delivery.parsing.spreadsheet import EventRow, RowError
from cicte.delivery.services.events import _set_targets, event_delete
from cicte.directory.models import MemberState
from cicte.directory.selectors import organization_lookup
from cicte.plan.models import Target, WorkPlan

IMPORT_BATCH = 500


def import_key_for(*, plan: WorkPlan, row: EventRow, codes: Sequence[str]) -> str:
    """A stable hash of a row's natural content, so a re-import finds the same event."""
    natural = [
        plan.symbol,
        " ".join(row.title.split()).casefold(),
        row.start_date.isoformat(),
        row.end_date.isoformat(),
        sorted(codes),
        row.country or "",
    ]
    return hashlib.sha256(_KEY_JSON.encode(natural).encode()).hexdigest()


# json.dumps(natural, ensure_ascii=False) without building an encoder per call.
_KEY_JSON = json.JSONEncoder(ensure_ascii=False)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    rows_total: int = 0

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class _Resolved:
    row: EventRow
    key: str
    values: dict[str, Any]  # the event's columns from the row (_event_values)
    contributions: list[tuple[int, int]]  # (target id, units)
    beneficiaries: list[int]
    partners: list[int]


_VALUE_NAMES = (
    "kind",
    "title",
    "start_date",
    "end_date",
    "status",
    "modality",
    "city",
    "host_state_id",
    "participants_total",
    "participants_women",
    "participants_men",
    "cost",
    "currency",
    "notes",
)


def _event_values(row: EventRow, host_id: int | None) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "title": row.title,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "status": row.status,
        "modality": row.modality,
        "city": row.city,
        "host_state_id": host_id,
        "participants_total": row.participants,
        "participants_women": row.women,
        "participants_men": row.men,
        "cost": row.cost,
        "currency": row.currency or "USD",
        "notes": row.notes,
    }


def events_import(
    *,
    actor: Actor,
    plan: WorkPlan,
    rows: Sequence[EventRow],
    import_valid_only: bool = False,
    parse_errors: Sequence[RowError] = (),
    dry_run: bool = False,
    progress: Any = None,
) -> ImportResult:
    """Import parsed spreadsheet rows into ``plan``; all or nothing unless ``import_valid_only``.

    Targets (by code, in this plan), member states and partners (by name or acronym) are
    resolved against the database; every problem is reported with its row number. Rows whose
    natural content was imported before (same ``import_key``) update that event, or are left
    alone when nothing changed, so re-importing a file never duplicates events.

    Writes use bulk inserts: ``bulk_create`` for events, their contributions and the
    beneficiary/partner rows, plus ``bulk_history_create`` for the audit records of events
    and contributions and the historical M2M rows (the same records simple-history's
    ``bulk_create_with_history`` would write, attached to each event's creation record).
    """
    require(
        permissions.can_import_events(actor),
        _("Only Secretariat staff import spreadsheets (an import may touch every program)."),
    )
    result = ImportResult(
        errors=list(parse_errors), rows_total=len(rows) + len({e.row for e in parse_errors})
    )
    targets = {t.code: t for t in Target.objects.filter(plan=plan).only("id", "code", "plan_id")}
    targets_folded = {code.casefold(): t for code, t in targets.items()}
    states = dict(MemberState.objects.values_list("code", "pk"))
    organizations = organization_lookup()

    resolved: list[_Resolved] = []
    seen_keys: dict[str, int] = {}
    for row in rows:
        row_errors: list[RowError] = []
        contributions: list[tuple[int, int]] = []
        codes: list[str] = []
        for ref in row.targets:
            target = targets.get(ref.code) or targets_folded.get(ref.code.casefold())
            if target is None:
                row_errors.append(
                    RowError(
                        row.row,
                        "target",
                        f"unknown target code {ref.code!r} in the {plan.year} plan",
                    )
                )
            else:
                contributions.append((target.pk, ref.units))
                codes.append(target.code)
        partner_ids: list[int] = []
        for name in row.partners:
            organization = organizations.get(name.casefold())
            if organization is None:
                row_errors.append(
                    RowError(
                        row.row,
                        "partners",
                        f"unknown partner {name!r} (add the organization in the workspace "
                        "first, or use its name or acronym as the directory spells it)",
                    )
                )
            else:
                partner_ids.append(organization.pk)
        host_id = states.get(row.country) if row.country else None
        if row.country and host_id is None:
            row_errors.append(RowError(row.row, "country", f"unknown country {row.country!r}"))
        beneficiary_ids = [states[c] for c in row.beneficiaries if c in states]
        if row_errors:
            result.errors.extend(row_errors)
            continue
        key = import_key_for(plan=plan, row=row, codes=codes)
        if key in seen_keys:
            result.errors.append(
                RowError(
                    row.row,
                    "title",
                    f"same event as row {seen_keys[key]} (title, dates, targets and country)",
                )
            )
            continue
        seen_keys[key] = row.row
        resolved.append(
            _Resolved(
                row=row,
                key=key,
                values=_event_values(row, host_id),
                contributions=contributions,
                beneficiaries=list(dict.fromkeys(beneficiary_ids)),
                partners=list(dict.fromkeys(partner_ids)),
            )
        )
    if resolved and guards.active():
        locked = _locked_rows(plan_id=plan.pk, items=resolved)
        result.errors.extend(locked)
        locked_rows = {error.row for error in locked}
        resolved = [item for item in resolved if item.row.row not in locked_rows]
    result.errors.sort(key=lambda e: e.row)
    if (result.errors and not import_valid_only) or dry_run:
        if dry_run and not result.errors:
            existing = _existing_by_key([r.key for r in resolved])
            result.created = sum(1 for r in resolved if r.key not in existing)
            result.updated = len(resolved) - result.created
        return result
    try:
        with transaction.atomic():
            _write_import(plan=plan, items=resolved, actor=actor, result=result, progress=progress)
    except DatabaseError as exc:  # rolled back: nothing of the file is written
        result.created = result.updated = result.unchanged = 0
        refused_row = _refused_row(plan=plan, items=resolved, actor=actor)
        result.errors.append(
            RowError(
                refused_row if refused_row is not None else resolved[0].row.row,
                "",
                f"the database refused this row, nothing was imported: {exc}",
            )
        )
        result.errors.sort(key=lambda e: e.row)
        return result
    result.written = True
    return result


def _locked_rows(*, plan_id: int, items: Sequence[_Resolved]) -> list[RowError]:
    """Rows that would create or change an event a guard refuses (a locked period), each
    with the guard's message. A row identical to the event it imported before is no change."""
    target_ids = {target_id for item in items for target_id, _units in item.contributions}
    program_of = dict(
        Target.objects.filter(pk__in=target_ids).values_list("pk", "project__program_id")
    )
    footprints = [
        guards.footprint(
            plan_id=plan_id,
            program_ids={program_of[t] for t, _units in item.contributions},
            end_date=item.row.end_date,
        )
        for item in items
    ]
    refused = {refusal.index: refusal.message for refusal in guards.refusals(footprints)}
    if not refused:
        return []
    candidates = [items[index] for index in refused]
    existing = _existing_by_key([item.key for item in candidates])
    relations = _relations_of([event.pk for event in existing.values()])
    errors = []
    for index, message in sorted(refused.items()):
        item = items[index]
        event = existing.get(item.key)
        if event is not None and not _would_change(
            event=event, item=item, current=relations.get(event.pk, _Relations())
        ):
            continue
        errors.append(RowError(item.row.row, "targets", message))
    return errors


def _existing_by_key(keys: Sequence[str]) -> dict[str, Event]:
    existing: dict[str, Event] = {}
    for start in range(0, len(keys), IMPORT_BATCH):
        chunk = keys[start : start + IMPORT_BATCH]
        for event in Event.objects.filter(import_key__in=chunk):
            assert event.import_key is not None
            existing[event.import_key] = event
    return existing


def _write_import(
    *, plan: WorkPlan, items: list[_Resolved], actor: Actor, result: ImportResult, progress: Any
) -> None:
    user = actor_user(actor)
    dataversion.bump(plan.pk)  # bulk inserts send no signal (cicte.core.dataversion)
    existing = _existing_by_key([item.key for item in items])
    new_items = [item for item in items if item.key not in existing]
    old_items = [item for item in items if item.key in existing]

    relations = _relations_of([existing[item.key].pk for item in old_items])
    for item in old_items:
        event = existing[item.key]
        current = relations.get(event.pk, _Relations())
        if _update_from_import(event=event, item=item, current=current, actor=actor):
            result.updated += 1
        else:
            result.unchanged += 1
        if progress is not None:
            progress.update(1)

    writer = _NewEvents(plan=plan, user_id=user.pk if user is not None else None)
    for start in range(0, len(new_items), WRITE_BATCH):
        batch = new_items[start : start + WRITE_BATCH]
        writer.write(batch)
        result.created += len(batch)
        if progress is not None:
            progress.update(len(batch))


#: New events written per round of statements (one ``executemany`` per table per round).
WRITE_BATCH = 2000
_HISTORY_COLUMNS = ["history_date", "history_change_reason", "history_type", "history_user"]
_PREPARED_TYPES = {"DateTimeField", "TimeField", "JSONField", "UUIDField", "DurationField"}


def _adapter(model_field: Any) -> Any:
    """How a value of ``model_field`` is prepared for the database (None: as it is)."""
    ops = connection.ops
    kind = model_field.get_internal_type()
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DecimalField":
        digits, places = model_field.max_digits, model_field.decimal_places
        return lambda value: (
            None if value is None else ops.adapt_decimalfield_value(value, digits, places)
        )
    if kind in _PREPARED_TYPES:
        return lambda value: model_field.get_db_prep_save(value, connection)
    return None


class _NewEvents:
    """Writes new events with their contributions, beneficiaries, partners, creation
    records (what simple-history's ``bulk_history_create`` would write, the M2M rows attached
    to each event's record) and search entries: ids reserved first (:mod:`cicte.core.bulk`),
    then one ``executemany`` per table, no model instances and no read-back."""

    def __init__(self, *, plan: WorkPlan, user_id: Any) -> None:
        now = timezone.now()
        self.fields = list(Event._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        fixed = {
            "plan_id": plan.pk,
            "created_by_id": user_id,
            "created_at": now,
            "updated_at": now,
        }
        # Columns the import does not fill take the field's default (a field added later too).
        self.fixed = {
            f.attname: fixed.get(f.attname, f.get_default())
            for f in self.fields
            if f.attname not in _VALUE_NAMES and f.attname not in ("id", "import_key")
        }
        adapters = [_adapter(f) for f in self.fields]
        # Each column once: the constant ones prepared here (the timestamps' conversion is the
        # costly one), the row's own values prepared per row.
        self.columns: list[tuple[str, Any, Any]] = []
        for name, adapt in zip(self.names, adapters, strict=True):
            if name in self.fixed:
                value = self.fixed[name]
                self.columns.append((name, True, value if adapt is None else adapt(value)))
            else:
                self.columns.append((name, False, adapt))
        self.history = Event.history.model
        history_fields = [f.attname for f in self.history.tracked_fields]
        self.history_order = [self.names.index(name) for name in history_fields]
        self.history_columns = [*history_fields, "history_id", *_HISTORY_COLUMNS]
        self.history_values = (
            self.history._meta.get_field("history_date").get_db_prep_save(now, connection),
            None,
            "+",
            user_id,
        )
        target_history = EventTarget.history.model
        self.target_history = target_history
        self.target_history_values = (
            target_history._meta.get_field("history_date").get_db_prep_save(now, connection),
            None,
            "+",
            user_id,
        )

    def event_row(self, pk: int, item: _Resolved) -> tuple[Any, ...]:
        values = {**item.values, "id": pk, "import_key": item.key}
        row = []
        for name, fixed, prepared in self.columns:
            if fixed:
                row.append(prepared)
            else:
                value = values[name]
                row.append(value if prepared is None else prepared(value))
        return tuple(row)

    def write(self, items: Sequence[_Resolved]) -> None:
        event_ids = reserve_ids(Event, len(items))
        history_ids = reserve_ids(self.history, len(items))
        rows = [self.event_row(pk, item) for pk, item in zip(event_ids, items, strict=True)]
        _raw_insert(Event, self.names, rows)
        order = self.history_order
        _raw_insert(
            self.history,
            self.history_columns,
            [
                (*(row[i] for i in order), history_id, *self.history_values)
                for row, history_id in zip(rows, history_ids, strict=True)
            ],
        )
        indexing.index_events(
            {"id": pk, **{name: item.values.get(name, "") for name in indexing.FIELDS}}
            for pk, item in zip(event_ids, items, strict=True)
        )
        contributions = [
            (event_id, target_id, units)
            for event_id, item in zip(event_ids, items, strict=True)
            for target_id, units in item.contributions
        ]
        contribution_ids = reserve_ids(EventTarget, len(contributions))
        _raw_insert(
            EventTarget,
            ["id", "event", "target", "units"],
            [(pk, *values) for pk, values in zip(contribution_ids, contributions, strict=True)],
        )
        _raw_insert(
            self.target_history,
            ["id", "event", "target", "units", *_HISTORY_COLUMNS],
            [
                (pk, *values, *self.target_history_values)
                for pk, values in zip(contribution_ids, contributions, strict=True)
            ],
        )
        for name, column in (("beneficiaries", "memberstate"), ("partners", "organization")):
            through = getattr(Event, name).through
            historical = apps.get_model("delivery", f"HistoricalEvent_{name}")
            links = [
                (event_id, history_id, related_id)
                for event_id, history_id, item in zip(event_ids, history_ids, items, strict=True)
                for related_id in getattr(item, name)
            ]
            link_ids = reserve_ids(through, len(links))
            _raw_insert(
                through,
                ["id", "event", column],
                [
                    (pk, event_id, related_id)
                    for pk, (event_id, _history, related_id) in zip(link_ids, links, strict=True)
                ],
            )
            # The historical M2M rows (what simple-history records for m2m_fields), keyed by
            # the through row's id and attached to the event's creation record.
            _raw_insert(
                historical,
                ["id", "event", column, "history"],
                [
                    (pk, event_id, related_id, history_id)
                    for pk, (event_id, history_id, related_id) in zip(link_ids, links, strict=True)
                ],
            )


def _refused_row(*, plan: WorkPlan, items: Sequence[_Resolved], actor: Actor) -> int | None:
    """After a refused write (rolled back): the row the database refuses, found by halving
    the new rows, each try in a transaction that is rolled back; None if none is refused
    (then the refusal came from an update of an event imported before)."""
    user = actor_user(actor)
    writer = _NewEvents(plan=plan, user_id=user.pk if user is not None else None)
    existing = _existing_by_key([item.key for item in items])
    batch = [item for item in items if item.key not in existing]

    def accepted(part: Sequence[_Resolved]) -> bool:
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":  # foreign keys are checked at commit
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for start in range(0, len(part), WRITE_BATCH):
                    writer.write(part[start : start + WRITE_BATCH])
                raise _Probe(connection.vendor == "sqlite" and _foreign_key_violations())
        except _Probe as probe:  # rolled back either way
            return not probe.refused
        except DatabaseError:
            return False

    if accepted(batch):
        return None
    low, high = 0, len(batch)
    while high - low > 1:  # batch[:high] is refused; batch[:low] is accepted
        middle = (low + high) // 2
        if accepted(batch[:middle]):
            low = middle
        else:
            high = middle
    return batch[low].row.row


def _foreign_key_violations() -> bool:
    """SQLite checks deferred foreign keys at commit: ask for them now (the written tables)."""
    tables = [
        model._meta.db_table
        for model in (Event, EventTarget, Event.beneficiaries.through, Event.partners.through)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"PRAGMA foreign_key_check({connection.ops.quote_name(table)})")
            if cursor.fetchone() is not None:
                return True
    return False


class _Probe(Exception):
    """Rolls back a probe write that the database did not refuse outright."""

    def __init__(self, refused: bool) -> None:
        super().__init__(refused)
        self.refused = refused


_raw_insert = audit.bulk_insert


@dataclass
class _Relations:
    contributions: dict[int, int] = field(default_factory=dict)  # target id -> units
    beneficiaries: set[int] = field(default_factory=set)
    partners: set[int] = field(default_factory=set)


def _relations_of(event_ids: Sequence[int]) -> dict[int, _Relations]:
    """Contributions, beneficiaries and partners of many events, three queries per batch."""
    relations: dict[int, _Relations] = {}
    for start in range(0, len(event_ids), IMPORT_BATCH):
        chunk = event_ids[start : start + IMPORT_BATCH]
        for event_id, target_id, units in EventTarget.objects.filter(
            event_id__in=chunk
        ).values_list("event_id", "target_id", "units"):
            relations.setdefault(event_id, _Relations()).contributions[target_id] = units
        for event_id, state_id in Event.beneficiaries.through.objects.filter(
            event_id__in=chunk
        ).values_list("event_id", "memberstate_id"):
            relations.setdefault(event_id, _Relations()).beneficiaries.add(state_id)
        for event_id, organization_id in Event.partners.through.objects.filter(
            event_id__in=chunk
        ).values_list("event_id", "organization_id"):
            relations.setdefault(event_id, _Relations()).partners.add(organization_id)
    return relations


def _would_change(*, event: Event, item: _Resolved, current: _Relations) -> bool:
    values = item.values
    if any(getattr(event, name) != value for name, value in values.items()):
        return True
    return not (
        current.contributions == dict(item.contributions)
        and current.beneficiaries == set(item.beneficiaries)
        and current.partners == set(item.partners)
    )


def _update_from_import(
    *, event: Event, item: _Resolved, current: _Relations, actor: Actor
) -> bool:
    """Bring an event imported before up to date with its row; True when something changed."""
    if not _would_change(event=event, item=item, current=current):
        return False
    values = item.values
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    contributions = current.contributions
    beneficiaries = current.beneficiaries
    partners = current.partners
    for name in changed:
        setattr(event, name, values[name])
    if changed:
        audit.save(event, actor=actor)
    if contributions != dict(item.contributions):
        target_objects = {
            t.pk: t for t in Target.objects.filter(pk__in=[t for t, _ in item.contributions])
        }
        _set_targets(
            event=event,
            targets=[(target_objects[t], u) for t, u in item.contributions],
            actor=actor,
        )
    if beneficiaries != set(item.beneficiaries):
        audit.set_related(event, "beneficiaries", item.beneficiaries, actor=actor)
    if partners != set(item.partners):
        audit.set_related(event, "partners", item.partners, actor=actor)
    return True


def events_delete_matching(*, actor: Actor, query: Q) -> int:
    """Delete the events matching ``query`` (used by ``cicte demo --reset``)."""
    require(
        permissions.can_import_events(actor), _("Only Secretariat staff delete events in bulk.")
    )
    deleted = 0
    with transaction.atomic():
        for event in Event.objects.filter(query):
            event_delete(actor=actor, event=event)
            deleted += 1
    return deleted
