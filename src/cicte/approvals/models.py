"""Approval of a program's reporting half-year: submitted, approved (locked) or returned,
unlocked with a reason; and the approvals each published report rests on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApprovalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    UNLOCKED = "unlocked", _("Unlocked")


class PeriodApproval(models.Model):
    """One program of one plan for one half-year ("2012-H1"). Approved: its events are
    locked (every write path of delivery refuses them) until an administrator unlocks."""

    plan = models.ForeignKey(
        "plan.WorkPlan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    program = models.ForeignKey(
        "plan.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    period = models.CharField(_("period"), max_length=10)
    status = models.CharField(_("status"), max_length=12, choices=ApprovalStatus.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: The latest approval; kept after an unlock, so "changed since approval" still knows it.
    approved_at = models.DateTimeField(_("approved at"), null=True)
    reason = models.TextField(_("reason"), blank=True)  # of the latest return or unlock
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "period", "program__position"]
        verbose_name = _("period approval")
        verbose_name_plural = _("period approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "program", "period"], name="approval_plan_program_period"
            )
        ]
        indexes = [models.Index(fields=["status", "plan"], name="approval_status_plan")]

    def __str__(self) -> str:
        return f"{self.program_id} {self.period} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("workspace:approval", args=[self.program_id, self.period])


class StepAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    UNLOCKED = "unlocked", _("Unlocked")


class ApprovalStep(models.Model):
    """One step of an approval, with who took it and why (the timeline shown to users)."""

    approval = models.ForeignKey(PeriodApproval, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=12, choices=StepAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["approval", "at", "id"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self) -> str:
        return f"{self.approval_id} {self.action}"


class PublicationBasis(models.Model):
    """A published report rests on this approval (as it stood when published)."""

    report = models.ForeignKey(
        "reports.PublishedReport", on_delete=models.CASCADE, related_name="+"
    )
    approval = models.ForeignKey(PeriodApproval, on_delete=models.CASCADE, related_name="bases")
    approved_at = models.DateTimeField(_("approved at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "approval"]
        verbose_name = _("publication basis")
        verbose_name_plural = _("publication bases")
        constraints = [
            models.UniqueConstraint(fields=["report", "approval"], name="basis_report_approval")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} ← {self.approval_id}"
