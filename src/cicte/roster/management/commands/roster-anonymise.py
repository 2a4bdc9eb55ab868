"""cicte roster-anonymise [--apply]: anonymise experts who asked to leave more than
CICTE_ROSTER_RETENTION_DAYS ago (a dry run unless --apply; the scheduler runs it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cicte.core.types import SYSTEM
from cicte.roster.services import anonymise_due, retention_days


class Command(BaseCommand):
    help = "Anonymise the data of experts who left the roster (dry run unless --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        done = anonymise_due(actor=SYSTEM, dry_run=not options["apply"])
        verb = "anonymised" if options["apply"] else "would be anonymised (dry run; --apply)"
        self.stdout.write(f"{len(done)} experts {verb}; retention {retention_days()} days.")
