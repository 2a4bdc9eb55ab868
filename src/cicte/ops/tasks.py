"""The generic job functions (e-mail, housekeeping). Domain jobs live with their app
(``cicte.reports.tasks``, ``cicte.assistance.tasks``); the queue's one task, ``run_job``, is in
:mod:`cicte.ops.jobs`."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from cicte.ops.jobs import JobContext, job, jobs_recover

MAIL_ERRORS = (smtplib.SMTPException, OSError)


@job(max_attempts=4, retry_on=MAIL_ERRORS, backoff=(60, 300, 1800))
def send_email(
    ctx: JobContext,
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
) -> None:
    """One e-mail, with retries (connection refused, timeouts: ``EMAIL_TIMEOUT``)."""
    message = EmailMessage(
        subject=subject, body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL, to=to
    )
    with ctx.side_effects():
        message.send(fail_silently=False)
    ctx.result(message=f"Sent to {', '.join(to)}")


def mail_enqueue(*, subject: str, body: str, to: list[str], actor: Any = None) -> None:
    """Send an e-mail from the worker (with retries), not from the request."""
    send_email.enqueue(
        label=f"E-mail: {subject}"[:300], actor=actor, subject=subject, body=body, to=to
    )


@job(max_attempts=1)
def prune_jobs(ctx: JobContext, *, days: int = 90) -> None:
    """Delete finished jobs (and the queue's finished task records) older than ``days``."""
    from django_tasks_db.models import DBTaskResult

    from cicte.ops.models import Job, JobStatus

    cutoff = timezone.now() - dt.timedelta(days=days)
    old = Job.objects.filter(
        status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED], finished_at__lt=cutoff
    ).exclude(pk=ctx.job.pk)
    for record in old.exclude(result_file=""):
        record.result_file.delete(save=False)
    jobs, _ = old.delete()
    results, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cutoff
    ).delete()
    ctx.result(message=f"Deleted {jobs} jobs and {results} task records.")


@job(max_attempts=1)
def recover_orphans(ctx: JobContext) -> None:
    recovered = jobs_recover()
    ctx.result(message=f"{len(recovered)} orphaned jobs handled.")
