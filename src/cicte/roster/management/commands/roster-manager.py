"""cicte roster-manager grant|revoke USERNAME: vetted roster managers (Secretariat staff
who may read experts' sensitive data)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand
from cicte.core.errors import ApplicationError
from cicte.core.types import SYSTEM
from cicte.roster.services import manager_grant, manager_revoke


class Command(TranslatedCommand):
    help = gettext_lazy("Grant or revoke the vetted roster-manager role.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["grant", "revoke"], help=_("grant or revoke"))
        parser.add_argument("username", help=_("a Secretariat staff member's user name"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user '%(username)s'.") % {"username": options["username"]})
        try:
            if options["action"] == "grant":
                manager_grant(actor=SYSTEM, user=user)
            else:
                manager_revoke(actor=SYSTEM, user=user)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        done = (
            _("Granted the roster-manager role: %(username)s")
            if options["action"] == "grant"
            else _("Revoked the roster-manager role: %(username)s")
        )
        self.stdout.write(done % {"username": user.get_username()})
