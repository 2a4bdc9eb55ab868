"""Writes to delivery data: events, their targets, participation, attachments, imports.

Every function is keyword-only, runs in one transaction and leaves audit records
(django-simple-history; ``_history_user`` is the acting user). Web views, the spreadsheet
import and the CLI commands all call these functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.delivery.models import (
    Attachment,
    AttachmentKind,
    CountryParticipation,
    Event,
    EventKind,
    EventStatus,
    EventTarget,
    Modality,
)
from cicte.delivery.parsing.spreadsheet import EventRow, RowError
from cicte.delivery.rules import Problem, event_problems
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Target, WorkPlan

Actor = AbstractBaseUser | AnonymousUser | None


class EventValidationError(Exception):
    """One or more problems with an event's values; each names its field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems]

    def by_field(self) -> dict[str, list[Problem]]:
        result: dict[str, list[Problem]] = {}
        for problem in self.problems:
            result.setdefault(problem.field, []).append(problem)
        return result


@dataclass
class CountryRow:
    """Participants of one member state (optional per-country breakdown)."""

    member_state: MemberState | str
    women: int = 0
    men: int = 0
    not_stated: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.not_stated


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _save(obj: Model, actor: Actor, **kwargs: Any) -> None:
    user = _user(actor)
    if user is not None:
        obj._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    obj.save(**kwargs)


def _delete(obj: Model, actor: Actor) -> None:
    user = _user(actor)
    if user is not None:
        obj._history_user = user  # type: ignore[attr-defined]
    obj.delete()


# --- validation ---------------------------------------------------------------------------

_EVENT_FIELDS = {
    "kind",
    "title",
    "start_date",
    "end_date",
    "modality",
    "city",
    "host_state",
    "status",
    "participants_total",
    "participants_women",
    "participants_men",
    "funding_source",
    "cost",
    "currency",
    "notes",
    "course",
    "provider",
}
_RELATION_FIELDS = {"targets", "beneficiaries", "partners", "country_participation"}


def _resolve_states(values: Iterable[MemberState | str], problems: list[Problem]) -> list[int]:
    objects = [v for v in values if isinstance(v, MemberState)]
    codes = [v.strip().upper() for v in values if isinstance(v, str) and v.strip()]
    ids = [s.pk for s in objects]
    if codes:
        found = dict(MemberState.objects.filter(code__in=codes).values_list("code", "pk"))
        for code in codes:
            if code in found:
                ids.append(found[code])
            else:
                problems.append(
                    Problem(
                        "beneficiaries",
                        "unknown_beneficiary",
                        f"{code} is not an OAS member state",
                    )
                )
    return list(dict.fromkeys(ids))


def _validate(
    *,
    plan: WorkPlan,
    values: dict[str, Any],
    targets: Sequence[tuple[Target, int]] | None,
    country_rows: Sequence[CountryRow] | None,
    extra: Sequence[Problem] = (),
) -> None:
    problems = list(extra)
    if not (values.get("title") or "").strip():
        problems.append(Problem("title", "required", "title is empty"))
    if values.get("kind") not in EventKind.values:
        problems.append(Problem("kind", "invalid_choice", f"unknown kind {values.get('kind')!r}"))
    if values.get("status") not in EventStatus.values:
        problems.append(
            Problem("status", "invalid_choice", f"unknown status {values.get('status')!r}")
        )
    if values.get("modality") and values["modality"] not in Modality.values:
        problems.append(
            Problem("modality", "invalid_choice", f"unknown modality {values['modality']!r}")
        )
    for name in ("start_date", "end_date"):
        if not isinstance(values.get(name), dt.date):
            problems.append(Problem(name, "required", f"{name} is not a date"))
    cost = values.get("cost")
    if cost is not None and Decimal(cost) < 0:
        problems.append(Problem("cost", "negative", "cost must be 0 or more"))
    if targets is not None:
        if not targets:
            problems.append(
                Problem(
                    "targets", "no_target", "choose at least one target the event counts toward"
                )
            )
        seen: set[int] = set()
        for target, _units in targets:
            if target.plan_id != plan.pk:
                problems.append(
                    Problem(
                        "targets",
                        "target_other_plan",
                        f"target {target.code} belongs to another plan",
                    )
                )
            if target.pk in seen:
                problems.append(
                    Problem("targets", "target_twice", f"target {target.code} is listed twice")
                )
            seen.add(target.pk)
    start = values.get("start_date")
    end = values.get("end_date")
    problems.extend(
        event_problems(
            start_date=start if isinstance(start, dt.date) else None,
            end_date=end if isinstance(end, dt.date) else None,
            participants_total=int(values.get("participants_total") or 0),
            participants_women=int(values.get("participants_women") or 0),
            participants_men=int(values.get("participants_men") or 0),
            units=[units for _target, units in targets or ()],
            country_totals=[row.total for row in country_rows or ()],
        )
    )
    if problems:
        raise EventValidationError(problems)


