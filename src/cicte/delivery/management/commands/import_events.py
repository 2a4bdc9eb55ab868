"""``cicte import-events FILE.xlsx|FILE.csv [--plan 2012] [--valid-only] [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cicte.core.types import SYSTEM
from cicte.delivery.parsing.spreadsheet import SpreadsheetError, read_events
from cicte.delivery.services import events_import
from cicte.plan.selectors import PlanNotFound, plan_get


class Command(BaseCommand):
    help = (
        "Import events from an XLSX or CSV file (columns: see 'cicte events-template'). "
        "Nothing is written unless every row is valid, or --valid-only is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an .xlsx or .csv file")
        parser.add_argument("--plan", default="", help="plan year or symbol (default: newest)")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid rows, skip the others"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        limit = settings.CICTE_MAX_UPLOAD_BYTES
        if path.stat().st_size > limit:
            raise CommandError(
                f"{path} is {path.stat().st_size:,} bytes; the limit is {limit:,} bytes "
                "(CICTE_MAX_UPLOAD_BYTES)."
            )
        try:
            plan = plan_get(options["plan"]) if options["plan"] else _newest_plan()
        except PlanNotFound as exc:
            raise CommandError(f"{exc} Import the plan first (cicte import-plan).") from None
        try:
            sheet = read_events(path.read_bytes())
        except SpreadsheetError as exc:
            raise CommandError(f"{path}: {exc}") from None
        with tqdm(total=len(sheet.rows), desc="Importing events", unit="row", disable=None) as bar:
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
        summary = (
            f"{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged; {result.error_rows} row(s) with errors "
            f"of {sheet.data_rows}."
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {summary}")
        elif result.written:
            self.stdout.write(self.style.SUCCESS(f"Imported into {plan.year}: {summary}"))
        if result.errors and not (options["valid_only"] and result.written):
            raise CommandError(
                f"{result.error_rows} row(s) with errors; nothing imported"
                + ("" if options["dry_run"] else " (fix them, or use --valid-only)")
                + "."
            )


def _newest_plan() -> Any:
    from cicte.delivery.selectors import default_plan

    plan = default_plan()
    if plan is None:
        raise PlanNotFound("No work plan in the database.")
    return plan
