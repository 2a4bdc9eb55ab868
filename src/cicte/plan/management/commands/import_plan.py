"""cicte import-plan PATH — read a Work Plan (2012 text layout, JSON or YAML) into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.types import SYSTEM
from cicte.plan.parsing.canonical import load_plan_file
from cicte.plan.parsing.types import PlanParseError
from cicte.plan.services import PlanImportError, plan_import


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import a Work Plan from its text extraction (the layout of the 2012 plan), or from the "
        "canonical JSON/YAML format. Importing the same plan again updates it in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("plan.txt, plan.json, plan.yaml"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("parse and report, write nothing")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            parsed = load_plan_file(path)
        except PlanParseError as exc:
            raise CommandError(f"{path}: {exc}") from None
        for warning in parsed.warnings:
            self.stderr.write(
                self.style.WARNING(
                    _("warning: %(path)s: %(warning)s") % {"path": path, "warning": warning}
                )
            )
        if options["dry_run"]:
            self.stdout.write(
                _("%(path)s: valid Work Plan %(symbol)s (nothing written).")
                % {"path": path, "symbol": parsed.plan.symbol}
            )
            return
        try:
            result = plan_import(document=parsed.plan, actor=SYSTEM)
        except PlanImportError as exc:
            raise CommandError(f"{path}: {exc}") from None
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                (
                    _(
                        "Imported %(symbol)s (%(year)s): %(work_areas)s work areas, "
                        "%(programs)s programs, %(projects)s projects, %(targets)s targets "
                        "(%(numeric_targets)s numeric), %(mandate_sources)s mandate sources, "
                        "%(partners)s partners."
                    )
                    if result.created
                    else _(
                        "Updated %(symbol)s (%(year)s): %(work_areas)s work areas, "
                        "%(programs)s programs, %(projects)s projects, %(targets)s targets "
                        "(%(numeric_targets)s numeric), %(mandate_sources)s mandate sources, "
                        "%(partners)s partners."
                    )
                )
                % {"symbol": result.plan.symbol, "year": result.plan.year, **counts}
            )
        )
