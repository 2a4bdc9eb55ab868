"""cicte progress — targets vs delivered for a plan and period, as a table or JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.periods import PeriodError, parse_period
from cicte.directory.models import MemberState
from cicte.plan.models import Program, WorkArea, WorkPlan
from cicte.plan.selectors import PlanNotFound, plan_get
from cicte.progress.renderers import progress_table, progress_to_dict
from cicte.progress.selectors import plan_progress


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Progress of a Work Plan: units delivered by held events vs each target's quantity, "
        "rolled up to project, program, work area and plan (see docs/progress.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default=None, help=_("year, symbol or id (default: newest)"))
        parser.add_argument(
            "--period",
            default=None,
            help=_("2012-H1, 2012-Q3, 2012 or 2012-01-01..2012-03-31"),
        )
        parser.add_argument("--work-area", type=int, default=None, help=_("work area number"))
        parser.add_argument("--program", default=None, help=_("program code, e.g. 1.A"))
        parser.add_argument("--member-state", default=None, help=_("ISO alpha-3, e.g. JAM"))
        parser.add_argument(
            "--format",
            choices=["table", "json"],
            default="table",
            help=_("a table to read, or JSON for scripts (default: table)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = options["plan"]
        try:
            plan = (
                plan_get(reference)
                if reference
                else WorkPlan.objects.order_by("-year", "-id")[:1].get()
            )
        except (PlanNotFound, WorkPlan.DoesNotExist):
            raise CommandError(
                _("No work plan '%(plan)s'.") % {"plan": reference}
                if reference
                else _("No work plan in the database; run 'cicte import-plan PATH' first.")
            ) from None
        try:
            period = parse_period(options["period"]) if options["period"] else None
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        work_area, program = options["work_area"], options["program"]
        if (
            work_area is not None
            and not WorkArea.objects.filter(plan=plan, number=work_area).exists()
        ):
            raise CommandError(
                _("The %(year)s plan has no work area %(number)s.")
                % {"year": plan.year, "number": work_area}
            )
        if program and not Program.objects.filter(plan=plan, code=program).exists():
            raise CommandError(
                _("The %(year)s plan has no program '%(code)s'.")
                % {"year": plan.year, "code": program}
            )
        member_state = options["member_state"]
        if member_state and not MemberState.objects.filter(code=member_state.upper()).exists():
            raise CommandError(
                _("Unknown member state '%(code)s' (use ISO alpha-3).") % {"code": member_state}
            )
        progress = plan_progress(
            plan=plan,
            period=period,
            work_area=work_area,
            program=program,
            member_state=member_state,
        )
        if options["format"] == "json":
            data = progress_to_dict(progress, symbol=plan.symbol)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(progress_table(progress, symbol=plan.symbol), ending="")
