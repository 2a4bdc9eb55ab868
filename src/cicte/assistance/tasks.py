"""Background jobs of the assistance app (run by ``cicte worker``)."""

from __future__ import annotations

from django.utils.translation import get_language, override

from cicte.assistance.models import NotificationStatus
from cicte.assistance.notifications import notify_transition
from cicte.assistance.reminders import MailUnavailable, build_reminders, reminders_send
from cicte.ops.jobs import JobContext, JobError, job


@job(max_attempts=2)
def notify(ctx: JobContext, *, transition_id: int, language: str = "en") -> None:
    """E-mail the requester about a step; the outcome is kept as a RequestNotification."""
    with override(language), ctx.side_effects():
        note = notify_transition(transition_id=transition_id)
    if note is None:
        ctx.result(message="No recipient.")
    elif note.status == NotificationStatus.FAILED:
        ctx.result(message=f"Not sent: {note.error}")
    else:
        ctx.result(message=f"Sent to {note.recipients}")


def notify_transition_enqueue(*, transition_id: int) -> None:
    """E-mail from the background worker, not from the request (see cicte.ops)."""
    notify.enqueue(
        label=f"E-mail about request step {transition_id}",
        transition_id=transition_id,
        language=get_language() or "en",
    )


@job(max_attempts=3, retry_on=(JobError,), backoff=(600, 1800))
def send_reminders(ctx: JobContext, *, days: int = 14) -> None:
    """`cicte remind`, as the scheduler runs it every day."""
    ctx.progress(10, "Collecting reminders")
    plan = build_reminders(days=days)
    if not plan.digests:
        ctx.result(message="Nothing to remind.")
        return
    try:
        with ctx.side_effects():
            logs = reminders_send(plan=plan)
    except MailUnavailable as exc:
        raise JobError(f"Mail unavailable, reminders not sent: {exc}") from exc
    ctx.result(message=f"Sent {len(logs)} reminder e-mails.")
