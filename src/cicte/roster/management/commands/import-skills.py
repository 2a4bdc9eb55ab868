"""cicte import-skills [FILE]: import the NICE Framework work roles from its official
components JSON (CPRT export, plain or gzip); without FILE, NIST's v2.0.0 file shipped
with the app (``roster/data/``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.errors import ApplicationError
from cicte.core.types import SYSTEM
from cicte.roster.services import skills_import
from cicte.roster.skills import SHIPPED_FILE, SkillsFileError, parse_nice_json

SHIPPED = Path(__file__).resolve().parents[2] / "data" / SHIPPED_FILE


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Import the NICE Framework work roles (official components JSON) as roster skills."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(SHIPPED),
            help=_("the components JSON, plain or gzip (default: the NIST file shipped)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            parsed = parse_nice_json(path.read_bytes())
        except FileNotFoundError:
            raise CommandError(_("No such file: %(path)s") % {"path": path}) from None
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        except SkillsFileError as exc:
            raise CommandError(f"{path}: {exc}") from None
        try:
            created, updated = skills_import(actor=SYSTEM, parsed=parsed)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _(
                "%(source)s %(version)s: %(created)s skills created, %(updated)s updated "
                "(%(read)s work roles read)."
            )
            % {
                "source": parsed.source,
                "version": parsed.version,
                "created": created,
                "updated": updated,
                "read": len(parsed.skills),
            }
        )
