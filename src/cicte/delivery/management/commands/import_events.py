"""``cicte import-events FILE.xlsx|FILE.csv [--plan 2012] [--valid-only] [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from cicte.core.commands import TranslatedCommand
from cicte.core.types import SYSTEM
from cicte.delivery.parsing.spreadsheet import SpreadsheetError, read_events
from cicte.delivery.services import events_import
from cicte.plan.selectors import PlanNotFound, plan_get


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import events from an XLSX or CSV file (columns: see 'cicte events-template'). "
        "Nothing is written unless every row is valid, or --valid-only is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("an .xlsx or .csv file"))
        parser.add_argument("--plan", default="", help=_("plan year or symbol (default: newest)"))
        parser.add_argument(
            "--valid-only", action="store_true", help=_("import the valid rows, skip the others")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("check only, write nothing"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        limit = settings.CICTE_MAX_UPLOAD_BYTES
        if path.stat().st_size > limit:
            raise CommandError(
                _(
                    "%(path)s is %(size)s bytes; the limit is %(limit)s bytes "
                    "(CICTE_MAX_UPLOAD_BYTES)."
                )
                % {"path": path, "size": f"{path.stat().st_size:,}", "limit": f"{limit:,}"}
            )
        try:
            plan = plan_get(options["plan"]) if options["plan"] else _newest_plan()
        except PlanNotFound as exc:
            raise CommandError(
                _("%(error)s Import the plan first (cicte import-plan).") % {"error": exc}
            ) from None
        try:
            sheet = read_events(path.read_bytes())
        except SpreadsheetError as exc:
            raise CommandError(f"{path}: {exc}") from None
        with tqdm(
            total=len(sheet.rows), desc=_("Importing events"), unit="row", disable=None
        ) as bar:
            result = events_import(
                actor=SYSTEM,
                plan=plan,
                rows=sheet.rows,
                parse_errors=sheet.errors,
                import_valid_only=options["valid_only"],
                dry_run=options["dry_run"],
                progress=bar,
            )
        for error in result.errors:
            self.stderr.write(str(error))
        summary = _(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged; "
            "%(errors)s row(s) with errors of %(rows)s."
        ) % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "errors": result.error_rows,
            "rows": sheet.data_rows,
        }
        if options["dry_run"]:
            self.stdout.write(_("Dry run, nothing written: %(summary)s") % {"summary": summary})
        elif result.written:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported into %(year)s: %(summary)s")
                    % {"year": plan.year, "summary": summary}
                )
            )
        if result.errors and not (options["valid_only"] and result.written):
            raise CommandError(
                (
                    _("%(errors)s row(s) with errors; nothing imported.")
                    if options["dry_run"]
                    else _(
                        "%(errors)s row(s) with errors; nothing imported "
                        "(fix them, or use --valid-only)."
                    )
                )
                % {"errors": result.error_rows}
            )


def _newest_plan() -> Any:
    from cicte.delivery.selectors import default_plan

    plan = default_plan()
    if plan is None:
        raise PlanNotFound("No work plan in the database.")
    return plan
