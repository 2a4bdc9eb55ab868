"""Spreadsheet import of events: all or nothing (or valid rows only), fast bulk writes.

Checks the actor (Secretariat staff: an import may touch every program), resolves every
reference against the database, reports every problem with its row, and writes with
``executemany`` while still leaving the audit records (:mod:`cicte.core.audit`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.core import audit, dataversion
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
    return hashlib.sha256(json.dumps(natural, ensure_ascii=False).encode()).hexdigest()


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
    event: Event
    contributions: list[tuple[int, int]]  # (target id, units)
    beneficiaries: list[int]
    partners: list[int]


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
    user = actor_user(actor)
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
        event = Event(plan=plan, import_key=key, created_by=user, **_event_values(row, host_id))
        resolved.append(
            _Resolved(
                row=row,
                key=key,
                event=event,
                contributions=contributions,
                beneficiaries=list(dict.fromkeys(beneficiary_ids)),
                partners=list(dict.fromkeys(partner_ids)),
            )
        )
    if resolved and guards.active():
        locked = _locked_rows(items=resolved)
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
    with transaction.atomic():
        _write_import(plan=plan, items=resolved, actor=actor, result=result, progress=progress)
    result.written = True
    return result


def _locked_rows(*, items: Sequence[_Resolved]) -> list[RowError]:
    """Rows that would create or change an event a guard refuses (a locked period), each
    with the guard's message. A row identical to the event it imported before is no change."""
    target_ids = {target_id for item in items for target_id, _units in item.contributions}
    program_of = dict(
        Target.objects.filter(pk__in=target_ids).values_list("pk", "project__program_id")
    )
    footprints = [
        guards.footprint(
            plan_id=item.event.plan_id,
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

    historical_m2m_b = apps.get_model("delivery", "HistoricalEvent_beneficiaries")
    historical_m2m_p = apps.get_model("delivery", "HistoricalEvent_partners")
    historical_target = EventTarget.history.model
    beneficiaries_through = Event.beneficiaries.through
    partners_through = Event.partners.through
    now = timezone.now()
    user_id = user.pk if user is not None else None
    for start in range(0, len(new_items), IMPORT_BATCH):
        batch = new_items[start : start + IMPORT_BATCH]
        events = Event.objects.bulk_create([item.event for item in batch])
        if events and events[0].pk is None:  # databases that do not return ids
            keyed = {
                e.import_key: e for e in Event.objects.filter(import_key__in=[i.key for i in batch])
            }
            events = [keyed[item.key] for item in batch]
            for item, event in zip(batch, events, strict=True):
                item.event = event
        event_ids = [e.pk for e in events]
        indexing.index_events(events)  # bulk_create sends no signal: one executemany
        history_ids = _insert_event_history(events, now, user_id)
        # The simple tables are written with executemany (no model instances), then read
        # back by event for their ids; every write still leaves its audit record.
        _raw_insert(
            EventTarget,
            ["event", "target", "units"],
            [
                (item.event.pk, target_id, units)
                for item in batch
                for target_id, units in item.contributions
            ],
        )
        _raw_insert(
            historical_target,
            ["id", "event", "target", "units", *_HISTORY_COLUMNS],
            [
                (pk, event_id, target_id, units, *_history_values(historical_target, now, user_id))
                for pk, event_id, target_id, units in EventTarget.objects.filter(
                    event_id__in=event_ids
                ).values_list("pk", "event_id", "target_id", "units")
            ],
        )
        for through, historical, column, attribute in (
            (beneficiaries_through, historical_m2m_b, "memberstate", "beneficiaries"),
            (partners_through, historical_m2m_p, "organization", "partners"),
        ):
            _raw_insert(
                through,
                ["event", column],
                [
                    (item.event.pk, related_id)
                    for item in batch
                    for related_id in getattr(item, attribute)
                ],
            )
            # Historical M2M rows (what simple-history records for m2m_fields), keyed by
            # the through row's id and attached to the event's creation record.
            _raw_insert(
                historical,
                ["id", "event", column, "history"],
                [
                    (pk, event_id, related_id, history_ids[event_id])
                    for pk, event_id, related_id in through.objects.filter(
                        event_id__in=event_ids
                    ).values_list("pk", "event_id", f"{column}_id")
                    if event_id in history_ids
                ],
            )
        result.created += len(batch)
        if progress is not None:
            progress.update(len(batch))


_HISTORY_COLUMNS = ["history_date", "history_change_reason", "history_type", "history_user"]
_PREPARED_TYPES = {"DateField", "DateTimeField", "DecimalField", "TimeField", "JSONField"}


def _insert_event_history(
    events: Sequence[Event], when: dt.datetime, user_id: Any
) -> dict[int, int]:
    """The creation records of new events (what ``bulk_history_create`` writes), inserted
    with one executemany; returns event id -> history id."""
    model = Event.history.model
    fields = [model._meta.get_field(f.name) for f in model.tracked_fields]
    prepare = [f.get_internal_type() in _PREPARED_TYPES for f in fields]
    attnames = [f.attname for f in fields]
    history = _history_values(model, when, user_id)
    rows = []
    for event in events:
        values = []
        for model_field, attname, needs in zip(fields, attnames, prepare, strict=True):
            value = getattr(event, attname)
            values.append(model_field.get_db_prep_save(value, connection) if needs else value)
        rows.append((*values, *history))
    _raw_insert(model, [*attnames, *_HISTORY_COLUMNS], rows)
    return dict(
        model.objects.filter(
            id__in=[e.pk for e in events], history_type="+", history_date=when
        ).values_list("id", "history_id")
    )


def _history_values(model: Any, when: dt.datetime, user_id: Any) -> tuple[Any, ...]:
    date = model._meta.get_field("history_date").get_db_prep_save(when, connection)
    return (date, None, "+", user_id)


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
    values = _event_values(item.row, item.event.host_state_id)
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
    values = _event_values(item.row, item.event.host_state_id)
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
