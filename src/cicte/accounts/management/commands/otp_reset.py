"""cicte otp-reset USERNAME — remove a user's two-factor devices (lost phone).

The user enrols again at the next sign-in (administrators are sent to enrolment)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Remove a user's TOTP devices so they can enrol a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        with transaction.atomic():
            count, _detail = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {count} two-factor device(s) of {user.get_username()}.")
