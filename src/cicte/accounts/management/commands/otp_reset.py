"""cicte otp-reset USERNAME — remove a user's two-factor devices (lost phone).

The user enrols again at the next sign-in (administrators are sent to enrolment)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.core.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy("Remove a user's TOTP devices so they can enrol a new one.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help=_("the user who lost their device"))

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user '%(username)s'.") % {"username": options["username"]})
        with transaction.atomic():
            count, _detail = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(
            ngettext(
                "Removed %(count)s two-factor device of %(username)s.",
                "Removed %(count)s two-factor devices of %(username)s.",
                count,
            )
            % {"count": count, "username": user.get_username()}
        )
