"""The knowledge management system for the security of major events (3.B.2).

- :class:`MajorEvent`: the registry of past and upcoming major events, its host team
  (:class:`HostTeamMember`), contacts, checklist (:class:`ChecklistTask`) and messages;
- :class:`Document` (Dublin Core) with its :class:`DocumentVersion` files, and
  :class:`Lesson` (lessons learned) with :class:`LessonApplication` ("applied" / reuse):
  both carry the sharing layer's marking and audience (:class:`cicte.sharing.models.Shared`);
- :class:`ChecklistItem`: the planning checklist per event type (seeded);
- :class:`Subscription` to event types and countries (digests) and :class:`ViewAsRecord`
  (the audit of an administrator's read-only "view as").

Every read goes through ``visible_to(actor)`` (:mod:`cicte.knowledge.permissions`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.knowledge import permissions
from cicte.sharing.models import Shared


class EventKind(models.TextChoices):
    SUMMIT = "summit", _("Summit or political meeting")
    SPORTS = "sports", _("Sports event")
    CULTURAL = "cultural", _("Cultural event")
    RELIGIOUS = "religious", _("Religious event")
    TOURISM = "tourism", _("Tourism season")


class Area(models.TextChoices):
    """Areas of the IPO Security Planning Model (UNICRI/OAS-CICTE, 2007)."""

    COORDINATION = "coordination", _("Coordination and command")
    LEGAL = "legal", _("Legal framework")
    RISK = "risk", _("Threat and risk assessment")
    INTELLIGENCE = "intelligence", _("Intelligence and information sharing")
    VENUES = "venues", _("Venues and perimeters")
    PROTECTION = "protection", _("Protection of dignitaries")
    TRANSPORT = "transport", _("Transport and traffic")
    CYBER = "cyber", _("Cyber security and critical infrastructure")
    EMERGENCY = "emergency", _("Emergency and crisis management")
    MEDIA = "media", _("Public information and media")
    TRAINING = "training", _("Training and exercises")
    LEGACY = "legacy", _("Evaluation and legacy")


class Language(models.TextChoices):
    EN = "en", _("English")
    ES = "es", _("Spanish")
    FR = "fr", _("French")
    PT = "pt", _("Portuguese")


class EventStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for validation")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned to the focal point")


class MajorEventQuerySet(models.QuerySet["MajorEvent"]):
    def visible_to(self, actor: Any) -> MajorEventQuerySet:
        return self.filter(permissions.event_filter(actor)).distinct()


class MajorEvent(models.Model):
    """A major event of the registry (UNICRI: one "that requires international cooperation
    in respect of its security planning")."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    host_state = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host country"),
    )
    cities = models.CharField(_("cities"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), null=True, blank=True
    )
    lead_agency = models.CharField(_("lead security agency"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SUBMITTED
    )
    public_approved = models.BooleanField(
        _("the host state approves a public entry"), default=False
    )
    review_note = models.TextField(_("Secretariat's note"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    objects = MajorEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("major event")
        verbose_name_plural = _("major events")
        constraints = [
            models.CheckConstraint(
                name="knowledge_event_dates_in_order",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="knowledge_event_public_only_validated",
                condition=models.Q(public_approved=False) | models.Q(status="validated"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:event", args=[self.pk])

    @property
    def is_upcoming(self) -> bool:
        return self.ends_on >= timezone.localdate()

    @property
    def is_public(self) -> bool:
        return self.status == EventStatus.VALIDATED and self.public_approved


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")


class HostTeamMember(models.Model):
    """A person of the host country's security planning team for an event."""

    event = models.ForeignKey(MajorEvent, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="host_teams"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="knowledge_one_team_seat")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.event}"


class HostContact(models.Model):
    """A contact of the host workspace (team only)."""

    event = models.ForeignKey(MajorEvent, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkspaceMessage(models.Model):
    """The host team's discussion (team only)."""

    event = models.ForeignKey(MajorEvent, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("Security plan or template")
    LEGISLATION = "legislation", _("Legislation")
    CHECKLIST = "checklist", _("Checklist")
    GUIDE = "guide", _("Guide or SOP")
    AAR = "aar", _("After-action report")
    TRAINING = "training", _("Training material")


class Extraction(models.TextChoices):
    PENDING = "pending", _("Text extraction waiting")
    DONE = "done", _("Text extracted")
    FAILED = "failed", _("Text could not be extracted")


class KnowledgeItemQuerySet(models.QuerySet[Any]):
    """``visible_to(actor)``: the one read filter of documents and lessons."""

    def visible_to(self, actor: Any) -> KnowledgeItemQuerySet:
        condition = permissions.item_filter(actor, self.model)
        ids = self.model._default_manager.filter(condition).values("pk")
        return self.filter(pk__in=ids)


class Document(Shared):
    """A library document with Dublin Core metadata. ``host_team_only``: a document of an
    event's private workspace (its host team only, whatever else the audience says)."""

    title = models.CharField(_("title"), max_length=300)
    creator = models.CharField(_("creator"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    identifier = models.CharField(_("identifier"), max_length=100, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    country = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    event = models.ForeignKey(
        MajorEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("event"),
    )
    event_kind = models.CharField(
        _("event type"), max_length=20, choices=EventKind.choices, blank=True
    )
    area = models.CharField(_("planning-model area"), max_length=20, choices=Area.choices)
    rights = models.CharField(_("rights"), max_length=300, blank=True)
    relations = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="cited_by", verbose_name=_("relation")
    )
    host_team_only = models.BooleanField(_("host team only"), default=False)
    anonymous = models.BooleanField(_("submitted anonymously"), default=False)
    extraction = models.CharField(
        max_length=10, choices=Extraction.choices, default=Extraction.PENDING
    )
    extracted_text = models.TextField(blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    # The knowledge rule (host workspaces, unpublished lessons) on top of the sharing one.
    objects = KnowledgeItemQuerySet.as_manager()  # type: ignore[misc, assignment]
    history = HistoricalRecords(excluded_fields=["extracted_text"])

    class Meta(Shared.Meta):
        ordering = ["-published_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.identifier:
            self.identifier = f"urn:uuid:{uuid.uuid4()}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("knowledge:document", args=[self.pk])

    @property
    def shown_creator(self) -> str:
        return str(_("Anonymous")) if self.anonymous else self.creator


class DocumentVersion(models.Model):
    """One uploaded file of a document; a new version keeps the old ones (DCTERMS
    ``replaces``)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="knowledge/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    metadata_stripped = models.BooleanField(default=False)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="knowledge_one_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:download", args=[self.document_id, self.number])


class LessonStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    PUBLISHED = "published", _("Published")


class Lesson(Shared):
    """A lesson learned (observation, discussion, recommendation), from an after-action
    report of a major event or released from an exercise's AAR. Readable through its
    audience once published; before, by its originator, the event's host team and the
    Secretariat (the validators)."""

    title = models.CharField(_("title"), max_length=300)
    observation = models.TextField(_("observation"))
    discussion = models.TextField(_("discussion"), blank=True)
    recommendation = models.TextField(_("recommendation"))
    area = models.CharField(_("planning-model area"), max_length=20, choices=Area.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    event = models.ForeignKey(
        MajorEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("event"),
    )
    source_document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("after-action report"),
    )
    source_exercise_report = models.OneToOneField(
        "exercises.AfterActionReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_lesson",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LessonStatus.choices, default=LessonStatus.SUBMITTED
    )
    validator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The knowledge rule (host workspaces, unpublished lessons) on top of the sharing one.
    objects = KnowledgeItemQuerySet.as_manager()  # type: ignore[misc, assignment]
    history = HistoricalRecords()

    class Meta(Shared.Meta):
        ordering = ["-published_at", "-pk"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:lesson", args=[self.pk])

    @property
    def event_kind(self) -> str:
        return self.event.kind if self.event_id else ""  # type: ignore[union-attr]


class LessonApplication(models.Model):
    """A user marks a lesson "applied", with a note and optionally the event it was reused
    for: the "where reused" list."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        MajorEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.lesson_id} applied by {self.user_id}"


class ChecklistItem(models.Model):
    """One item of the planning checklist of an event type (seeded by a data migration)."""

    event_kind = models.CharField(_("event type"), max_length=20, choices=EventKind.choices)
    area = models.CharField(_("planning-model area"), max_length=20, choices=Area.choices)
    position = models.PositiveIntegerField()
    text_en = models.CharField(max_length=300)
    text_es = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event_kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_kind", "position"], name="knowledge_one_checklist_position"
            )
        ]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return self.text_es if (get_language() or "en").startswith("es") else self.text_en


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistTask(models.Model):
    """An item of the checklist copied into an event's workspace and tracked there."""

    event = models.ForeignKey(MajorEvent, on_delete=models.CASCADE, related_name="tasks")
    area = models.CharField(_("planning-model area"), max_length=20, choices=Area.choices)
    position = models.PositiveIntegerField()
    text_en = models.CharField(max_length=300)
    text_es = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence document"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"], name="knowledge_one_task_position"
            )
        ]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return self.text_es if (get_language() or "en").startswith("es") else self.text_en


class Subscription(models.Model):
    """A reader follows an event type, a country, or both; the digest lists the new
    published items they may read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_subscriptions"
    )
    event_kind = models.CharField(
        _("event type"), max_length=20, choices=EventKind.choices, blank=True
    )
    country = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    last_sent_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "event_kind", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event_kind", "country"], name="knowledge_one_subscription"
            ),
            models.CheckConstraint(
                name="knowledge_subscription_not_empty",
                condition=~models.Q(event_kind="") | models.Q(country__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event_kind or '*'} / {self.country_id or '*'}"


class ViewAsRecord(models.Model):
    """An administrator started (or ended) a read-only "view as": the audit."""

    administrator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    viewed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200)
    started_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.administrator_id} as {self.label}"
