"""cicte export-iati — the IATI 2.03 activity file of a Work Plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.errors import ApplicationError
from cicte.core.types import SYSTEM
from cicte.iati.data import iati_plan
from cicte.iati.elements import activities_document
from cicte.plan.selectors import PlanNotFound, plan_get


class Command(TranslatedCommand):
    help = gettext_lazy("Export a Work Plan as an IATI 2.03 activity file (stdout, or -o FILE).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help=_("year, symbol or id"))
        parser.add_argument("-o", "--output", default=None, help=_("file to write"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_get(options["plan"])
        except PlanNotFound:
            raise CommandError(
                _("No work plan %(plan)s.") % {"plan": repr(options["plan"])}
            ) from None
        try:
            data = activities_document(iati_plan(plan=plan, actor=SYSTEM))
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s.")
                    % {"file": options["output"], "error": exc.strerror}
                ) from None
            self.stderr.write(_("Wrote %(file)s.") % {"file": options["output"]})
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
