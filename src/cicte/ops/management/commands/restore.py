"""cicte restore FILE --yes: verify a backup, then replace the database and media with it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.ops.backup import BackupError, backup_open, backup_restore


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Restore a backup made by 'cicte backup'. Every checksum is verified first: a "
        "truncated or altered backup is refused and the database is left as it was. Stop the "
        "web server, worker and scheduler before restoring."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help=_("The .tar.gz written by 'cicte backup'."))
        parser.add_argument(
            "--yes", action="store_true", help=_("Do not ask: replace the database and media.")
        )
        parser.add_argument(
            "--verify-only", action="store_true", help=_("Only check the backup; change nothing.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["backup"]
        try:
            if options["verify_only"]:
                with backup_open(path) as (_work, manifest):
                    self.stdout.write(
                        _(
                            "Backup verified: %(file)s (%(engine)s, made %(created)s, "
                            "%(media)s media files)"
                        )
                        % {
                            "file": path.name,
                            "engine": manifest["engine"],
                            "created": manifest["created"],
                            "media": len(manifest["media"]),
                        }
                    )
                return
            if not options["yes"]:
                if not sys.stdin.isatty():
                    raise CommandError(
                        _("Restoring replaces the database and the media files: add --yes.")
                    )
                answer = input(
                    _("Replace the database and the media files with this backup? [y/N] ")
                )
                # "y"/"yes" in every language, and the translated word for yes
                yes = {"y", "yes", _("y"), _("yes")}
                if answer.strip().lower() not in yes:
                    raise CommandError(_("Restore cancelled; nothing changed."))
            manifest = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(file)s: %(tables)s tables (%(rows)s rows, counts checked) and "
                    "%(media)s media files (checksums checked)."
                )
                % {
                    "file": path.name,
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "media": len(manifest["media"]),
                }
            )
        )
