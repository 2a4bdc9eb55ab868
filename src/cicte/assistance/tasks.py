"""Background jobs of the assistance app (run by ``cicte worker``)."""

from __future__ import annotations

from django.utils.translation import override

from cicte.ops.jobs import JobContext, job


@job(max_attempts=2)
def notify(ctx: JobContext, *, transition_id: int, language: str = "en") -> None:
    """E-mail the requester about a step; the outcome is kept as a RequestNotification."""
    from cicte.assistance.models import NotificationStatus
    from cicte.assistance.services import notify_transition

    with override(language), ctx.side_effects():
        note = notify_transition(transition_id=transition_id)
    if note is None:
        ctx.result(message="No recipient.")
    elif note.status == NotificationStatus.FAILED:
        ctx.result(message=f"Not sent: {note.error}")
    else:
        ctx.result(message=f"Sent to {note.recipients}")
