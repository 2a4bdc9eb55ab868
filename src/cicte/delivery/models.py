"""What the Secretariat delivered: events, the targets they count toward, participants."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.delivery import permissions


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, actor: Any) -> EventQuerySet:
        """The events ``actor`` may read (see :mod:`cicte.delivery.permissions`)."""
        condition = permissions.event_visibility_filter(actor)
        if condition is None:
            return self.none()
        if condition == models.Q():
            return self
        # A subquery keeps the result free of the duplicates the beneficiaries join makes.
        return self.filter(pk__in=Event.objects.filter(condition).values("pk"))


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, actor: Any) -> ParticipantQuerySet:
        """The participants (personal data) ``actor`` may read."""
        condition = permissions.participant_visibility_filter(actor)
        if condition is None:
            return self.none()
        return self.filter(condition)


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    COURSE = "course", _("Course")
    MISSION = "mission", _("Mission")
    EXERCISE = "exercise", _("Exercise")
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
    EVALUATION = "evaluation", _("Evaluation")
    MEETING = "meeting", _("Meeting")
    SCHOLARSHIP = "scholarship", _("Scholarship award")
    OTHER = "other", _("Other")


class Modality(models.TextChoices):
    NATIONAL = "national", _("National")
    BINATIONAL = "binational", _("Bi-national")
    SUBREGIONAL = "subregional", _("Sub-regional")
    REGIONAL = "regional", _("Regional")
    VIRTUAL = "virtual", _("Virtual")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    """Something delivered (or planned): a workshop, course, mission, scholarship award..."""

    plan = models.ForeignKey(
        "plan.WorkPlan", on_delete=models.PROTECT, related_name="events", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    modality = models.CharField(_("modality"), max_length=20, choices=Modality.choices, blank=True)
    city = models.CharField(_("venue city"), max_length=120, blank=True)
    host_state = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host member state"),
    )
    beneficiaries = models.ManyToManyField(
        "directory.MemberState",
        related_name="beneficiary_events",
        blank=True,
        verbose_name=_("beneficiary member states"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    participants_total = models.PositiveIntegerField(_("participants"), default=0)
    participants_women = models.PositiveIntegerField(_("women"), default=0)
    participants_men = models.PositiveIntegerField(_("men"), default=0)
    partners = models.ManyToManyField(
        "directory.Organization",
        related_name="partner_events",
        blank=True,
        verbose_name=_("partner organizations"),
    )
    funding_source = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funded_events",
        verbose_name=_("donor / funding source"),
    )
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Scholarship awards: the course and who provides it (e.g. ICAO).
    course = models.CharField(_("course"), max_length=300, blank=True)
    provider = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provided_events",
        verbose_name=_("provider"),
    )
    # Natural key of a spreadsheet row, so re-importing a file does not duplicate events.
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[beneficiaries, partners])

    class Meta:
        ordering = ["-end_date", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["plan", "status", "end_date"], name="event_plan_status_end"),
            models.Index(fields=["plan", "end_date"], name="event_plan_end"),
            models.Index(fields=["host_state", "end_date"], name="event_host_end"),
            # Newest-first lists without a plan filter (API, a country's or a donor's events).
            models.Index(fields=["-end_date", "-id"], name="event_end_id_desc"),
            # Status filters without a plan (cicte remind, /api/events?status=).
            models.Index(fields=["status", "end_date"], name="event_status_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    participants_total__gte=models.F("participants_women")
                    + models.F("participants_men")
                ),
                name="event_participants_by_sex_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("workspace:event", args=[self.pk])

    @property
    def participants_not_stated(self) -> int:
        return self.participants_total - self.participants_women - self.participants_men


class EventTarget(models.Model):
    """An event counts toward a target with a number of units (default 1)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contributions")
    target = models.ForeignKey(
        "plan.Target", on_delete=models.PROTECT, related_name="contributions"
    )
    units = models.PositiveIntegerField(_("units"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contribution to a target")
        verbose_name_plural = _("contributions to targets")
        constraints = [
            models.UniqueConstraint(fields=["event", "target"], name="event_target_unique"),
            models.CheckConstraint(condition=models.Q(units__gte=1), name="event_target_units_pos"),
        ]
        indexes = [models.Index(fields=["target", "event"], name="eventtarget_target_event")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.target_id} × {self.units}"


class CountryParticipation(models.Model):
    """Participants of one member state at an event (optional breakdown)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="country_participation")
    member_state = models.ForeignKey(
        "directory.MemberState", on_delete=models.PROTECT, related_name="participation"
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    not_stated = models.PositiveIntegerField(_("not stated"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation by member state")
        verbose_name_plural = _("participation by member state")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member_state"], name="country_participation_unique"
            )
        ]
        indexes = [models.Index(fields=["member_state", "event"], name="participation_state_ev")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.member_state_id}"

    @property
    def total(self) -> int:
        return self.women + self.men + self.not_stated


class Sex(models.TextChoices):
    FEMALE = "f", _("Woman")
    MALE = "m", _("Man")
    NOT_STATED = "x", _("Not stated")


class Participant(models.Model):
    """A named participant or scholarship awardee. Personal data: Secretariat staff only."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    member_state = models.ForeignKey(
        "directory.MemberState", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.NOT_STATED)
    email = models.EmailField(_("e-mail"), blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    objects = ParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event_id", "name"]  # no join on the event (its own ordering)
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["event", "member_state"], name="participant_event_state")]

    def __str__(self) -> str:
        return self.name


class AttachmentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    PARTICIPANT_LIST = "participant_list", _("Participant list")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Attachment(models.Model):
    """A document attached to an event; served only through a permission-checked view."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "kind", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
