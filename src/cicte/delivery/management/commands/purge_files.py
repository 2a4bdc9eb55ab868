"""cicte purge-files — delete attachment files that nothing refers to any more.

Deleting an attachment (or its event) keeps the file, so that restoring it from the history
brings the document back. Once the history that refers to a file is purged (for example with
``cicte clean_old_history --days N``), this command removes the files that neither a live
attachment nor a historical record names. ``--dry-run`` lists them.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.delivery.models import Attachment

ROOT = "attachments"


def _walk(path: str) -> list[str]:
    try:
        directories, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    found = [f"{path}/{name}" for name in files]
    for directory in directories:
        found.extend(_walk(f"{path}/{directory}"))
    return found


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Delete attachment files no live attachment and no history record refers to."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help=_("list, do not delete"))

    def handle(self, *args: Any, **options: Any) -> None:
        referenced = set(Attachment.objects.values_list("file", flat=True))
        referenced |= set(Attachment.history.values_list("file", flat=True))
        orphans = [name for name in _walk(ROOT) if name not in referenced]
        for name in orphans:
            if not options["dry_run"]:
                default_storage.delete(name)
        message = (
            _("Would delete %(count)s file(s) no record refers to.")
            if options["dry_run"]
            else _("Deleted %(count)s file(s) no record refers to.")
        )
        self.stdout.write(message % {"count": len(orphans)})
