"""``cicte export-events --plan 2012 [--period 2012-H1] --format xlsx|csv -o FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.periods import PeriodError, parse_period
from cicte.delivery.exporting import events_csv, events_xlsx
from cicte.delivery.selectors import export_rows
from cicte.plan.selectors import PlanNotFound, plan_get


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Export a plan's events with the import columns (the file can be imported again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help=_("plan year or symbol"))
        parser.add_argument("--period", default="", help=_("2012-H1, 2012, 2012-01-01..2012-03-31"))
        parser.add_argument("--format", choices=["xlsx", "csv"], default="")
        parser.add_argument("-o", "--output", required=True, help=_("the file to write"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_get(options["plan"])
        except PlanNotFound as exc:
            raise CommandError(str(exc)) from None
        try:
            period = parse_period(options["period"]) if options["period"] else None
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        output = Path(options["output"])
        file_format = options["format"] or output.suffix.lstrip(".").lower()
        if file_format not in ("xlsx", "csv"):
            raise CommandError(_("Give --format xlsx or --format csv (or a .xlsx/.csv file name)."))
        rows = list(export_rows(plan=plan, period=period))
        data = events_xlsx(rows) if file_format == "xlsx" else events_csv(rows)
        output.write_bytes(data)
        self.stdout.write(
            _("Wrote %(count)s event(s) to %(file)s.") % {"count": len(rows), "file": output}
        )
