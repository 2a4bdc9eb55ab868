"""cicte import-plan PATH — read a Work Plan (2012 text layout, JSON or YAML) into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicte.core.types import SYSTEM
from cicte.plan.parsing.canonical import load_plan_file
from cicte.plan.parsing.types import PlanParseError
from cicte.plan.services import PlanImportError, plan_import


class Command(BaseCommand):
    help = (
        "Import a Work Plan from its text extraction (the layout of the 2012 plan), or from the "
        "canonical JSON/YAML format. Importing the same plan again updates it in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="plan.txt, plan.json, plan.yaml")
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            parsed = load_plan_file(path)
        except PlanParseError as exc:
            raise CommandError(f"{path}: {exc}") from None
        for warning in parsed.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {path}: {warning}"))
        if options["dry_run"]:
            self.stdout.write(f"{path}: valid Work Plan {parsed.plan.symbol} (nothing written).")
            return
        try:
            result = plan_import(document=parsed.plan, actor=SYSTEM)
        except PlanImportError as exc:
            raise CommandError(f"{path}: {exc}") from None
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Imported' if result.created else 'Updated'} {result.plan.symbol} "
                f"({result.plan.year}): {counts['work_areas']} work areas, "
                f"{counts['programs']} programs, {counts['projects']} projects, "
                f"{counts['targets']} targets ({counts['numeric_targets']} numeric), "
                f"{counts['mandate_sources']} mandate sources, {counts['partners']} partners."
            )
        )
