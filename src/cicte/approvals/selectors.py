"""Reads of period approvals: the overview of a half-year, a program's completeness before
submission, and what changed since approval (from the audit history)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.approvals.models import ApprovalStep, PeriodApproval, PublicationBasis
from cicte.core.periods import Period, parse_period
from cicte.delivery.models import (
    Attachment,
    CountryParticipation,
    Event,
    EventStatus,
    EventTarget,
    Participant,
)
from cicte.plan.models import Program, Target, WorkPlan
from cicte.reports.models import Narrative


@dataclass
class EventIssue:
    event_id: int
    title: str
    end_date: dt.date
    status: str
    problem: str


@dataclass
class Completeness:
    """What a program's half-year holds, and what is missing before it is submitted."""

    events: int = 0
    held: int = 0
    issues: list[EventIssue] = field(default_factory=list)
    narrative: bool = False

    @property
    def complete(self) -> bool:
        return self.narrative and not self.issues

    @property
    def without_participants(self) -> int:
        return sum(1 for i in self.issues if i.problem == "no_participants")


@dataclass
class ProgramRow:
    program: Program
    approval: PeriodApproval | None
    completeness: Completeness


def _events_in(plan: WorkPlan, period: Period) -> Any:
    return EventTarget.objects.filter(
        event__plan=plan, event__end_date__gte=period.start, event__end_date__lte=period.end
    )


def completeness_by_program(*, plan: WorkPlan, period: Period) -> dict[int, Completeness]:
    """Completeness of every program of ``plan`` in ``period`` (two queries)."""
    result: dict[int, Completeness] = {}
    seen: set[tuple[int, int]] = set()
    rows = _events_in(plan, period).values_list(
        "target__project__program_id",
        "event_id",
        "event__title",
        "event__end_date",
        "event__status",
        "event__participants_total",
    )
    today = timezone.localdate()
    for program_id, event_id, title, end, status, participants in rows.order_by(
        "event__end_date", "event_id"
    ):
        if (program_id, event_id) in seen:
            continue
        seen.add((program_id, event_id))
        item = result.setdefault(program_id, Completeness())
        item.events += 1
        if status == EventStatus.HELD:
            item.held += 1
            if not participants:
                item.issues.append(EventIssue(event_id, title, end, status, "no_participants"))
        elif status in (EventStatus.PLANNED, EventStatus.CONFIRMED) and end < today:
            item.issues.append(EventIssue(event_id, title, end, status, "status_not_updated"))
    for program_id in (
        Narrative.objects.filter(program__plan=plan, period=period.label)
        .exclude(text="")
        .values_list("program_id", flat=True)
    ):
        result.setdefault(program_id, Completeness()).narrative = True
    return result


def completeness(*, program: Program, period: Period) -> Completeness:
    return completeness_by_program(plan=program.plan, period=period).get(program.pk, Completeness())


def overview(*, plan: WorkPlan, period: Period) -> list[ProgramRow]:
    """Every program of ``plan`` with its approval for ``period`` and its completeness."""
    approvals = {
        a.program_id: a
        for a in PeriodApproval.objects.filter(plan=plan, period=period.label).select_related(
            "submitted_by", "approved_by"
        )
    }
    complete = completeness_by_program(plan=plan, period=period)
    return [
        ProgramRow(p, approvals.get(p.pk), complete.get(p.pk, Completeness()))
        for p in Program.objects.filter(plan=plan)
        .select_related("work_area")
        .order_by("position", "id")
    ]


def approval_for(*, program: Program, period: str) -> PeriodApproval | None:
    return (
        PeriodApproval.objects.filter(
            plan_id=program.plan_id, program=program, period=parse_period(period).label
        )
        .select_related("program", "plan", "submitted_by", "approved_by")
        .first()
    )


def steps(approval: PeriodApproval | None) -> list[ApprovalStep]:
    if approval is None:
        return []
    return list(approval.steps.select_related("by"))


def bases(approval: PeriodApproval | None) -> list[PublicationBasis]:
    if approval is None:
        return []
    return list(approval.bases.select_related("report").order_by("-recorded_at"))


# --- changed since approval -----------------------------------------------------------------


@dataclass
class Change:
    when: dt.datetime
    by: str
    what: str  # "Event 12: Workshop on ..." / "Contribution of event 12" / "Narrative"
    event_id: int | None
    action: str  # created, changed, deleted
    field: str
    before: str
    after: str


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _user(record: Any) -> str:
    user = record.history_user
    return user.get_username() if user is not None else _("system")


_SKIP = {"updated_at", "created_at", "import_key"}


def _records(model: Any, condition: Q, since: dt.datetime) -> list[Any]:
    return list(
        model.history.filter(condition, history_date__gt=since)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _record_changes(record: Any, what: str, event_id: int | None) -> list[Change]:
    kind = record.history_type
    base = {"when": record.history_date, "by": _user(record), "what": what, "event_id": event_id}
    if kind == "+":
        return [Change(**base, action="created", field="", before="", after=_text(record))]
    if kind == "-":
        return [Change(**base, action="deleted", field="", before=_text(record), after="")]
    previous = record.prev_record
    if previous is None:
        return []
    return [
        Change(
            **base,
            action="changed",
            field=change.field,
            before=_text(change.old),
            after=_text(change.new),
        )
        for change in record.diff_against(previous).changes
        if change.field not in _SKIP
    ]


def scope_event_ids(approval: PeriodApproval) -> set[int]:
    """Events that belong, or belonged at some point, to the approval's program and
    half-year (a moved or deleted event is still listed)."""
    period = parse_period(approval.period)
    program_targets = Target.objects.filter(project__program_id=approval.program_id).values("pk")
    counted = set(
        EventTarget.history.filter(target_id__in=program_targets).values_list("event_id", flat=True)
    )
    if not counted:
        return set()
    return set(
        Event.history.filter(
            id__in=counted,
            plan_id=approval.plan_id,
            end_date__gte=period.start,
            end_date__lte=period.end,
        ).values_list("id", flat=True)
    )


def changes_since_approval(approval: PeriodApproval) -> list[Change]:
    """Every field of the approval's events (and their targets, participation, participants,
    attachments) and of its narrative changed after the latest approval, oldest first."""
    since = approval.approved_at
    if since is None:
        return []
    ids = scope_event_ids(approval)
    changes: list[Change] = []
    titles = dict(Event.history.filter(id__in=ids).values_list("id", "title"))
    for record in _records(Event, Q(id__in=ids), since):
        changes += _record_changes(
            record,
            _("Event %(id)s: %(title)s") % {"id": record.id, "title": record.title},
            record.id,
        )
    related = (
        (EventTarget, _("Counts toward a target")),
        (CountryParticipation, _("Participation by member state")),
        (Participant, _("Participant")),
        (Attachment, _("Attachment")),
    )
    for model, label in related:
        for record in _records(model, Q(event_id__in=ids), since):
            what = _("%(what)s of event %(id)s: %(title)s") % {
                "what": label,
                "id": record.event_id,
                "title": titles.get(record.event_id, ""),
            }
            changes += _record_changes(record, what, record.event_id)
    narrative = Q(program_id=approval.program_id, period=approval.period)
    for record in _records(Narrative, narrative, since):
        changes += _record_changes(record, _("Narrative"), None)
    changes.sort(key=lambda c: (c.when, c.what))
    return changes
