"""cicte scheduler [--once]: enqueue periodic work (reminders daily, pruning, orphan checks)."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from cicte.ops import schedule


class Command(BaseCommand):
    help = (
        "Enqueue periodic background work when it is due: daily reminders at 07:00, orphaned "
        "job recovery every minute, pruning of old jobs; other apps add digests. Run one "
        "scheduler (two do no harm: each entry is claimed once). --list shows the entries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument("--list", action="store_true", help="List the entries and exit.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for entry in schedule.REGISTRY.values():
                at = f" at {entry.at:%H:%M}" if entry.at else ""
                self.stdout.write(f"{entry.name}: every {entry.every}{at} — {entry.label}")
            return
        stop = threading.Event()
        if not options["once"]:

            def _stop(signum: int, frame: FrameType | None) -> None:
                stop.set()

            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
            self.stdout.write("Scheduler started.")
        while True:
            close_old_connections()
            for job in schedule.run_due():
                self.stdout.write(f"Enqueued: {job.label} ({job.pk})")
            if options["once"] or stop.wait(options["interval"]):
                break
