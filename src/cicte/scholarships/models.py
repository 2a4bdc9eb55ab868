"""Scholarships from call to completion: a call per course linked to the plan's scholarship
target, nominations by member states' points of contact, selection within seats, award,
waitlist, completion (certificate), counted toward the target through a delivery event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.scholarships import permissions


class CallQuerySet(models.QuerySet["ScholarshipCall"]):
    def visible_to(self, actor: Any) -> CallQuerySet:
        condition = permissions.call_visibility_filter(actor)
        return self.none() if condition is None else self.filter(condition)


class NominationQuerySet(models.QuerySet["Nomination"]):
    def visible_to(self, actor: Any) -> NominationQuerySet:
        """Nominations (personal data) ``actor`` may read."""
        condition = permissions.nomination_visibility_filter(actor)
        return self.none() if condition is None else self.filter(condition)


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for nominations")
    CLOSED = "closed", _("Closed (selection)")
    AWARDED = "awarded", _("Awarded")


class ScholarshipCall(models.Model):
    """A call for scholarships to one course (e.g. an ICAO aviation security course)."""

    plan = models.ForeignKey(
        "plan.WorkPlan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    target = models.ForeignKey(
        "plan.Target",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scholarship target"),
        help_text=_("The plan's target the completed scholarships count toward (1.B.3)."),
    )
    course = models.CharField(_("course"), max_length=300)
    provider = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider"),
    )
    funding_source = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor / funding source"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    city = models.CharField(_("place"), max_length=200, blank=True)
    host_state = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host member state"),
    )
    seats = models.PositiveIntegerField(_("seats"))
    nomination_deadline = models.DateTimeField(_("nomination deadline"))
    # Eligibility: every criterion that is set must hold.
    eligible_states = models.ManyToManyField(
        "directory.MemberState",
        blank=True,
        related_name="+",
        verbose_name=_("eligible member states"),
        help_text=_("Empty: every member state."),
    )
    eligible_subregions = models.JSONField(_("eligible subregions"), default=list, blank=True)
    small_islands_only = models.BooleanField(_("small island states only"), default=False)
    profile = models.TextField(_("profile sought"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    public = models.BooleanField(_("shown to the public"), default=False)
    #: The delivery event that counts the completed scholarships toward the target.
    event = models.OneToOneField(
        "delivery.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = CallQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[eligible_states])

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("scholarship call")
        verbose_name_plural = _("scholarship calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="scholarship_call_end_after_start",
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="scholarship_seats_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.start_date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("workspace:scholarship-call", args=[self.pk])


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated (awaiting the nominee's confirmation)")
    CONFIRMED = "confirmed", _("Confirmed by the nominee")
    ACCEPTED = "accepted", _("Awarded")
    WAITLISTED = "waitlisted", _("Waitlisted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")


class Sex(models.TextChoices):
    FEMALE = "f", _("Woman")
    MALE = "m", _("Man")
    NOT_STATED = "x", _("Not stated")


class Nomination(models.Model):
    """An official nominated by their member state's point of contact. Personal data:
    Secretariat staff and the nominating state's points of contact only."""

    call = models.ForeignKey(ScholarshipCall, on_delete=models.CASCADE, related_name="nominations")
    member_state = models.ForeignKey(
        "directory.MemberState", on_delete=models.PROTECT, related_name="+"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_STATED)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=5, default="en")
    justification = models.TextField(_("justification"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    #: sha256 of the confirmation link's secret (the secret itself is only in the e-mail).
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    certificate = models.FileField(_("certificate"), upload_to="scholarships/%Y/", blank=True)
    certificate_issued = models.BooleanField(default=False)
    #: The named participant of the scholarship event, once completed.
    participant = models.ForeignKey(
        "delivery.Participant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = NominationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["confirm_token_hash"])

    class Meta:
        ordering = ["call", "rank", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [models.Index(fields=["call", "status"], name="nomination_call_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.member_state_id})"


class NominationDocument(models.Model):
    """A supporting document of a nomination (type-checked by content)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="scholarships/documents/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nomination", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class TravelStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    TRAVELLED = "travelled", _("Travelled")
    CANCELLED = "cancelled", _("Cancelled")


class Travel(models.Model):
    """The travel of one awardee: itinerary and dates, status, cost (staff only)."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="travel")
    departure = models.DateField(_("departure"))
    return_date = models.DateField(_("return"))
    itinerary = models.CharField(_("itinerary"), max_length=500)
    status = models.CharField(
        _("travel status"), max_length=12, choices=TravelStatus.choices, default=TravelStatus.BOOKED
    )
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("travel")
        verbose_name_plural = _("travel")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(return_date__gte=models.F("departure")),
                name="scholarship_travel_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.departure} – {self.return_date}"