def _set_targets(*, event: Event, targets: Sequence[tuple[Target, int]], actor: Actor) -> None:
    wanted = {target.pk: units for target, units in targets}
    for contribution in list(event.contributions.all()):
        if contribution.target_id not in wanted:
            _delete(contribution, actor)
        else:
            units = wanted.pop(contribution.target_id)
            if contribution.units != units:
                contribution.units = units
                _save(contribution, actor)
    for target_id, units in wanted.items():
        _save(EventTarget(event=event, target_id=target_id, units=units), actor)


def _set_countries(*, event: Event, rows: Sequence[CountryRow], actor: Actor) -> None:
    problems: list[Problem] = []
    state_ids = _resolve_states([r.member_state for r in rows], problems)
    if problems:
        raise EventValidationError(
            [Problem("country_participation", p.code, p.message) for p in problems]
        )
    wanted = dict(zip(state_ids, rows, strict=False))
    for existing in list(event.country_participation.all()):
        row = wanted.pop(existing.member_state_id, None)
        if row is None:
            _delete(existing, actor)
        elif (existing.women, existing.men, existing.not_stated) != (
            row.women,
            row.men,
            row.not_stated,
        ):
            existing.women, existing.men, existing.not_stated = row.women, row.men, row.not_stated
            _save(existing, actor)
    for state_id, row in wanted.items():
        _save(
            CountryParticipation(
                event=event,
                member_state_id=state_id,
                women=row.women,
                men=row.men,
                not_stated=row.not_stated,
            ),
            actor,
        )


# --- events -------------------------------------------------------------------------------


@transaction.atomic
def event_record(
    *,
    actor: Actor,
    plan: WorkPlan,
    kind: str,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    targets: Sequence[tuple[Target, int]],
    status: str = EventStatus.PLANNED,
    modality: str = "",
    city: str = "",
    host_state: MemberState | None = None,
    beneficiaries: Iterable[MemberState | str] = (),
    participants_total: int = 0,
    participants_women: int = 0,
    participants_men: int = 0,
    country_participation: Sequence[CountryRow] = (),
    partners: Iterable[Organization] = (),
    funding_source: Organization | None = None,
    cost: Decimal | None = None,
    currency: str = "USD",
    notes: str = "",
    course: str = "",
    provider: Organization | None = None,
    import_key: str | None = None,
) -> Event:
    """Record an event and the targets it counts toward (units default to 1)."""
    values: dict[str, Any] = {
        "kind": kind,
        "title": title.strip(),
        "start_date": start_date,
        "end_date": end_date,
        "status": status,
        "modality": modality,
        "city": city.strip(),
        "host_state": host_state,
        "participants_total": participants_total,
        "participants_women": participants_women,
        "participants_men": participants_men,
        "funding_source": funding_source,
        "cost": cost,
        "currency": (currency or "").upper(),
        "notes": notes,
        "course": course,
        "provider": provider,
    }
    problems: list[Problem] = []
    state_ids = _resolve_states(list(beneficiaries), problems)
    _validate(
        plan=plan,
        values=values,
        targets=targets,
        country_rows=country_participation,
        extra=problems,
    )
    event = Event(plan=plan, created_by=_user(actor), import_key=import_key, **values)
    _save(event, actor)
    _set_targets(event=event, targets=targets, actor=actor)
    if state_ids:
        event.beneficiaries.set(state_ids)
    partner_list = list(partners)
    if partner_list:
        event.partners.set(partner_list)
    if country_participation:
        _set_countries(event=event, rows=country_participation, actor=actor)
    return event


