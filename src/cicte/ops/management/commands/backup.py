"""cicte backup [-o DIR] [--keep N]: the database, media files and a manifest, in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.ops.backup import BackupError, backup_create


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) and every "
        "media file into one .tar.gz with a manifest of SHA-256 checksums and table row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output-dir",
            type=Path,
            default=None,
            help=_("Directory for the backup (CICTE_BACKUP_DIR, default var/backups)."),
        )
        parser.add_argument(
            "--keep", type=int, default=None, help=_("Keep only the N newest backups there.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError(_("--keep must be 1 or more."))
        try:
            result = backup_create(output_dir=options["output_dir"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            _(
                "Backup written: %(path)s (%(engine)s, %(tables)s tables, %(rows)s rows, "
                "%(media)s media files)"
            )
            % {
                "path": result.path,
                "engine": manifest["engine"],
                "tables": len(manifest["tables"]),
                "rows": rows,
                "media": len(manifest["media"]),
            }
        )
