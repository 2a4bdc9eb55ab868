"""Background jobs of the exercises app (run by ``cicte worker``; scheduled every minute
from ``ExercisesConfig.ready``)."""

from __future__ import annotations

from cicte.exercises.services import release_due
from cicte.ops.jobs import JobContext, job


@job(max_attempts=1)
def release_due_injects(ctx: JobContext) -> None:
    """Release the injects that are due in the running exercises. Idempotent: an inject is
    released by a conditional update, so a second run (or two schedulers) releases nothing
    twice; the e-mail of a released inject is queued after the commit."""
    released = release_due()
    ctx.result(message=f"{len(released)} injects released.")
