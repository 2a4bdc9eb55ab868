"""cicte worker [--batch] [--max-tasks N]: run background jobs from the database queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from cicte.core.commands import TranslatedCommand
from cicte.ops.worker import make_worker


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Run background jobs (report publishing, e-mail, reminders, exports) from the "
        "database queue. Stop with SIGTERM: the current job finishes first. A job whose "
        "worker was killed is queued again, or failed when re-running could repeat an e-mail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help=_("Run what is queued now, then exit.")
        )
        parser.add_argument("--max-tasks", type=int, default=None, help=_("Exit after N tasks."))
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("Seconds between polls when idle (1).")
        )
        parser.add_argument(
            "--queue", default="*", help=_("Comma-separated queue names ('*' = all, default).")
        )
        parser.add_argument("--worker-id", default="", help=_("Unique id (default: random)."))

    def handle(self, *args: Any, **options: Any) -> None:
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                _(
                    "The task backend is not the database queue (CICTE_TASKS=immediate?): "
                    "jobs already run where they are started; no worker is needed."
                )
            )
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError(_("--max-tasks must be 1 or more."))
        worker = make_worker(
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            interval=options["interval"],
            queue_names=options["queue"].split(","),
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        self.stdout.write(_("Worker %(id)s started.") % {"id": worker.worker_id})
        worker.run()