@transaction.atomic
def event_update(*, actor: Actor, event: Event, **changes: Any) -> Event:
    """Change some of an event's values (same names as ``event_record``)."""
    unknown = set(changes) - _EVENT_FIELDS - _RELATION_FIELDS
    if unknown:
        raise TypeError(f"event_update() got unexpected field(s): {', '.join(sorted(unknown))}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    values = {name: getattr(event, name) for name in _EVENT_FIELDS}
    values.update({k: v for k, v in changes.items() if k in _EVENT_FIELDS})
    if isinstance(values.get("title"), str):
        values["title"] = values["title"].strip()
    targets = changes.get("targets")
    if targets is None:
        targets_for_check = [
            (c.target, c.units) for c in event.contributions.select_related("target")
        ]
    else:
        targets_for_check = list(targets)
    country_rows = changes.get("country_participation")
    if country_rows is None:
        country_rows = [
            CountryRow(c.member_state, c.women, c.men, c.not_stated)
            for c in event.country_participation.select_related("member_state")
        ]
    problems: list[Problem] = []
    state_ids = (
        _resolve_states(list(changes["beneficiaries"]), problems)
        if "beneficiaries" in changes
        else None
    )
    _validate(
        plan=event.plan,
        values=values,
        targets=targets_for_check,
        country_rows=country_rows,
        extra=problems,
    )
    changed = [name for name in _EVENT_FIELDS if getattr(event, name) != values[name]]
    for name in changed:
        setattr(event, name, values[name])
    if changed:
        _save(event, actor)
    if targets is not None:
        _set_targets(event=event, targets=targets, actor=actor)
    if state_ids is not None:
        event.beneficiaries.set(state_ids)
    if "partners" in changes:
        event.partners.set(list(changes["partners"]))
    if "country_participation" in changes:
        _set_countries(event=event, rows=changes["country_participation"], actor=actor)
    return event


@transaction.atomic
def event_duplicate(*, actor: Actor, event: Event) -> Event:
    """A planned copy of an event (same targets, states and partners; no attachments)."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy.import_key = None
    copy.status = EventStatus.PLANNED
    copy.created_by = _user(actor)
    copy.title = (_("%(title)s (copy)") % {"title": event.title})[:300]
    copy._state.adding = True
    _save(copy, actor)
    for contribution in event.contributions.all():
        _save(
            EventTarget(event=copy, target_id=contribution.target_id, units=contribution.units),
            actor,
        )
    for row in event.country_participation.all():
        _save(
            CountryParticipation(
                event=copy,
                member_state_id=row.member_state_id,
                women=row.women,
                men=row.men,
                not_stated=row.not_stated,
            ),
            actor,
        )
    copy.beneficiaries.set(list(event.beneficiaries.all()))
    copy.partners.set(list(event.partners.all()))
    return copy


@transaction.atomic
def event_set_status(*, actor: Actor, event: Event, status: str) -> Event:
    if status not in EventStatus.values:
        raise EventValidationError(
            [Problem("status", "invalid_choice", f"unknown status {status!r}")]
        )
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != status:
        event.status = status
        _save(event, actor)
    return event


@transaction.atomic
def event_delete(*, actor: Actor, event: Event) -> None:
    for attachment in event.attachments.all():
        attachment.file.delete(save=False)
    _delete(event, actor)


# --- attachments --------------------------------------------------------------------------

_OOXML = {
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def sniff_document(head: bytes, file: Any) -> tuple[str, str] | None:
    """(extension, content type) judged by the content, or None when not accepted."""
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        for member, result in _OOXML.items():
            if member in names:
                return result
    return None


@transaction.atomic
def attachment_add(
    *, actor: Actor, event: Event, kind: str, uploaded_file: UploadedFile
) -> Attachment:
    """Attach a PDF, DOCX, XLSX, PNG or JPEG (checked by content, not by name)."""
    limit = settings.CICTE_MAX_UPLOAD_BYTES
    size = uploaded_file.size or 0
    if size > limit:
        raise EventValidationError(
            [
                Problem(
                    "file",
                    "too_large",
                    f"the file is {size:,} bytes; the limit is {limit:,} bytes",
                )
            ]
        )
    if size == 0:
        raise EventValidationError([Problem("file", "empty", "the file is empty")])
    if kind not in AttachmentKind.values:
        raise EventValidationError([Problem("kind", "invalid_choice", f"unknown kind {kind!r}")])
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    sniffed = sniff_document(head, uploaded_file)
    if sniffed is None:
        raise EventValidationError(
            [
                Problem(
                    "file",
                    "file_type",
                    "only PDF, Word (DOCX), Excel (XLSX), PNG and JPEG files can be attached",
                )
            ]
        )
    extension, content_type = sniffed
    uploaded_file.seek(0)
    original = (uploaded_file.name or f"document.{extension}").replace("\\", "/").split("/")[-1]
    attachment = Attachment(
        event=event,
        kind=kind,
        original_name=original[:255],
        content_type=content_type,
        size=size,
        uploaded_by=_user(actor),
    )
    attachment.file.save(
        f"{uuid.uuid4().hex}.{extension}", ContentFile(uploaded_file.read()), save=False
    )
    _save(attachment, actor)
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: Attachment) -> None:
    attachment.file.delete(save=False)
    _delete(attachment, actor)


# --- organizations ------------------------------------------------------------------------


def organization_create(*, actor: Actor, name: str, acronym: str = "") -> Organization:
    """Quick-add a partner or donor; returns the existing one when the name is known."""
    name = " ".join(name.split())
    acronym = acronym.strip()
    if not name:
        raise EventValidationError(
            [Problem("name", "required", "the organization's name is empty")]
        )
    existing = Organization.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            organization = Organization(name=name[:300], acronym=acronym[:40], group="other")
            _save(organization, actor)
    except IntegrityError:
        return Organization.objects.get(name__iexact=name)
    return organization


def organization_lookup() -> dict[str, Organization]:
    """Every organization by case-folded name and acronym (names win over acronyms)."""
    index: dict[str, Organization] = {}
    organizations = list(Organization.objects.all())
    for organization in organizations:
        if organization.acronym:
            index.setdefault(organization.acronym.casefold(), organization)
    for organization in organizations:
        index[organization.name.casefold()] = organization
    return index


# --- spreadsheet import -------------------------------------------------------------------

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
    result = ImportResult(
        errors=list(parse_errors), rows_total=len(rows) + len({e.row for e in parse_errors})
    )
    targets = {t.code: t for t in Target.objects.filter(plan=plan).only("id", "code", "plan_id")}
    targets_folded = {code.casefold(): t for code, t in targets.items()}
    states = dict(MemberState.objects.values_list("code", "pk"))
    organizations = organization_lookup()

    resolved: list[_Resolved] = []
    seen_keys: dict[str, int] = {}
    user = _user(actor)
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
    user = _user(actor)
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


def _raw_insert(model: Any, fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT many rows of plain values (ints, prepared dates) with one executemany."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


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


def _update_from_import(
    *, event: Event, item: _Resolved, current: _Relations, actor: Actor
) -> bool:
    """Bring an event imported before up to date with its row; True when something changed."""
    values = _event_values(item.row, item.event.host_state_id)
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    contributions = current.contributions
    beneficiaries = current.beneficiaries
    partners = current.partners
    same_relations = (
        contributions == dict(item.contributions)
        and beneficiaries == set(item.beneficiaries)
        and partners == set(item.partners)
    )
    if not changed and same_relations:
        return False
    for name in changed:
        setattr(event, name, values[name])
    if changed:
        _save(event, actor)
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
        event.beneficiaries.set(item.beneficiaries)
    if partners != set(item.partners):
        event.partners.set(item.partners)
    return True


def events_delete_matching(*, actor: Actor, query: Q) -> int:
    """Delete the events matching ``query`` (used by ``cicte demo --reset``)."""
    deleted = 0
    with transaction.atomic():
        for event in Event.objects.filter(query):
            event_delete(actor=actor, event=event)
            deleted += 1
    return deleted
