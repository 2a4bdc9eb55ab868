"""Who holds which role, in which scope: memberships.

The bottom of the permission layers: this app imports only :mod:`cicte.core`; its foreign
keys name the directory and plan models by string. Every app's ``permissions.py`` builds
on :mod:`cicte.access.permissions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SECRETARIAT = "secretariat", _("Secretariat staff")
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    POINT_OF_CONTACT = "point_of_contact", _("Member state point of contact")
    DONOR = "donor", _("Donor")


#: Roles that may use the staff workspace.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.SECRETARIAT, Role.PROGRAM_MANAGER})


class Membership(models.Model):
    """One role of one user, in one scope. A user holds any number of memberships and may do
    the union of what each allows (a program manager of 1.A who is also the point of contact
    of Jamaica edits 1.A's events *and* speaks for Jamaica).

    Scope by role: a point of contact has a ``member_state``; a program manager a
    ``program``; a donor an ``organization`` (whose funded work they follow); administrators
    and Secretariat staff have none. Modules add their own roles and scopes (communities,
    exercises) as they land. Permission questions are answered by
    :mod:`cicte.access.permissions`, never by reading these rows in views.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
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
    program = models.ForeignKey(
        "plan.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
        help_text=_("For program managers: the program they manage."),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
        help_text=_("For donors: the organization whose funded work they follow."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user_id", "role", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(
                        role="point_of_contact",
                        member_state__isnull=False,
                        program__isnull=True,
                        organization__isnull=True,
                    )
                    | models.Q(
                        role="program_manager",
                        program__isnull=False,
                        member_state__isnull=True,
                        organization__isnull=True,
                    )
                    | models.Q(
                        role="donor",
                        organization__isnull=False,
                        member_state__isnull=True,
                        program__isnull=True,
                    )
                    | models.Q(
                        role__in=["administrator", "secretariat"],
                        member_state__isnull=True,
                        program__isnull=True,
                        organization__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.member_state or self.program or self.organization
        label = self.get_role_display()
        return f"{self.user} — {label} ({scope})" if scope else f"{self.user} — {label}"

    @property
    def scope_label(self) -> str:
        if self.member_state_id:
            return str(self.member_state)
        if self.program_id:
            return str(self.program.code if self.program else "")
        if self.organization_id:
            return str(self.organization)
        return ""
