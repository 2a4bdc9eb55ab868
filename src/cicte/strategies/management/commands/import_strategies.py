"""``cicte import-strategies FILE.csv|FILE.xlsx [--publish] [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.types import SYSTEM
from cicte.strategies.parsing.table import SpreadsheetError, read_strategies
from cicte.strategies.services import ImportFailed, documents_import


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Load strategies, laws and policies from an XLSX or CSV file (columns: see "
        "docs/strategies.md). All or nothing: one bad row and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("an .xlsx or .csv file"))
        parser.add_argument(
            "--publish",
            action="store_true",
            help=_("the sources were verified: publish at once (default: wait for verification)"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        limit = settings.CICTE_MAX_UPLOAD_BYTES
        if path.stat().st_size > limit:
            raise CommandError(
                _("%(path)s is larger than %(limit)s bytes (CICTE_MAX_UPLOAD_BYTES).")
                % {"path": path, "limit": f"{limit:,}"}
            )
        try:
            sheet = read_strategies(path.read_bytes())
        except SpreadsheetError as exc:
            raise CommandError(f"{path}: {exc}") from None
        try:
            created = documents_import(
                actor=SYSTEM,
                rows=sheet.rows,
                parse_errors=sheet.errors,
                publish=options["publish"],
                dry_run=options["dry_run"],
            )
        except ImportFailed as exc:
            for line in exc.details:
                self.stderr.write(str(line))
            raise CommandError(exc.message) from None
        if options["dry_run"]:
            self.stdout.write(
                _("Dry run, nothing written: %(count)s document(s) are valid.")
                % {"count": len(created)}
            )
        else:
            message = (
                _("Imported %(count)s document(s), published.")
                if options["publish"]
                else _("Imported %(count)s document(s), waiting for verification.")
            )
            self.stdout.write(self.style.SUCCESS(message % {"count": len(created)}))
