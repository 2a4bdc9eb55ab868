"""cicte forum-digest daily|weekly: send the forum's digests (one function, so a scheduler
can call :func:`cicte.forum.notifications.send_digests` instead)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.forum.models import Frequency
from cicte.forum.notifications import send_digests


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Send the forum's daily or weekly digests (each recipient gets only what they may read)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", choices=[Frequency.DAILY, Frequency.WEEKLY])

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests(options["frequency"])
        self.stdout.write(_("Sent %(count)s digest(s).") % {"count": sent})
