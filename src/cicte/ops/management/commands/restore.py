"""cicte restore FILE --yes: verify a backup, then replace the database and media with it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicte.ops.backup import BackupError, backup_open, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'cicte backup'. Every checksum is verified first: a "
        "truncated or altered backup is refused and the database is left as it was. Stop the "
        "web server, worker and scheduler before restoring."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="The .tar.gz written by 'cicte backup'.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: replace the database and media."
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="Only check the backup; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["backup"]
        try:
            if options["verify_only"]:
                with backup_open(path) as (_, manifest):
                    self.stdout.write(
                        f"Backup verified: {path.name} ({manifest['engine']}, made "
                        f"{manifest['created']}, {len(manifest['media'])} media files)"
                    )
                return
            if not options["yes"]:
                if not sys.stdin.isatty():
                    raise CommandError(
                        "Restoring replaces the database and the media files: add --yes."
                    )
                answer = input("Replace the database and the media files with this backup? [y/N] ")
                if answer.strip().lower() not in {"y", "yes"}:
                    raise CommandError("Restore cancelled; nothing changed.")
            manifest = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path.name}: {len(manifest['tables'])} tables ({rows} rows, counts "
                f"checked) and {len(manifest['media'])} media files (checksums checked)."
            )
        )
