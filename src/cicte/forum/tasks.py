"""Background jobs of the forum (run by ``cicte worker``; the scheduler enqueues the digests,
see :mod:`cicte.forum.apps`)."""

from __future__ import annotations

from cicte.forum.models import Frequency
from cicte.forum.notifications import send_digests
from cicte.ops.jobs import JobContext, job


@job(max_attempts=2)
def send_daily_digest(ctx: JobContext) -> None:
    """`cicte forum-digest daily`, as the scheduler runs it every day."""
    with ctx.side_effects():
        sent = send_digests(Frequency.DAILY)
    ctx.result(message=f"Sent {sent} daily digest(s).")


@job(max_attempts=2)
def send_weekly_digest(ctx: JobContext) -> None:
    """`cicte forum-digest weekly`, as the scheduler runs it every week."""
    with ctx.side_effects():
        sent = send_digests(Frequency.WEEKLY)
    ctx.result(message=f"Sent {sent} weekly digest(s).")
