"""cicte create-api-token USERNAME NAME [--days N] — issue an API token (printed once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.accounts.services import token_create
from cicte.core.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("Create an API token for a user and print it (it is shown only this once).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("the user the token acts as"))
        parser.add_argument("name", help=_("what the token is for, e.g. 'nightly export'"))
        parser.add_argument("--days", type=int, default=None, help=_("expire after N days"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(
                _("No active user '%(username)s'.") % {"username": options["username"]}
            )
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError(_("--days must be 1 or more."))
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            issued = token_create(actor=user, name=options["name"], expires_at=expires_at)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(issued.secret)
