"""``cicte report --plan 2012 --period 2012-H1 --format pdf --lang en [-o FILE]``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.periods import PeriodError, parse_period
from cicte.plan.selectors import PlanNotFound, plan_get
from cicte.reports.build import LANGUAGES, report_data
from cicte.reports.renderers import FORMATS, PAPERS, default_filename, render
from cicte.reports.selectors import issued_on
from cicte.reports.types import ReportError


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Write the semi-annual report of a plan for a period as HTML, PDF, DOCX or XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--plan", default="", help=_("Plan year, symbol or id (default: newest)")
        )
        parser.add_argument("--period", required=True, help=_("2012-H1, 2012-H2, 2012 or a range"))
        parser.add_argument(
            "--format", dest="fmt", default="pdf", choices=FORMATS, help=_("file format (pdf)")
        )
        parser.add_argument(
            "--lang", default="en", choices=LANGUAGES, help=_("language of the report (en)")
        )
        parser.add_argument(
            "--date",
            default="",
            help=_(
                "Date of issue printed on the report, YYYY-MM-DD (default: the published "
                "report's date of issue; a draft says it is not yet issued)"
            ),
        )
        parser.add_argument("--paper", default="a4", choices=PAPERS, help=_("PDF/DOCX paper size"))
        parser.add_argument(
            "-o",
            "--output",
            default="",
            help=_(
                "Output file (default: a name like cicte-report-2012-H1-en.pdf in the current "
                "directory)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        try:
            plan = (
                plan_get(options["plan"]) if options["plan"] else plan_get(str(period.start.year))
            )
        except PlanNotFound as exc:
            raise CommandError(str(exc)) from None
        try:
            issued = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(
                _("Invalid --date '%(date)s': use YYYY-MM-DD.") % {"date": options["date"]}
            ) from None
        output = Path(options["output"]) if options["output"] else None
        if output is not None:
            if output.is_dir():
                raise CommandError(
                    _("Cannot write the report: %(path)s is a directory.") % {"path": output}
                )
            if not output.parent.exists():
                raise CommandError(
                    _("Cannot write the report: no directory %(path)s.") % {"path": output.parent}
                )
        try:
            if issued is None:  # the published report's date of issue; a draft says so
                issued = issued_on(plan=plan, period=period, language=options["lang"])
            data = report_data(plan=plan, period=period, language=options["lang"], issued=issued)
        except ReportError as exc:
            raise CommandError(str(exc)) from None
        content = render(data, options["fmt"], paper=options["paper"])
        output = output or Path(default_filename(data, options["fmt"]))
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("Cannot write the report to %(path)s: %(error)s.")
                % {"path": output, "error": exc.strerror}
            ) from None
        summary = data.section("summary").data
        events = getattr(summary, "events_held", 0)
        self.stdout.write(
            _(
                "Wrote %(path)s (%(format)s, %(size)s bytes): %(symbol)s, %(period)s, "
                "%(events)s events held."
            )
            % {
                "path": output,
                "format": options["fmt"],
                "size": f"{len(content):,}",
                "symbol": data.meta.document_symbol,
                "period": period.label,
                "events": events,
            }
        )
