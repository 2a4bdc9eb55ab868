"""``cicte demo [--plan 2012] [--reset]``: a clearly labelled sample of 2012 events."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cicte.core.commands import TranslatedCommand
from cicte.core.types import SYSTEM
from cicte.plan.selectors import PlanNotFound, plan_get
from cicte.sampledata import strategies as strategies_demo
from cicte.sampledata.demo import DemoError, demo_load, demo_reset


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Fill the 2012 Work Plan with a deterministic sample of events, every one labelled "
        "[DEMO]. Re-running adds nothing; --reset removes the demo events only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default="2012", help=_("plan year or symbol (default 2012)"))
        parser.add_argument("--reset", action="store_true", help=_("delete the demo events"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            removed = demo_reset(actor=SYSTEM)
            self.stdout.write(
                ngettext("Removed %(count)s demo event.", "Removed %(count)s demo events.", removed)
                % {"count": removed}
            )
            removed = strategies_demo.demo_reset(actor=SYSTEM)
            self.stdout.write(
                ngettext(
                    "Removed %(count)s demo strategies entry.",
                    "Removed %(count)s demo strategies entries.",
                    removed,
                )
                % {"count": removed}
            )
            return
        try:
            plan = plan_get(options["plan"])
        except PlanNotFound:
            raise CommandError(
                _(
                    "No %(plan)s work plan in the database: run 'cicte import-plan "
                    "src/cicte/plan/fixtures/2012-work-plan.txt' first."
                )
                % {"plan": options["plan"]}
            ) from None
        try:
            result = demo_load(actor=SYSTEM, plan=plan)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        entries = strategies_demo.demo_load(actor=SYSTEM)
        self.stdout.write(
            ngettext(
                "Demo strategies database: %(count)s fictitious [DEMO] entry created.",
                "Demo strategies database: %(count)s fictitious [DEMO] entries created.",
                entries,
            )
            % {"count": entries}
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo: %(created)s event(s) created, %(existing)s already there, "
                    "across %(targets)s targets of the %(year)s plan."
                )
                % {
                    "created": result.created,
                    "existing": result.existing,
                    "targets": result.targets_used,
                    "year": plan.year,
                }
            )
        )
