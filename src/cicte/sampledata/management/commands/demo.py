"""``cicte demo [--plan 2012] [--reset]``: a clearly labelled sample of 2012 events."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicte.core.types import SYSTEM
from cicte.plan.selectors import PlanNotFound, plan_get
from cicte.sampledata import strategies as strategies_demo
from cicte.sampledata.demo import DemoError, demo_load, demo_reset


class Command(BaseCommand):
    help = (
        "Fill the 2012 Work Plan with a deterministic sample of events, every one labelled "
        "[DEMO]. Re-running adds nothing; --reset removes the demo events only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default="2012", help="plan year or symbol (default 2012)")
        parser.add_argument("--reset", action="store_true", help="delete the demo events")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            removed = demo_reset(actor=SYSTEM)
            self.stdout.write(f"Removed {removed} demo event(s).")
            removed = strategies_demo.demo_reset(actor=SYSTEM)
            self.stdout.write(f"Removed {removed} demo strategies entr(y/ies).")
            return
        try:
            plan = plan_get(options["plan"])
        except PlanNotFound:
            raise CommandError(
                f"No {options['plan']} work plan in the database: run 'cicte import-plan "
                "src/cicte/plan/fixtures/2012-work-plan.txt' first."
            ) from None
        try:
            result = demo_load(actor=SYSTEM, plan=plan)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        entries = strategies_demo.demo_load(actor=SYSTEM)
        self.stdout.write(
            f"Demo strategies database: {entries} fictitious [DEMO] entr(y/ies) created."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo: {result.created} event(s) created, {result.existing} already there, "
                f"across {result.targets_used} targets of the {plan.year} plan."
            )
        )
