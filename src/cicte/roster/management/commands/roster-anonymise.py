"""cicte roster-anonymise [--apply]: anonymise experts who asked to leave more than
CICTE_ROSTER_RETENTION_DAYS ago (a dry run unless --apply; the scheduler runs it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cicte.core.commands import TranslatedCommand
from cicte.core.types import SYSTEM
from cicte.roster.services import anonymise_due, retention_days


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Anonymise the data of experts who left the roster (dry run unless --apply)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help=_("anonymise (without it: only count)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = anonymise_due(actor=SYSTEM, dry_run=not options["apply"])
        count, days = len(done), retention_days()
        if options["apply"]:
            message = ngettext(
                "%(count)s expert anonymised; retention %(days)s days.",
                "%(count)s experts anonymised; retention %(days)s days.",
                count,
            )
        else:
            message = ngettext(
                "%(count)s expert would be anonymised (dry run; --apply); retention %(days)s days.",
                "%(count)s experts would be anonymised (dry run; --apply); "
                "retention %(days)s days.",
                count,
            )
        self.stdout.write(message % {"count": count, "days": days})
