"""``cicte remind``: who should be reminded of what (selector) and sending it (service).

Recipients: every program manager gets the items of their programs; items with no program,
or whose program has no manager, go to Secretariat staff (administrators and secretariat).
Items: events past their end date still not marked held; requests waiting more than N days
in a status; the items of the apps that register a reminder source (evaluations: the
recommendations past due, see :func:`register_reminders`); the coming semi-annual report
deadline (end of June / December) with what is missing for the period (held events without
participants, programs without a narrative — skipped when the reports app has no Narrative
model).

Another app adds items from its ``AppConfig.ready()``, the same way report sections are
added (assistance never imports the apps above it)::

    from cicte.assistance.reminders import ReminderItem, register_reminders

    @register_reminders("recommendations", order=30)
    def recommendations(*, today: dt.date) -> list[ReminderItem]: ...
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.access import permissions as roles
from cicte.assistance.models import ReminderLog
from cicte.assistance.selectors import requests_waiting
from cicte.core.periods import Period, half_year_of
from cicte.delivery.models import Event, EventStatus, EventTarget
from cicte.plan.models import Program, WorkPlan

DEADLINE_WINDOW_DAYS = 45


@dataclass(frozen=True)
class ReminderItem:
    """One line of a digest: sent to the managers of ``program_ids`` (to Secretariat staff
    when none), under ``heading``."""

    program_ids: frozenset[int]
    heading: str
    line: str


class ReminderSource(Protocol):
    def __call__(self, *, today: dt.date) -> Iterable[ReminderItem]: ...


@dataclass(frozen=True)
class ReminderSourceSpec:
    key: str
    order: int
    collect: ReminderSource


_SOURCES: dict[str, ReminderSourceSpec] = {}


def register_reminders(key: str, *, order: int) -> Callable[[ReminderSource], ReminderSource]:
    """Register a source of reminder items under ``key`` (re-registering replaces it).

    Registered sources run in ``order`` after the built-in overdue events (10) and waiting
    requests (20), before the report deadline (90).
    """

    def decorator(collect: ReminderSource) -> ReminderSource:
        _SOURCES[key] = ReminderSourceSpec(key=key, order=order, collect=collect)
        return collect

    return decorator


def registered_reminder_sources() -> list[ReminderSourceSpec]:
    return sorted(_SOURCES.values(), key=lambda spec: (spec.order, spec.key))


def event_programs(event_ids: list[int]) -> dict[int, set[int]]:
    """Programs of each event (through the targets it counts toward), in one query."""
    result: dict[int, set[int]] = defaultdict(set)
    for event_id, program_id in EventTarget.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "target__project__program_id"
    ):
        result[event_id].add(program_id)
    return result


@dataclass
class Digest:
    user: Any
    email: str
    lines: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.lines.values())

    def body(self) -> str:
        parts = []
        for heading, items in self.lines.items():
            if items:
                parts.append(heading + "\n" + "\n".join(f"  - {item}" for item in items))
        return "\n\n".join(parts)


@dataclass
class ReminderPlan:
    digests: list[Digest]
    notes: list[str]  # things the operator should know (e.g. a check skipped)
    period: Period
    deadline_days: int


def _narrative_model() -> Any | None:
    try:
        module = importlib.import_module("cicte.reports.models")
    except ImportError:
        return None
    return getattr(module, "Narrative", None)


def _recipients() -> tuple[dict[int, list[Any]], list[Any]]:
    """Program id → its managers; and the Secretariat fallback list."""
    users = list(
        get_user_model().objects.filter(is_active=True).exclude(email="").order_by("username")
    )
    managers: dict[int, list[Any]] = defaultdict(list)
    fallback = []
    for user in users:
        program_ids = roles.user_program_ids(user)
        for program_id in program_ids:
            managers[program_id].append(user)
        if not program_ids and roles.can_edit_program(user, None):
            fallback.append(user)
    return managers, fallback


def build_reminders(*, days: int = 14, today: dt.date | None = None) -> ReminderPlan:
    """Everything to remind, grouped per recipient. Reads only."""
    today = today or timezone.localdate()
    managers, fallback = _recipients()
    digests: dict[int, Digest] = {}
    notes: list[str] = []

    def add(program_ids: set[int], heading: str, line: str) -> None:
        targets = [u for pid in program_ids for u in managers.get(pid, [])]
        if not targets:
            targets = fallback
        seen = set()
        for user in targets:
            if user.pk in seen:
                continue
            seen.add(user.pk)
            digest = digests.setdefault(user.pk, Digest(user=user, email=user.email))
            digest.lines[heading].append(line)

    overdue = list(
        Event.objects.filter(
            end_date__lt=today, status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED]
        ).order_by("end_date")
    )
    programs_of = event_programs([e.pk for e in overdue])
    for event in overdue:
        add(
            programs_of.get(event.pk, set()),
            _("Events past their end date not marked held"),
            _("%(title)s (ended %(end)s, %(status)s)")
            % {"title": event.title, "end": event.end_date, "status": event.get_status_display()},
        )

    for waiting in requests_waiting(days=days, today=today):
        request = waiting.request
        add(
            {request.program_id} if request.program_id else set(),
            _("Requests for assistance waiting more than %(days)s days") % {"days": days},
            _("#%(id)s %(title)s (%(state)s): %(status)s for %(n)s days")
            % {
                "id": request.pk,
                "title": request.title,
                "state": request.member_state.code,
                "status": request.get_status_display(),
                "n": waiting.days_waiting,
            },
        )

    for spec in registered_reminder_sources():
        for item in spec.collect(today=today):
            add(set(item.program_ids), item.heading, item.line)

    period = half_year_of(today)
    deadline_days = (period.end - today).days
    if deadline_days <= DEADLINE_WINDOW_DAYS:
        heading = _("Semi-annual report %(period)s: due %(date)s (in %(n)s days)") % {
            "period": period.label,
            "date": period.end,
            "n": deadline_days,
        }
        held = Event.objects.filter(
            status=EventStatus.HELD,
            end_date__gte=period.start,
            end_date__lte=period.end,
            participants_total=0,
        ).filter(~Q(country_participation__isnull=False))
        held_list = list(held.distinct())
        programs_of_held = event_programs([e.pk for e in held_list])
        for event in held_list:
            add(
                programs_of_held.get(event.pk, set()),
                heading,
                _("Held event without participants: %(title)s (%(end)s)")
                % {"title": event.title, "end": event.end_date},
            )
        narrative = _narrative_model()
        plans = WorkPlan.objects.filter(year=period.year)
        if narrative is None:
            notes.append(
                _(
                    "Narratives: cicte.reports.models.Narrative is not available; "
                    "the 'programs without a narrative' check was skipped."
                )
            )
        else:
            written = set(
                narrative.objects.filter(period=period.label)
                .exclude(text="")
                .values_list("program_id", flat=True)
            )
            for program in Program.objects.filter(plan__in=plans).order_by("plan", "position"):
                if program.pk not in written:
                    add(
                        {program.pk},
                        heading,
                        _("No narrative yet for program %(code)s") % {"code": program.code},
                    )
    return ReminderPlan(
        digests=[d for d in digests.values() if d.count],
        notes=notes,
        period=period,
        deadline_days=deadline_days,
    )


class MailUnavailable(RuntimeError):
    pass


def reminders_send(*, plan: ReminderPlan) -> list[ReminderLog]:
    """Send one e-mail per recipient; a ReminderLog is written only for mail actually sent.
    Raises MailUnavailable when the mail server cannot be reached (nothing logged)."""
    if not plan.digests:
        return []
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as exc:
        raise MailUnavailable(f"{type(exc).__name__}: {exc}") from exc
    logs = []
    try:
        for digest in plan.digests:
            message = EmailMessage(
                subject=_("CICTE Work Plan: %(n)s reminders") % {"n": digest.count},
                body=digest.body(),
                to=[digest.email],
                connection=connection,
            )
            try:
                message.send(fail_silently=False)
            except Exception as exc:
                raise MailUnavailable(f"{type(exc).__name__}: {exc}") from exc
            logs.append(
                ReminderLog.objects.create(
                    recipient=digest.user,
                    email=digest.email,
                    items=digest.count,
                    summary=digest.body()[:4000],
                )
            )
    finally:
        connection.close()
    return logs
