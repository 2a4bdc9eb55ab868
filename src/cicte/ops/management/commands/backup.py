"""cicte backup [-o DIR] [--keep N]: the database, media files and a manifest, in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicte.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump for PostgreSQL) and every "
        "media file into one .tar.gz with a manifest of SHA-256 checksums and table row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output-dir",
            type=Path,
            default=None,
            help="Directory for the backup (CICTE_BACKUP_DIR, default var/backups).",
        )
        parser.add_argument(
            "--keep", type=int, default=None, help="Keep only the N newest backups there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be 1 or more.")
        try:
            result = backup_create(output_dir=options["output_dir"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written: {result.path} ({manifest['engine']}, "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} media files)"
        )
