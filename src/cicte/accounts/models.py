"""Users' roles and scopes, and API tokens.

One :class:`UserProfile` per user holds the role and its scope: the member state of a point
of contact, the programs of a program manager, the organization of a donor. Permission
questions are answered by :mod:`cicte.accounts.permissions`, never by reading these fields
in views. ``auth.User`` is registered with django-simple-history here so that changes to
users (activation, staff flags, e-mail) are audited like everything else.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SECRETARIAT = "secretariat", _("Secretariat staff")
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    POINT_OF_CONTACT = "point_of_contact", _("Member state point of contact")
    DONOR = "donor", _("Donor")


#: Roles that may use the staff workspace.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.SECRETARIAT, Role.PROGRAM_MANAGER})


class UserProfile(models.Model):
    """The role of one user and the scope of that role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member_state = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member state"),
        help_text=_("For points of contact: the country they represent."),
    )
    programs = models.ManyToManyField(
        "plan.Program",
        blank=True,
        related_name="+",
        verbose_name=_("programs"),
        help_text=_("For program managers: the programs they manage."),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor organization"),
        help_text=_("For donors: the organization whose funded work they follow."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[programs])

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A named API token. Only ``prefix`` (to find it) and the SHA-256 of the secret are kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("SHA-256 of the secret"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


# Audit users too (activation, staff flags, names, e-mail). Password hashes and last_login
# are not copied into the history table.
register(get_user_model(), app="cicte.accounts", excluded_fields=["last_login", "password"])
