"""Reads of the ops app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from cicte.ops.models import Job, WorkerHeartbeat

JOBS_SHOWN = 50


def jobs_of(*, user: Any) -> list[Job]:
    """The user's most recent jobs, newest first."""
    return list(Job.objects.filter(created_by=user).order_by("-created_at")[:JOBS_SHOWN])


def queue_health() -> str:
    """ "ok" when the task queue's table can be read (database backend), with how many tasks
    wait and whether a worker was seen recently; "ok (immediate)" without a queue."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return "ok (immediate)"
    DBTaskResult.objects.filter(status="READY").exists()
    cutoff = timezone.now() - dt.timedelta(seconds=settings.CICTE_WORKER_STALE_SECONDS)
    workers = WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).count()
    return "ok" if workers else "ok (no worker seen)"
