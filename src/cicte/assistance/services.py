"""The only writes of the assistance app: submit a request and move it through the workflow."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cicte.assistance import roles
from cicte.assistance.errors import AssistanceError, AssistanceErrorCode
from cicte.assistance.models import (
    AssistanceRequest,
    NotificationStatus,
    RequestNotification,
    RequestStatus,
    RequestTransition,
)
from cicte.assistance.workflow import Role, allowed_roles
from cicte.delivery.models import Event, EventStatus
from cicte.directory.models import MemberState
from cicte.plan.models import Program, Project, Target, WorkArea

logger = logging.getLogger(__name__)


def actor_roles(*, actor: Any, request: AssistanceRequest) -> set[Role]:
    found: set[Role] = set()
    if roles.is_secretariat(actor):
        found.add(Role.SECRETARIAT)
    state = roles.user_member_state(actor)
    if state is not None and state.pk == request.member_state_id:
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
    if not roles.is_secretariat(actor):
        own = roles.user_member_state(actor)
        if own is None or own.pk != member_state.pk:
            raise AssistanceError(
                AssistanceErrorCode.WRONG_COUNTRY,
                _("You may only submit requests for your own member state."),
            )
    if not (title or "").strip() or not (needs or "").strip():
        raise AssistanceError(
            AssistanceErrorCode.INVALID, _("Say briefly what is needed (subject and details).")
        )
    if preferred_start and preferred_end and preferred_end < preferred_start:
        raise AssistanceError(
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
            raise AssistanceError(AssistanceErrorCode.INVALID, " ".join(exc.messages)) from None
        request._history_user = actor  # type: ignore[attr-defined]
        request.save()
        step = RequestTransition(
            request=request,
            from_status="",
            to_status=RequestStatus.SUBMITTED,
            actor=request.submitted_by,
            at=now,
        )
        step._history_user = actor  # type: ignore[attr-defined]
        step.save()
        transaction.on_commit(lambda: notify_transition_enqueue(transition_id=step.pk))
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
) -> AssistanceRequest:
    """Move a request one step along the workflow table, or raise :class:`AssistanceError`.

    Atomic: the row is locked, the step recorded and the e-mail queued for after commit.
    """
    with transaction.atomic():
        locked = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
        from_status = locked.status
        allowed = allowed_roles(from_status, to_status)
        if allowed is None:
            raise AssistanceError(
                AssistanceErrorCode.INVALID_TRANSITION,
                _("A request cannot go from “%(from)s” to “%(to)s”.")
                % {"from": _label(from_status), "to": _label(to_status)},
            )
        if not (allowed & actor_roles(actor=actor, request=locked)):
            raise AssistanceError(
                AssistanceErrorCode.FORBIDDEN,
                _("You may not move this request to “%(to)s”.") % {"to": _label(to_status)},
            )
        if to_status == RequestStatus.ACCEPTED:
            if project is None and target is None:
                raise AssistanceError(
                    AssistanceErrorCode.LINK_REQUIRED,
                    _("Link the request to a project or a target to accept it."),
                )
            if target is not None and project is None:
                project = target.project
            if target is not None and project is not None and target.project_id != project.pk:
                raise AssistanceError(
                    AssistanceErrorCode.INVALID, _("The target does not belong to the project.")
                )
            locked.project = project
            locked.target = target
        if to_status == RequestStatus.DECLINED:
            if not decline_reason.strip():
                raise AssistanceError(
                    AssistanceErrorCode.REASON_REQUIRED, _("Give a reason for declining.")
                )
            locked.decline_reason = decline_reason.strip()
        if to_status == RequestStatus.SCHEDULED:
            chosen = list(events or [])
            if not chosen:
                raise AssistanceError(
                    AssistanceErrorCode.EVENTS_REQUIRED,
                    _("Link the planned events that answer the request to schedule it."),
                )
            cancelled = [e for e in chosen if e.status == EventStatus.CANCELLED]
            if cancelled:
                raise AssistanceError(
                    AssistanceErrorCode.INVALID,
                    _("A cancelled event cannot answer a request: %(e)s")
                    % {"e": ", ".join(e.title for e in cancelled)},
                )
            locked.events.set(chosen)
        if to_status == RequestStatus.DELIVERED:
            linked = list(locked.events.all())
            not_held = [e for e in linked if e.status != EventStatus.HELD]
            if not linked or not_held:
                raise AssistanceError(
                    AssistanceErrorCode.EVENTS_NOT_HELD,
                    _("Every linked event must be held before the request is delivered: %(e)s")
                    % {"e": ", ".join(e.title for e in not_held) or "—"},
                )
        now = timezone.now()
        locked.status = to_status
        locked.status_changed_at = now
        locked._history_user = actor  # type: ignore[attr-defined]
        locked.save()
        step = RequestTransition(
            request=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor if getattr(actor, "pk", None) else None,
            at=now,
            note=note.strip(),
        )
        step._history_user = actor  # type: ignore[attr-defined]
        step.save()
        transaction.on_commit(lambda: notify_transition_enqueue(transition_id=step.pk))
    return locked


def _label(status: str) -> str:
    try:
        return str(RequestStatus(status).label)
    except ValueError:
        return status


def _recipients(request: AssistanceRequest) -> list[str]:
    found: list[str] = []
    extra = getattr(settings, "CICTE_ASSISTANCE_NOTIFY", "")
    candidates = [request.contact_email]
    if request.submitted_by is not None:
        candidates.append(request.submitted_by.email)
    candidates.extend(part.strip() for part in str(extra).split(","))
    for address in candidates:
        if address and address not in found:
            found.append(address)
    return found


def notify_transition_enqueue(*, transition_id: int) -> None:
    """E-mail from the background worker, not from the request (see cicte.ops)."""
    from cicte.assistance.tasks import notify

    notify.enqueue(
        label=f"E-mail about request step {transition_id}",
        transition_id=transition_id,
        language=get_language() or "en",
    )


def notify_transition(*, transition_id: int) -> RequestNotification | None:
    """E-mail the requester after a step. A failure is logged and recorded, never raised:
    the step itself is already committed."""
    step = RequestTransition.objects.select_related(
        "request", "request__submitted_by", "request__member_state"
    ).get(pk=transition_id)
    request = step.request
    recipients = _recipients(request)
    if not recipients:
        return None
    subject = _("Request #%(id)s for assistance: %(status)s") % {
        "id": request.pk,
        "status": _label(step.to_status),
    }
    lines = [
        _("Your request “%(title)s” (%(state)s) is now: %(status)s.")
        % {
            "title": request.title,
            "state": request.member_state.name,
            "status": _label(step.to_status),
        },
    ]
    if step.note:
        lines.append(_("Note: %(note)s") % {"note": step.note})
    if step.to_status == RequestStatus.DECLINED and request.decline_reason:
        lines.append(_("Reason: %(reason)s") % {"reason": request.decline_reason})
    try:
        send_mail(subject, "\n\n".join(lines), None, recipients, fail_silently=False)
    except Exception as exc:  # any backend error: SMTP, socket, configuration
        logger.exception("Could not send the notification for request transition %s", step.pk)
        return RequestNotification.objects.create(
            transition=step,
            recipients=", ".join(recipients),
            status=NotificationStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
    return RequestNotification.objects.create(
        transition=step, recipients=", ".join(recipients), status=NotificationStatus.SENT
    )
