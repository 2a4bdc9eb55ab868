"""The sharing layer: the vetted directory (organisations, their people), communities and
their memberships, and :class:`Shared`, the abstract marking + audience every module's
restricted content inherits (with :class:`SharedQuerySet.visible_to`).

Foreign keys to other apps are strings; the layer imports only access, directory and core.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.sharing import permissions
from cicte.sharing.markings import PAP, TLP, AudienceKind, audience_constraint


class OrganisationKind(models.TextChoices):
    NATIONAL_CSIRT = "national_csirt", _("National CSIRT")
    GOVERNMENT = "government", _("Government agency")
    PRIVATE = "private", _("Private company")
    INTERNATIONAL = "international", _("International body")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    FINANCE = "finance", _("Finance")
    ENERGY = "energy", _("Energy")
    TELECOMMUNICATIONS = "telecommunications", _("Telecommunications")
    HEALTH = "health", _("Health")
    TRANSPORT = "transport", _("Transport")
    WATER = "water", _("Water")
    EDUCATION = "education", _("Education")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    OTHER = "other", _("Other")


class SharingOrganisation(models.Model):
    """A vetted organisation of the directory: a national CSIRT, an agency, a company, an
    international body. Contact data and keys are shown only to vetted members."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default="other")
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    pgp_key = models.TextField(
        _("PGP public key"),
        blank=True,
        help_text=_("Paste the armoured public key; its fingerprint and expiry are read from it."),
    )
    pgp_fingerprint = models.CharField(_("PGP fingerprint"), max_length=64, blank=True)
    pgp_uid = models.CharField(_("PGP key user id"), max_length=200, blank=True)
    pgp_expires = models.DateField(_("PGP key expires"), null=True, blank=True)
    pgp_can_encrypt = models.BooleanField(_("PGP key can encrypt"), default=True)
    listed_publicly = models.BooleanField(
        _("listed publicly"), default=False, help_text=_("The public sees the name only.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def key_warning(self, today: dt.date | None = None) -> str:
        """Why mail to this organisation cannot be encrypted ("" when the key is usable)."""
        if not self.pgp_fingerprint:
            return ""
        today = today or timezone.localdate()
        if self.pgp_expires is not None and self.pgp_expires <= today:
            return str(_("The PGP key has expired."))
        if not self.pgp_can_encrypt:
            return str(_("The PGP key cannot encrypt."))
        return ""


class OrganisationMember(models.Model):
    """A person of an organisation (their affiliation, vetted when their community
    membership is approved)."""

    organisation = models.ForeignKey(
        SharingOrganisation, on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_affiliations"
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_affiliation")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class CommunityKind(models.TextChoices):
    CSIRT = "csirt", _("CSIRT community (3.A.2)")
    STAKEHOLDER = "stakeholder", _("Stakeholder community (3.A.6)")


class MembershipPolicy(models.TextChoices):
    SPONSORED = "sponsored", _("Two sponsors, then the Secretariat approves")
    APPROVAL = "approval", _("The Secretariat approves")


class Community(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CommunityKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    default_tlp = models.CharField(
        _("default TLP"), max_length=20, choices=TLP.choices, default=TLP.AMBER
    )
    policy = models.CharField(
        _("membership policy"),
        max_length=20,
        choices=MembershipPolicy.choices,
        default=MembershipPolicy.SPONSORED,
    )
    hidden_membership = models.BooleanField(
        _("hidden membership"),
        default=False,
        help_text=_("Members see only how many members there are."),
    )
    host = models.ForeignKey(
        SharingOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_communities",
        verbose_name=_("host"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")


class CommunityRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")


class CommunityMembership(models.Model):
    """A person's membership of a community, on behalf of an organisation. Requested with
    sponsors, approved by the Secretariat; every step is in the history."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_memberships",
    )
    organisation = models.ForeignKey(
        SharingOrganisation, on_delete=models.PROTECT, related_name="community_memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=CommunityRole.choices, default=CommunityRole.MEMBER
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
    )
    message = models.TextField(_("message"), blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["community", "organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_community_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.community} ({self.status})"


class Sponsorship(models.Model):
    """An existing member named as sponsor of a request; ``endorsed_at`` once they agree."""

    membership = models.ForeignKey(
        CommunityMembership, on_delete=models.CASCADE, related_name="sponsorships"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sponsorships"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "sponsor"], name="one_sponsorship")
        ]

    def __str__(self) -> str:
        return f"{self.sponsor} sponsors {self.membership_id}"


class SharedQuerySet(models.QuerySet):
    """``visible_to(actor)``: the one read filter of every restricted item (lists, pages,
    counts, search, autocomplete, API, TAXII, exports, mail, attachments)."""

    def visible_to(self, actor: Any) -> SharedQuerySet:
        condition = permissions.visibility_filter(actor)
        # Through a sub-select: the many-to-many joins must not duplicate rows.
        ids = self.model._default_manager.filter(condition).values("pk")
        return self.filter(pk__in=ids)


class Shared(models.Model):
    """A marking (TLP 2.0, optional PAP) and an audience that agrees with it (checked in the
    services and, for the kind, by the database), posted in a community by an originator."""

    tlp = models.CharField(_("TLP"), max_length=20, choices=TLP.choices)
    pap = models.CharField(_("PAP"), max_length=10, choices=PAP.choices, blank=True)
    audience_kind = models.CharField(_("audience"), max_length=20, choices=AudienceKind.choices)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    audience_organisations = models.ManyToManyField(
        SharingOrganisation, blank=True, related_name="+", verbose_name=_("organisations")
    )
    audience_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people")
    )
    originator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("originator"),
    )
    originator_organisation = models.ForeignKey(
        SharingOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("originator's organisation"),
    )

    objects = SharedQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_audience_agrees_with_tlp",
                condition=audience_constraint(),
            )
        ]

    @property
    def tlp_label(self) -> str:
        return TLP(self.tlp).label


class ReshareStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the originator")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ReshareRequest(models.Model):
    """A recipient asks the originator to share an item more widely (FIRST's rule: only the
    originator widens an audience)."""

    item_type = models.CharField(max_length=100)  # "forum.thread"
    item_id = models.PositiveIntegerField()
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    originator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    wanted_tlp = models.CharField(_("wanted TLP"), max_length=20, choices=TLP.choices)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        max_length=20, choices=ReshareStatus.choices, default=ReshareStatus.OPEN
    )
    decision_note = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.item_type} {self.item_id} → {self.wanted_tlp}"


class Removal(models.Model):
    """An administrator's break-glass removal of an item they could not read: what was
    removed (kind, id, label), by whom, why. The content itself is gone."""

    item_type = models.CharField(max_length=100)
    item_id = models.PositiveIntegerField()
    tlp = models.CharField(max_length=20, choices=TLP.choices)
    originator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField()
    removed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-removed_at"]

    def __str__(self) -> str:
        return f"{self.item_type} {self.item_id} removed"
