"""The worker: django-tasks-db's database worker, plus a heartbeat (so a worker that dies
is noticed and its job re-queued or failed) and an orphan check when it starts."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from cicte.ops.jobs import heartbeat, jobs_recover
from cicte.ops.models import WorkerHeartbeat

logger = logging.getLogger("cicte.ops.worker")


class HeartbeatWorker(Worker):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self._stop = threading.Event()

    def _beat_forever(self) -> None:
        interval = settings.CICTE_WORKER_HEARTBEAT_SECONDS
        while not self._stop.wait(interval):
            try:
                heartbeat(worker_id=self.worker_id, started_at=self.started_at)
            except Exception:
                logger.exception("Worker %s: heartbeat failed", self.worker_id)
            finally:
                connection.close()

    def run(self) -> None:
        heartbeat(worker_id=self.worker_id, started_at=self.started_at)
        for item in jobs_recover():
            logger.warning("Recovered job %s: %s", item.job.pk, item.action)
        beat = threading.Thread(target=self._beat_forever, name="cicte-heartbeat", daemon=True)
        beat.start()
        try:
            super().run()
        finally:
            self._stop.set()
            beat.join(timeout=5)
            close_old_connections()
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def make_worker(
    *,
    batch: bool = False,
    max_tasks: int | None = None,
    interval: float = 1.0,
    queue_names: list[str] | None = None,
    worker_id: str = "",
) -> HeartbeatWorker:
    return HeartbeatWorker(
        queue_names=queue_names or ["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id or get_random_string(32),
        excluded_queue_names=[],
    )
