"""cicte scheduler [--once]: enqueue periodic work (reminders daily, pruning, orphan checks)."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.ops import schedule


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Enqueue periodic background work when it is due: daily reminders at 07:00, orphaned "
        "job recovery every minute, pruning of old jobs; other apps add digests. Run one "
        "scheduler (two do no harm: each entry is claimed once). --list shows the entries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("Check once, then exit."))
        parser.add_argument("--list", action="store_true", help=_("List the entries and exit."))
        parser.add_argument(
            "--interval", type=float, default=30.0, help=_("Seconds between checks (30).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for entry in schedule.REGISTRY.values():
                values = {
                    "name": entry.name,
                    "every": entry.every,
                    "at": f"{entry.at:%H:%M}" if entry.at else "",
                    "label": entry.label,
                }
                self.stdout.write(
                    (
                        _("%(name)s: every %(every)s at %(at)s — %(label)s")
                        if entry.at
                        else _("%(name)s: every %(every)s — %(label)s")
                    )
                    % values
                )
            return
        stop = threading.Event()
        if not options["once"]:

            def _stop(signum: int, frame: FrameType | None) -> None:
                stop.set()

            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
            self.stdout.write(_("Scheduler started."))
        while True:
            close_old_connections()
            for job in schedule.run_due():
                self.stdout.write(
                    _("Enqueued: %(label)s (%(id)s)") % {"label": job.label, "id": job.pk}
                )
            if options["once"] or stop.wait(options["interval"]):
                break
