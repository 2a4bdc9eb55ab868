"""Requests for technical assistance from member states, and the trail of their workflow."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.access import permissions as roles


class AssistanceRequestQuerySet(models.QuerySet["AssistanceRequest"]):
    def visible_to(self, actor: Any) -> AssistanceRequestQuerySet:
        """Secretariat staff read every request; a point of contact those of the member
        states they speak for; nobody else any (other states never learn of a request)."""
        if roles.is_secretariat(actor):
            return self
        return self.filter(member_state_id__in=roles.user_member_state_ids(actor))


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")


class AssistanceRequest(models.Model):
    """A member state's request for technical assistance.

    ``contact_name``/``contact_email`` are personal data: shown to Secretariat staff and the
    requesting country's points of contact only.
    """

    member_state = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        verbose_name=_("member state"),
    )
    work_area = models.ForeignKey(
        "plan.WorkArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistance_requests",
        verbose_name=_("work area"),
    )
    program = models.ForeignKey(
        "plan.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistance_requests",
        verbose_name=_("program"),
    )
    title = models.CharField(_("subject"), max_length=200)
    needs = models.TextField(_("what is needed"))
    preferred_start = models.DateField(_("preferred start date"), null=True, blank=True)
    preferred_end = models.DateField(_("preferred end date"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    project = models.ForeignKey(
        "plan.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistance_requests",
        verbose_name=_("linked project"),
    )
    target = models.ForeignKey(
        "plan.Target",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistance_requests",
        verbose_name=_("linked target"),
    )
    events = models.ManyToManyField(
        "delivery.Event",
        blank=True,
        related_name="assistance_requests",
        verbose_name=_("linked events"),
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    objects = AssistanceRequestQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[events])

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")
        indexes = [
            models.Index(fields=["member_state", "status"], name="assist_req_state_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(preferred_end__isnull=True)
                | models.Q(preferred_start__isnull=True)
                | models.Q(preferred_end__gte=models.F("preferred_start")),
                name="assist_req_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:assistance-request", args=[self.pk])


class RequestTransition(models.Model):
    """One step of a request's workflow: who moved it, when, from which status to which."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=RequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request transition")
        verbose_name_plural = _("request transitions")

    def __str__(self) -> str:
        return f"#{self.request_id}: {self.from_status or '—'} → {self.to_status}"


class NotificationStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class RequestNotification(models.Model):
    """The outcome of the e-mail sent after a transition (a failure never undoes the step)."""

    transition = models.ForeignKey(
        RequestTransition, on_delete=models.CASCADE, related_name="notifications"
    )
    recipients = models.TextField(_("recipients"))
    status = models.CharField(_("status"), max_length=10, choices=NotificationStatus.choices)
    error = models.TextField(_("error"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request notification")
        verbose_name_plural = _("request notifications")

    def __str__(self) -> str:
        return f"{self.transition_id} {self.status}"


class ReminderLog(models.Model):
    """A reminder e-mail actually sent by ``cicte remind`` (written only after sending)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    items = models.PositiveIntegerField(_("items"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return f"{self.email} {self.sent_at:%Y-%m-%d}"
