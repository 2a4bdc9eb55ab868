from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.directory.countries import country_name


class Subregion(models.TextChoices):
    NORTH_AMERICA = "north_america", _("North America")
    CENTRAL_AMERICA = "central_america", _("Central America")
    CARIBBEAN = "caribbean", _("Caribbean")
    SOUTH_AMERICA = "south_america", _("South America")


class MemberState(models.Model):
    """One of the 35 OAS member states (loaded by a data migration)."""

    code = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    alpha2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    subregion = models.CharField(_("subregion"), max_length=20, choices=Subregion.choices)
    small_island_state = models.BooleanField(_("small island state"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("public:member-state", args=[self.code])

    @property
    def name(self) -> str:
        """The country's name in the active language."""
        return country_name(self.code, get_language() or "en")


class OrganizationGroup(models.TextChoices):
    OAS_GENERAL_SECRETARIAT = "oas_general_secretariat", _("OAS General Secretariat")
    INTER_AMERICAN = "inter_american", _("Other inter-American organs, agencies and entities")
    INTERNATIONAL = "international", _("International, regional and subregional organizations")
    GOVERNMENT = "government", _("Governments (member states and permanent observers)")
    OTHER = "other", _("Other (donors, private sector, academia)")


class Organization(models.Model):
    """A partner organization or a donor."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True, db_index=True)
    group = models.CharField(
        _("group"), max_length=30, choices=OrganizationGroup.choices, default="other"
    )
    parent_unit = models.CharField(_("parent unit"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return (
            f"{self.name} ({self.acronym})"
            if self.acronym and self.acronym != self.name
            else (self.name)
        )

    @property
    def short_name(self) -> str:
        return self.acronym or self.name
