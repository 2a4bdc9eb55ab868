"""The only writes of the assistance app: submit a request and move it through the workflow."""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.access import permissions as roles
from cicte.assistance import tasks
from cicte.assistance.models import (
    AssistanceRequest,
    RequestStatus,
    RequestTransition,
)
from cicte.assistance.notifications import status_label
from cicte.assistance.workflow import Role, allowed_roles, next_statuses
from cicte.core import audit
from cicte.core.errors import ApplicationError, NotAllowed
from cicte.core.versioning import check_version
from cicte.delivery.models import Event, EventStatus
from cicte.directory.models import MemberState
from cicte.plan.models import Program, Project, Target, WorkArea


class AssistanceErrorCode(enum.StrEnum):
    WRONG_COUNTRY = "wrong_country"
    INVALID_TRANSITION = "invalid_transition"
    FORBIDDEN = "forbidden"
    LINK_REQUIRED = "link_required"
    REASON_REQUIRED = "reason_required"
    EVENTS_REQUIRED = "events_required"
    EVENTS_NOT_HELD = "events_not_held"
    INVALID = "invalid"


logger = logging.getLogger(__name__)


def actor_roles(*, actor: Any, request: AssistanceRequest) -> set[Role]:
    found: set[Role] = set()
    if roles.is_secretariat(actor):
        found.add(Role.SECRETARIAT)
    if request.member_state_id in roles.user_member_state_ids(actor):
        found.add(Role.REQUESTER)
    return found


def request_submit(
    *,
    actor: Any,
    member_state: MemberState,
    title: str,
    needs: str,
    contact_name: str,
    contact_email: str,
    program: Program | None = None,
    work_area: WorkArea | None = None,
    preferred_start: dt.date | None = None,
    preferred_end: dt.date | None = None,
) -> AssistanceRequest:
    """A point of contact submits for their own country; Secretariat staff for any country."""
    if not roles.is_secretariat(actor) and member_state.pk not in roles.user_member_state_ids(
        actor
    ):
        raise NotAllowed(
            _("You may only submit requests for your own member state."),
            code=AssistanceErrorCode.WRONG_COUNTRY,
        )
    if not (title or "").strip() or not (needs or "").strip():
        raise ApplicationError(
            AssistanceErrorCode.INVALID, _("Say briefly what is needed (subject and details).")
        )
    if preferred_start and preferred_end and preferred_end < preferred_start:
        raise ApplicationError(
            AssistanceErrorCode.INVALID, _("The preferred end date is before the start date.")
        )
    if program is not None and work_area is None:
        work_area = program.work_area
    now = timezone.now()
    with transaction.atomic():
        request = AssistanceRequest(
            member_state=member_state,
            program=program,
            work_area=work_area,
            title=title.strip(),
            needs=needs.strip(),
            preferred_start=preferred_start,
            preferred_end=preferred_end,
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip(),
            submitted_by=actor if getattr(actor, "pk", None) else None,
            submitted_at=now,
            status_changed_at=now,
        )
        try:
            request.full_clean(exclude=["submitted_by"])
        except ValidationError as exc:
            raise ApplicationError(AssistanceErrorCode.INVALID, " ".join(exc.messages)) from None
        audit.save(request, actor=actor)
        step = RequestTransition(
            request=request,
            from_status="",
            to_status=RequestStatus.SUBMITTED,
            actor=request.submitted_by,
            at=now,
        )
        audit.save(step, actor=actor)
        transaction.on_commit(lambda: tasks.notify_transition_enqueue(transition_id=step.pk))
    return request


def request_transition(
    *,
    actor: Any,
    request: AssistanceRequest,
    to_status: str,
    note: str = "",
    project: Project | None = None,
    target: Target | None = None,
    events: Iterable[Event] | None = None,
    decline_reason: str = "",
    version: int | None = None,
) -> AssistanceRequest:
    """Move a request one step along the workflow table, or raise :class:`ApplicationError`.
    ``version`` is the token of the request the actor saw: a stale one is refused.

    Atomic: the row is locked, the step recorded and the e-mail queued for after commit.
    """
    with transaction.atomic():
        locked = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
        check_version(locked, version)
        from_status = locked.status
        allowed = allowed_roles(from_status, to_status)
        if allowed is None:
            raise ApplicationError(
                AssistanceErrorCode.INVALID_TRANSITION,
                _("A request cannot go from “%(from)s” to “%(to)s”.")
                % {"from": status_label(from_status), "to": status_label(to_status)},
                field="to_status",
                details=[
                    {
                        "field": "to_status",
                        "code": AssistanceErrorCode.INVALID_TRANSITION,
                        "from": from_status,
                        "to": to_status,
                        "allowed": next_statuses(from_status),
                    }
                ],
            )
        if not (allowed & actor_roles(actor=actor, request=locked)):
            raise NotAllowed(
                _("You may not move this request to “%(to)s”.") % {"to": status_label(to_status)},
                code=AssistanceErrorCode.FORBIDDEN,
            )
        if to_status == RequestStatus.ACCEPTED:
            if project is None and target is None:
                raise ApplicationError(
                    AssistanceErrorCode.LINK_REQUIRED,
                    _("Link the request to a project or a target to accept it."),
                )
            if target is not None and project is None:
                project = target.project
            if target is not None and project is not None and target.project_id != project.pk:
                raise ApplicationError(
                    AssistanceErrorCode.INVALID, _("The target does not belong to the project.")
                )
            locked.project = project
            locked.target = target
        if to_status == RequestStatus.DECLINED:
            if not decline_reason.strip():
                raise ApplicationError(
                    AssistanceErrorCode.REASON_REQUIRED, _("Give a reason for declining.")
                )
            locked.decline_reason = decline_reason.strip()
        if to_status == RequestStatus.SCHEDULED:
            chosen = list(events or [])
            if not chosen:
                raise ApplicationError(
                    AssistanceErrorCode.EVENTS_REQUIRED,
                    _("Link the planned events that answer the request to schedule it."),
                )
            cancelled = [e for e in chosen if e.status == EventStatus.CANCELLED]
            if cancelled:
                raise ApplicationError(
                    AssistanceErrorCode.INVALID,
                    _("A cancelled event cannot answer a request: %(e)s")
                    % {"e": ", ".join(e.title for e in cancelled)},
                )
            locked.events.set(chosen)
        if to_status == RequestStatus.DELIVERED:
            linked = list(locked.events.all())
            not_held = [e for e in linked if e.status != EventStatus.HELD]
            if not linked or not_held:
                raise ApplicationError(
                    AssistanceErrorCode.EVENTS_NOT_HELD,
                    _("Every linked event must be held before the request is delivered: %(e)s")
                    % {"e": ", ".join(e.title for e in not_held) or "—"},
                )
        now = timezone.now()
        locked.status = to_status
        locked.status_changed_at = now
        audit.save(locked, actor=actor)
        step = RequestTransition(
            request=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor if getattr(actor, "pk", None) else None,
            at=now,
            note=note.strip(),
        )
        audit.save(step, actor=actor)
        transaction.on_commit(lambda: tasks.notify_transition_enqueue(transition_id=step.pk))
    return locked
