"""Background jobs on the Django tasks API.

A *job function* is a plain function decorated with :func:`job`; it receives a
:class:`JobContext` (progress, result, the side-effect marker) and keyword arguments that are
JSON values. ``my_function.enqueue(actor=..., label=..., **kwargs)`` writes a :class:`Job` row
and puts one django-tasks task (``run_job``) on the queue; ``cicte worker`` runs it (or, with
``CICTE_TASKS=immediate``, the caller runs it at once).

Safety rules, enforced here rather than in each job:

* an attempt runs only after it *claims* the job row (a conditional UPDATE on status and
  attempt number): a duplicate or stale delivery of the same attempt does nothing;
* an exception listed in ``retry_on`` is retried with a back-off until ``max_attempts``;
  any other exception fails the job at once with a one-line error for the user;
* a job whose worker died (no heartbeat) is re-queued by :func:`jobs_recover`, unless it
  had started an effect that must not happen twice (``ctx.side_effects()``): then it is
  marked failed, with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, task

from cicte.ops.models import Job, JobStatus, WorkerHeartbeat
from cicte.ops.signals import job_progress

logger = logging.getLogger("cicte.ops.jobs")

JobFunc = Callable[..., Any]


class JobError(Exception):
    """Raised by a job function with a message meant for the person who started it."""


@dataclass
class JobContext:
    job: Job
    attempt: int

    def progress(self, percent: int, message: str = "") -> None:
        """Record progress (0-100) and a short step description; also a heartbeat."""
        percent = max(0, min(100, int(percent)))
        Job.objects.filter(pk=self.job.pk).update(
            progress=percent, progress_message=message[:200], heartbeat_at=timezone.now()
        )
        self.job.progress, self.job.progress_message = percent, message[:200]
        job_progress.send(sender=self.job.name, job=self.job, percent=percent, message=message)

    def result(self, *, message: str = "", url: str = "") -> None:
        self.job.result_message = message[:500]
        self.job.result_url = url[:500]

    def result_file(self, name: str, content: bytes | IO[bytes]) -> None:
        """Attach a file the user can download from the job's page (bytes, or an open binary
        file such as a spooled export, copied in chunks)."""
        data = ContentFile(content) if isinstance(content, bytes) else File(content)
        self.job.result_file.save(name, data, save=False)

    @contextmanager
    def side_effects(self) -> Iterator[None]:
        """Mark the start of an effect outside the database that must not be repeated (an
        e-mail handed to the mail server). If the worker dies inside, the job is failed,
        not re-run; if the block raises, the mark is cleared (nothing was delivered)."""
        Job.objects.filter(pk=self.job.pk).update(side_effects_started=True)
        try:
            yield
        except BaseException:
            Job.objects.filter(pk=self.job.pk).update(side_effects_started=False)
            raise


@dataclass(frozen=True)
class JobFunction:
    func: JobFunc
    max_attempts: int
    retry_on: tuple[type[BaseException], ...]
    backoff: tuple[int, ...]  # seconds before attempt 2, 3, ...

    @property
    def path(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"

    def __call__(self, ctx: JobContext, **kwargs: Any) -> Any:
        return self.func(ctx, **kwargs)

    def enqueue(self, *, label: str, actor: Any = None, **kwargs: Any) -> Job:
        return job_enqueue(function=self, label=label, actor=actor, kwargs=kwargs)


def job(
    *,
    max_attempts: int = 2,
    retry_on: Sequence[type[BaseException]] = (),
    backoff: Sequence[int] = (30, 120, 600),
) -> Callable[[JobFunc], JobFunction]:
    """Declare a job function (see the module docstring)."""

    def decorate(func: JobFunc) -> JobFunction:
        return JobFunction(
            func=func, max_attempts=max_attempts, retry_on=tuple(retry_on), backoff=tuple(backoff)
        )

    return decorate


def _function(name: str) -> JobFunction:
    function = import_string(name)
    if not isinstance(function, JobFunction):
        raise TypeError(f"{name} is not a job function")
    return function


def job_enqueue(
    *, function: JobFunction, label: str, actor: Any = None, kwargs: dict[str, Any]
) -> Job:
    created_by = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    record = Job.objects.create(
        name=function.path,
        label=label[:300],
        kwargs=kwargs,
        created_by=created_by,
        max_attempts=function.max_attempts,
    )
    _enqueue_attempt(record, attempt=1)
    record.refresh_from_db()
    return record


def _enqueue_attempt(record: Job, *, attempt: int, delay: int = 0) -> None:
    task = run_job
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    result = task.enqueue(job_id=str(record.pk), attempt=attempt)
    # The immediate backend has already run the attempt (and maybe the next ones).
    Job.objects.filter(pk=record.pk, attempts__lt=attempt).update(task_result_id=result.id)


def job_run(*, job_id: str, attempt: int, worker_id: str = "") -> str:
    """Run one attempt of a job (called by the ``run_job`` task). Returns what happened."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, attempts=attempt - 1).update(
        status=JobStatus.RUNNING,
        attempts=attempt,
        worker_id=worker_id[:64],
        heartbeat_at=now,
        started_at=now,
        side_effects_started=False,
    )
    if not claimed:
        logger.warning(
            "Job %s attempt %s was already claimed or finished: skipped", job_id, attempt
        )
        return "skipped"
    record = Job.objects.get(pk=job_id)
    function = _function(record.name)
    ctx = JobContext(job=record, attempt=attempt)
    logger.info("Job %s (%s) attempt %s started", record.pk, record.name, attempt)
    try:
        function(ctx, **record.kwargs)
    except Exception as exc:
        return _attempt_failed(record, function, attempt, exc)
    done = Job.objects.filter(pk=record.pk, status=JobStatus.RUNNING, attempts=attempt).update(
        status=JobStatus.SUCCEEDED,
        progress=100,
        result_message=record.result_message,
        result_url=record.result_url,
        result_file=record.result_file.name or "",
        error="",
        finished_at=timezone.now(),
    )
    if not done:
        logger.warning("Job %s attempt %s finished after it was taken over", record.pk, attempt)
        return "superseded"
    logger.info("Job %s (%s) succeeded", record.pk, record.name)
    return "succeeded"


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, JobError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}".strip()[:2000]


