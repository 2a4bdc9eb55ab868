"""Periodic work: a registry of entries that ``cicte scheduler`` enqueues when due.

Other apps add theirs in ``AppConfig.ready()``::

    from cicte.ops import schedule
    schedule.register("forum-digest", "cicte.forum.tasks.send_digest", every=dt.timedelta(days=7),
                      at=dt.time(6, 0), label="Weekly forum digest")

An entry is due when its interval has passed since its last run (and, with ``at``, once the
local time of day has been reached). The last run is kept in the database and claimed with a
conditional update, so two schedulers, or one restarted, never enqueue an entry twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from cicte.ops.jobs import JobFunction
from cicte.ops.models import Job, ScheduledRun

logger = logging.getLogger("cicte.ops.schedule")


@dataclass(frozen=True)
class Entry:
    name: str
    function: str  # dotted path of a job function
    every: dt.timedelta
    at: dt.time | None = None  # local time of day (TIME_ZONE), for daily or longer entries
    label: str = ""
    kwargs: dict[str, Any] = field(default_factory=dict)


REGISTRY: dict[str, Entry] = {}


def register(
    name: str,
    function: str,
    *,
    every: dt.timedelta,
    at: dt.time | None = None,
    label: str = "",
    kwargs: dict[str, Any] | None = None,
) -> None:
    REGISTRY[name] = Entry(name, function, every, at, label or name, dict(kwargs or {}))


def register_defaults() -> None:
    day = dt.timedelta(days=1)
    register(
        "recover-orphans",
        "cicte.ops.tasks.recover_orphans",
        every=dt.timedelta(minutes=1),
        label="Re-queue jobs whose worker stopped",
    )
    register(
        "prune-jobs",
        "cicte.ops.tasks.prune_jobs",
        every=day,
        at=dt.time(3, 0),
        label="Delete finished jobs older than 90 days",
    )


def is_due(entry: Entry, last: dt.datetime | None, now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    if entry.at is not None and local.time() < entry.at:
        return False
    if last is None:
        return True
    if entry.at is not None:
        # Daily-style entries: once per interval, counted in local calendar days.
        return (local.date() - timezone.localtime(last).date()).days >= max(entry.every.days, 1)
    return now - last >= entry.every


def _claim(entry: Entry, last: dt.datetime | None, now: dt.datetime) -> bool:
    if last is None:
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry.name, last_run_at=now)
        except IntegrityError:
            return False
        return True
    return bool(
        ScheduledRun.objects.filter(name=entry.name, last_run_at=last).update(last_run_at=now)
    )


def run_due(*, now: dt.datetime | None = None, only: set[str] | None = None) -> list[Job]:
    """Enqueue every entry that is due; returns the jobs created."""
    now = now or timezone.now()
    last_runs = dict(ScheduledRun.objects.values_list("name", "last_run_at"))
    jobs = []
    for entry in REGISTRY.values():
        if only is not None and entry.name not in only:
            continue
        last = last_runs.get(entry.name)
        if not is_due(entry, last, now) or not _claim(entry, last, now):
            continue
        function = import_string(entry.function)
        if not isinstance(function, JobFunction):
            logger.error("Schedule entry %s: %s is not a job function", entry.name, entry.function)
            continue
        jobs.append(function.enqueue(label=entry.label, **entry.kwargs))
        logger.info("Scheduled %s enqueued", entry.name)
    return jobs
