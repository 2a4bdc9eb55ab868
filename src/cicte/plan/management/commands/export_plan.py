"""cicte export-plan — write a Work Plan in the canonical JSON/YAML format or as XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.plan.parsing.canonical import dumps_json, dumps_yaml
from cicte.plan.parsing.xlsx import plan_to_xlsx
from cicte.plan.selectors import PlanNotFound, plan_document, plan_get


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Export a Work Plan as JSON or YAML (stdout by default) or XLSX (needs -o)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", default=None, help=_("year, symbol or id (default: newest)"))
        parser.add_argument("--format", choices=["json", "yaml", "xlsx"], default="json")
        parser.add_argument("-o", "--output", default=None, help=_("file to write"))

    def handle(self, *args: Any, **options: Any) -> None:
        from cicte.plan.models import WorkPlan

        try:
            plan = (
                plan_get(options["plan"])
                if options["plan"]
                else WorkPlan.objects.order_by("-year", "-id")[:1].get()
            )
        except (PlanNotFound, WorkPlan.DoesNotExist):
            raise CommandError(
                _("No work plan %(plan)s.") % {"plan": repr(options["plan"])}
                if options["plan"]
                else _("No work plan in the database; run 'cicte import-plan PATH' first.")
            ) from None
        document = plan_document(plan=plan)
        fmt = options["format"]
        output = options["output"]
        try:
            if fmt == "xlsx":
                if not output:
                    raise CommandError(_("--format xlsx needs -o FILE.xlsx."))
                with Path(output).open("wb") as stream:
                    plan_to_xlsx(document, stream)
                return
            text = dumps_json(document) if fmt == "json" else dumps_yaml(document)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s.") % {"file": output, "error": exc.strerror}
            ) from None
