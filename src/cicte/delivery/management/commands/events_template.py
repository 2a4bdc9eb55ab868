"""``cicte events-template -o FILE.xlsx [--plan 2012]``: the spreadsheet to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.delivery.exporting import events_template
from cicte.delivery.selectors import default_plan, target_options
from cicte.plan.selectors import PlanNotFound, plan_get


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Write the events import template (XLSX: Events, Instructions, Targets sheets)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help=_("the .xlsx file to write"))
        parser.add_argument("--plan", default="", help=_("plan year or symbol (default: newest)"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_get(options["plan"]) if options["plan"] else default_plan()
        except PlanNotFound as exc:
            raise CommandError(str(exc)) from None
        targets = target_options(plan=plan) if plan is not None else []
        label = f"the {plan.year} Work Plan ({plan.symbol})" if plan else "the Work Plan"
        output = Path(options["output"])
        output.write_bytes(events_template(targets=targets, plan_label=label))
        self.stdout.write(
            _("Wrote %(file)s (%(count)s target codes).") % {"file": output, "count": len(targets)}
        )
