"""E-mail to the requester after a step of a request for assistance (sent by the worker:
:mod:`cicte.assistance.tasks`). A failure is recorded as a notification, never raised."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from cicte.assistance.models import (
    AssistanceRequest,
    NotificationStatus,
    RequestNotification,
    RequestStatus,
    RequestTransition,
)

logger = logging.getLogger("cicte.assistance")


def status_label(status: str) -> str:
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
        "status": status_label(step.to_status),
    }
    lines = [
        _("Your request “%(title)s” (%(state)s) is now: %(status)s.")
        % {
            "title": request.title,
            "state": request.member_state.name,
            "status": status_label(step.to_status),
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
