"""cicte roster-manager grant|revoke USERNAME: vetted roster managers (Secretariat staff
who may read experts' sensitive data)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cicte.core.errors import ApplicationError
from cicte.core.types import SYSTEM
from cicte.roster.services import manager_grant, manager_revoke


class Command(BaseCommand):
    help = "Grant or revoke the vetted roster-manager role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["grant", "revoke"])
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        try:
            if options["action"] == "grant":
                manager_grant(actor=SYSTEM, user=user)
            else:
                manager_revoke(actor=SYSTEM, user=user)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{options['action']}ed: {user.get_username()}")
