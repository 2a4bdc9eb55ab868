"""Donors, contributions (in their own currency, with the rate to US dollars recorded),
project budgets and the estimated needs of unfunded targets."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.access import permissions as roles


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def visible_to(self, actor: Any) -> ContributionQuerySet:
        """Secretariat staff read every contribution; a donor those of the organizations
        they follow; everybody else the public funding pages' aggregates only."""
        if roles.is_secretariat(actor):
            return self
        organizations = [o.pk for o in roles.user_donor_organizations(actor)]
        return self.filter(donor__organization_id__in=organizations)


CENT = Decimal("0.01")


class DonorKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member state")
    PERMANENT_OBSERVER = "permanent_observer", _("Permanent observer")
    ORGANIZATION = "organization", _("Organization")


class Donor(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DonorKind.choices)
    member_state = models.OneToOneField(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donor",
        verbose_name=_("member state"),
    )
    organization = models.OneToOneField(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donor",
        verbose_name=_("organization"),
    )
    observer_name = models.CharField(
        _("permanent observer"), max_length=200, blank=True, help_text=_("e.g. Spain, Japan")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="member_state",
                        member_state__isnull=False,
                        organization__isnull=True,
                        observer_name="",
                    )
                    | models.Q(
                        kind="organization",
                        organization__isnull=False,
                        member_state__isnull=True,
                        observer_name="",
                    )
                    | (
                        models.Q(
                            kind="permanent_observer",
                            member_state__isnull=True,
                            organization__isnull=True,
                        )
                        & ~models.Q(observer_name="")
                    )
                ),
                name="donor_kind_matches_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.member_state_id:
            return self.member_state.name  # type: ignore[union-attr]
        if self.organization_id:
            return str(self.organization)
        return self.observer_name


class ContributionStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    RECEIVED = "received", _("Received")


class Contribution(models.Model):
    """Money from a donor, earmarked to a project or a program, or unearmarked (plan-level)."""

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("donor")
    )
    plan = models.ForeignKey(
        "plan.WorkPlan",
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("plan"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContributionStatus.choices,
        default=ContributionStatus.PLEDGED,
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3, default="USD")
    rate_to_usd = models.DecimalField(
        _("rate to US dollars"),
        max_digits=18,
        decimal_places=8,
        default=Decimal(1),
        help_text=_("US dollars for one unit of the currency, on the date recorded."),
    )
    project = models.ForeignKey(
        "plan.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("project"),
    )
    program = models.ForeignKey(
        "plan.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("program"),
    )
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = ContributionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="contribution_amount_pos"
            ),
            models.CheckConstraint(
                condition=models.Q(rate_to_usd__gt=0), name="contribution_rate_pos"
            ),
            models.CheckConstraint(
                condition=models.Q(project__isnull=True) | models.Q(program__isnull=True),
                name="contribution_one_earmark",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.amount} {self.currency}"

    @property
    def amount_usd(self) -> Decimal:
        return (self.amount * self.rate_to_usd).quantize(CENT, rounding=ROUND_HALF_UP)


class Budget(models.Model):
    """The budget of a project, in US dollars."""

    project = models.OneToOneField(
        "plan.Project", on_delete=models.CASCADE, related_name="budget", verbose_name=_("project")
    )
    amount_usd = models.DecimalField(_("budget (USD)"), max_digits=16, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_usd__gte=0), name="budget_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.amount_usd}"


class FundingNeed(models.Model):
    """What an unfunded target ("to be determined once funding is identified") would need."""

    target = models.OneToOneField(
        "plan.Target",
        on_delete=models.CASCADE,
        related_name="funding_need",
        verbose_name=_("target"),
    )
    estimated_usd = models.DecimalField(_("estimated need (USD)"), max_digits=16, decimal_places=2)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding need")
        verbose_name_plural = _("funding needs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_usd__gte=0), name="funding_need_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.estimated_usd}"
