"""cicte ensure-admin — create the first administrator when there is none (used by `make run`)."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Create an 'admin' superuser with a random password when no superuser exists, print it "
        "and keep it in var/initial-admin-password.txt. Does nothing otherwise."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username="admin", email="", password=password)
        path = settings.VAR_DIR / "initial-admin-password.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"admin\n{password}\n", encoding="utf-8")
        os.chmod(path, 0o600)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created the administrator 'admin' with password %(password)s "
                    "(also in %(path)s). Change it after signing in."
                )
                % {"password": password, "path": path}
            )
        )
