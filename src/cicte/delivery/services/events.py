"""Writes of events: record, update, duplicate, status, delete (and their validation).

Every function is keyword-only, checks the actor (:mod:`cicte.delivery.permissions`), runs in
one transaction and leaves audit records (:mod:`cicte.core.audit`). Web views, the API and the
CLI commands all call these functions, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import ApplicationError, require
from cicte.core.types import Actor, actor_user
from cicte.core.versioning import check_version
from cicte.delivery import guards, permissions
from cicte.delivery.models import (
    CountryParticipation,
    Event,
    EventKind,
    EventStatus,
    EventTarget,
    Modality,
)
from cicte.delivery.rules import Problem, event_problems
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Target, WorkPlan


class EventValidationError(ApplicationError):
    """One or more problems with an event's values; each names its field (``details`` holds
    one ``{field, code, message}`` per problem)."""

    default_code = "validation_error"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            "validation_error",
            "; ".join(p.message for p in self.problems),
            field=self.problems[0].field if self.problems else None,
            details=[
                {"field": p.field, "code": p.code, "message": p.message} for p in self.problems
            ],
        )

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


def _save(obj: Any, actor: Actor, **kwargs: Any) -> None:
    audit.save(obj, actor=actor, **kwargs)


def _delete(obj: Any, actor: Actor, reason: str | None = None) -> None:
    audit.delete(obj, actor=actor, reason=reason)


def _require_targets(actor: Actor, targets: Sequence[tuple[Target, int]]) -> None:
    require(
        permissions.can_count_toward(actor, [target for target, _units in targets]),
        _("You may only record events toward targets of the programs you manage."),
    )


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
    require(permissions.can_record_events(actor), _("You may not record events."))
    _require_targets(actor, targets)
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
    guards.check_events(
        [
            guards.footprint(
                plan_id=plan.pk,
                program_ids=guards.target_programs(t for t, _units in targets),
                end_date=end_date,
            )
        ]
    )
    event = Event(plan=plan, created_by=actor_user(actor), import_key=import_key, **values)
    _save(event, actor)
    _set_targets(event=event, targets=targets, actor=actor)
    if state_ids:
        audit.set_related(event, "beneficiaries", state_ids, actor=actor)
    partner_list = list(partners)
    if partner_list:
        audit.set_related(event, "partners", partner_list, actor=actor)
    if country_participation:
        _set_countries(event=event, rows=country_participation, actor=actor)
    return event


@transaction.atomic
def event_update(
    *, actor: Actor, event: Event, version: int | None = None, **changes: Any
) -> Event:
    """Change some of an event's values (same names as ``event_record``). ``version`` is the
    token the caller read (:mod:`cicte.core.versioning`): a stale one is refused."""
    unknown = set(changes) - _EVENT_FIELDS - _RELATION_FIELDS
    if unknown:
        raise TypeError(f"event_update() got unexpected field(s): {', '.join(sorted(unknown))}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(permissions.can_edit_event(actor, event), _("You may not edit this event."))
    check_version(event, version)
    if changes.get("targets") is not None:
        _require_targets(actor, list(changes["targets"]))
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
    # The event as it is and as it would be: neither may sit in a locked period.
    guards.check_events(
        [
            *guards.footprints_of([event]),
            guards.footprint(
                plan_id=event.plan_id,
                program_ids=guards.target_programs(t for t, _units in targets_for_check),
                end_date=values["end_date"],
                event_id=event.pk,
            ),
        ]
    )
    for name in changed:
        setattr(event, name, values[name])
    if changed:
        _save(event, actor)
    if targets is not None:
        _set_targets(event=event, targets=targets, actor=actor)
    if state_ids is not None and set(state_ids) != set(
        event.beneficiaries.values_list("pk", flat=True)
    ):
        audit.set_related(event, "beneficiaries", state_ids, actor=actor)
    if "partners" in changes:
        partner_ids = [p.pk for p in changes["partners"]]
        if set(partner_ids) != set(event.partners.values_list("pk", flat=True)):
            audit.set_related(event, "partners", partner_ids, actor=actor)
    if "country_participation" in changes:
        _set_countries(event=event, rows=changes["country_participation"], actor=actor)
    return event


@transaction.atomic
def event_duplicate(*, actor: Actor, event: Event) -> Event:
    """A planned copy of an event (same targets, states and partners; no attachments)."""
    require(
        permissions.can_edit_event(actor, event) and permissions.can_record_events(actor),
        _("You may not copy this event."),
    )
    guards.check_saved(event)  # the copy would sit where the event sits
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy.import_key = None
    copy.status = EventStatus.PLANNED
    copy.created_by = actor_user(actor)
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
    audit.set_related(copy, "beneficiaries", event.beneficiaries.all(), actor=actor)
    audit.set_related(copy, "partners", event.partners.all(), actor=actor)
    return copy


@transaction.atomic
def event_set_status(
    *, actor: Actor, event: Event, status: str, version: int | None = None
) -> Event:
    if status not in EventStatus.values:
        raise EventValidationError(
            [Problem("status", "invalid_choice", f"unknown status {status!r}")]
        )
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(permissions.can_edit_event(actor, event), _("You may not edit this event."))
    check_version(event, version)
    if event.status != status:
        guards.check_saved(event)
        event.status = status
        _save(event, actor)
    return event


@transaction.atomic
def event_delete(*, actor: Actor, event: Event) -> None:
    """Delete an event with its targets, participation, participants and attachments, each
    with its own audit record (so that restoring the event brings them all back). Attachment
    files are kept while history refers to them (``cicte purge-files`` removes them after the
    history is purged)."""
    require(permissions.can_edit_event(actor, event), _("You may not delete this event."))
    guards.check_saved(event)
    reason = audit.deleted_with(event)
    for related in (
        *event.contributions.all(),
        *event.country_participation.all(),
        *event.participants.all(),
        *event.attachments.all(),
    ):
        _delete(related, actor, reason)
    _delete(event, actor)
