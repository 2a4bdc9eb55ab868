"""The django-tasks tasks of the system, and the generic job functions (e-mail, reminders,
housekeeping). Domain jobs live with their app (``cicte.reports.tasks``)."""

from __future__ import annotations

import datetime as dt
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import TaskContext, task

from cicte.ops.jobs import JobContext, JobError, job, job_run, jobs_recover


@task(takes_context=True)
def run_job(context: TaskContext, job_id: str, attempt: int) -> str:
    """The one task on the queue: run an attempt of a :class:`~cicte.ops.models.Job`."""
    worker_ids = context.task_result.worker_ids
    return job_run(job_id=job_id, attempt=attempt, worker_id=worker_ids[-1] if worker_ids else "")


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


@job(max_attempts=3, retry_on=(JobError,), backoff=(600, 1800))
def send_reminders(ctx: JobContext, *, days: int = 14) -> None:
    """`cicte remind`, as the scheduler runs it every day."""
    from cicte.assistance.reminders import MailUnavailable, build_reminders, reminders_send

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