def _attempt_failed(record: Job, function: JobFunction, attempt: int, exc: Exception) -> str:
    message = _one_line(exc)
    retry = isinstance(exc, function.retry_on) and attempt < function.max_attempts
    if retry:
        delay = (
            function.backoff[min(attempt - 1, len(function.backoff) - 1)] if function.backoff else 0
        )
        updated = Job.objects.filter(
            pk=record.pk, status=JobStatus.RUNNING, attempts=attempt
        ).update(status=JobStatus.QUEUED, error=message, side_effects_started=False)
        if updated:
            logger.warning(
                "Job %s attempt %s failed (%s); retrying in %ss", record.pk, attempt, message, delay
            )
            _enqueue_attempt(record, attempt=attempt + 1, delay=delay)
            return "retrying"
        return "superseded"
    if not isinstance(exc, JobError):
        logger.error("Job %s (%s) failed", record.pk, record.name, exc_info=exc)
    Job.objects.filter(pk=record.pk, status=JobStatus.RUNNING, attempts=attempt).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )
    return "failed"


# --- workers and orphans ------------------------------------------------------------------


def heartbeat(*, worker_id: str, started_at: dt.datetime) -> None:
    """Say this worker is alive, and so are the jobs it is running."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )
    Job.objects.filter(status=JobStatus.RUNNING, worker_id=worker_id).update(heartbeat_at=now)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_dead(beat: WorkerHeartbeat | None, record: Job, cutoff: dt.datetime) -> bool:
    if beat is None:
        return record.heartbeat_at is None or record.heartbeat_at < cutoff
    if beat.hostname == socket.gethostname() and not _pid_alive(beat.pid):
        return True
    return beat.seen_at < cutoff


@dataclass(frozen=True)
class Recovered:
    job: Job
    action: str  # "requeued" or "failed"


def jobs_recover(*, now: dt.datetime | None = None) -> list[Recovered]:
    """Find running jobs whose worker is gone; re-queue them or mark them failed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.CICTE_WORKER_STALE_SECONDS)
    running = list(Job.objects.filter(status=JobStatus.RUNNING))
    beats = {
        b.worker_id: b
        for b in WorkerHeartbeat.objects.filter(worker_id__in={j.worker_id for j in running})
    }
    recovered = []
    for record in running:
        if not _worker_dead(beats.get(record.worker_id), record, cutoff):
            continue
        _fail_task_result(record.task_result_id)
        still = Q(pk=record.pk, status=JobStatus.RUNNING, attempts=record.attempts)
        if record.side_effects_started:
            error = (
                "The worker stopped while this job was delivering its result outside the "
                "system (for example handing an e-mail to the mail server); it was not run "
                "again so that nothing is delivered twice. Check, then start it again."
            )
            if Job.objects.filter(still).update(
                status=JobStatus.FAILED, error=error, finished_at=now
            ):
                recovered.append(Recovered(record, "failed"))
        elif record.attempts < record.max_attempts:
            with transaction.atomic():
                if Job.objects.filter(still).update(
                    status=JobStatus.QUEUED, error="The worker stopped; the job was queued again."
                ):
                    _enqueue_attempt(record, attempt=record.attempts + 1)
                    recovered.append(Recovered(record, "requeued"))
        elif Job.objects.filter(still).update(
            status=JobStatus.FAILED,
            error="The worker stopped during the last allowed attempt.",
            finished_at=now,
        ):
            recovered.append(Recovered(record, "failed"))
    for item in recovered:
        logger.warning("Orphaned job %s (%s): %s", item.job.pk, item.job.name, item.action)
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return recovered


def _fail_task_result(task_result_id: str) -> None:
    """Close the queue's record of the lost attempt, so it does not stay RUNNING forever."""
    if not task_result_id:
        return
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the backend is a dependency
        return
    DBTaskResult.objects.filter(id=task_result_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path="cicte.ops.jobs.WorkerLost",
        traceback="The worker process stopped while running this task.",
    )


@task(takes_context=True)
def run_job(context: TaskContext, job_id: str, attempt: int) -> str:
    """The one task on the queue: run an attempt of a :class:`~cicte.ops.models.Job`."""
    worker_ids = context.task_result.worker_ids
    return job_run(job_id=job_id, attempt=attempt, worker_id=worker_ids[-1] if worker_ids else "")
