"""The strategies database (3.A.7): jurisdictions, their policy documents (strategies, laws,
policies…) with archived copies and versions, CMM maturity assessments with a stage per
factor, and the Secretariat's support engagements (a request for assistance, milestones on
delivery events).

What is restricted (drafts, unpublished documents, unconsented assessments) carries a TLP
label of the sharing layer (``cicte.sharing.markings.TLP``: CLEAR when public, AMBER+STRICT
otherwise — "within the organisation": the state and the Secretariat staff assigned to it),
and every read goes through ``visible_to(actor)`` (:mod:`cicte.strategies.permissions`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.sharing.markings import TLP
from cicte.strategies import permissions


class JurisdictionKind(models.TextChoices):
    STATE = "state", _("Member state")
    ORGANISATION = "organisation", _("International or regional organisation")


class VisibleQuerySet(models.QuerySet):
    """``visible_to(actor)``: the one read filter of documents, assessments and engagements
    (pages, search, API, exports, compare, map, profile chart)."""

    def visible_to(self, actor: Any) -> VisibleQuerySet:
        condition = permissions.visibility_filter(self.model, actor)
        # Through a sub-select: the many-to-many joins must not duplicate rows.
        ids = self.model._default_manager.filter(condition).values("pk")
        return self.filter(pk__in=ids)


class Jurisdiction(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=JurisdictionKind.choices)
    member_state = models.OneToOneField(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jurisdiction",
        verbose_name=_("member state"),
    )
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    assigned_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="strategy_jurisdictions",
        verbose_name=_("assigned Secretariat staff"),
    )
    history = HistoricalRecords(m2m_fields=[assigned_staff])

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        constraints = [
            models.CheckConstraint(
                name="strategies_jurisdiction_state_has_member_state",
                condition=Q(kind="organisation") | Q(member_state__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategies:profile", args=[self.code])

    @property
    def name(self) -> str:
        if self.member_state_id is not None:
            return self.member_state.name  # type: ignore[union-attr]
        if (get_language() or "en")[:2] == "es" and self.name_es:
            return self.name_es
        return self.name_en or self.code

    @property
    def iso_alpha2(self) -> str:
        return self.member_state.alpha2 if self.member_state_id else ""  # type: ignore[union-attr]


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", _("Strategy")
    LAW = "law", _("Law")
    POLICY = "policy", _("Policy")
    ACTION_PLAN = "action_plan", _("Action plan")
    REGULATION = "regulation", _("Regulation")
    CSIRT_MANDATE = "csirt_mandate", _("CSIRT mandate")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_PROGRESS = "in_progress", _("In progress")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    REPEALED = "repealed", _("Repealed")


class Review(models.TextChoices):
    """Where the entry is in submission and verification."""

    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Waiting for verification")
    RETURNED = "returned", _("Returned to the point of contact")
    PUBLISHED = "published", _("Verified and published")


class Language(models.TextChoices):
    EN = "en", "English"
    ES = "es", "Español"
    FR = "fr", "Français"
    PT = "pt", "Português"
    NL = "nl", "Nederlands"


class PolicyDocument(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("jurisdiction"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title (original language)"), max_length=400)
    language = models.CharField(
        _("language (BCP 47)"), max_length=2, choices=Language.choices, default=Language.EN
    )
    translations = models.JSONField(
        _("translated titles"), default=dict, blank=True, help_text=_("Language code → title.")
    )
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices)
    review = models.CharField(
        _("review"), max_length=20, choices=Review.choices, default=Review.DRAFT
    )
    tlp = models.CharField(_("TLP"), max_length=20, choices=TLP.choices, default=TLP.AMBER_STRICT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    review_on = models.DateField(_("review due"), null=True, blank=True)
    lead_agency = models.CharField(_("lead agency"), max_length=300, blank=True)
    identifier = models.CharField(
        _("official number"), max_length=200, blank=True, help_text=_("e.g. Act No. 12 of 2015")
    )
    version_label = models.CharField(_("version"), max_length=60, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    official_url = models.URLField(_("official URL"), max_length=500, blank=True)
    # Focus areas: comma-wrapped codes (",D1,D4,"), so a filter is one portable LIKE.
    dimensions = models.CharField(_("CMM dimensions"), max_length=60, blank=True)
    pillars = models.CharField(_("GCI pillars"), max_length=120, blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    # The archived copy (type-checked by content, size-capped, served through a checked view).
    archive_file = models.FileField(upload_to="strategies/%Y/", blank=True)
    archive_name = models.CharField(_("archived copy"), max_length=255, blank=True)
    archive_content_type = models.CharField(max_length=100, blank=True)
    archive_size = models.PositiveIntegerField(null=True, blank=True)
    archive_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    archive_source_url = models.URLField(max_length=500, blank=True)
    archive_fetched_at = models.DateTimeField(null=True, blank=True)
    extracted_text = models.TextField(editable=False, blank=True)
    # Submission and verification.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["extracted_text"])

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction__code", "-adopted_on", "title"]
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        constraints = [
            # Only a verified, published, non-draft entry may carry TLP:CLEAR (be public).
            models.CheckConstraint(
                name="strategies_document_clear_only_when_public",
                condition=~Q(tlp="clear") | (Q(review="published") & ~Q(status="draft")),
            ),
            models.CheckConstraint(
                name="strategies_document_not_its_own_predecessor",
                condition=~Q(supersedes=models.F("id")),
            ),
        ]
        indexes = [models.Index(fields=["review", "status"], name="strat_doc_review_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategies:document", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.tlp == TLP.CLEAR

    @property
    def in_progress_label(self) -> bool:
        return self.status == DocumentStatus.IN_PROGRESS

    @property
    def dimension_list(self) -> list[str]:
        return [c for c in self.dimensions.split(",") if c]

    @property
    def pillar_list(self) -> list[str]:
        return [c for c in self.pillars.split(",") if c]

    @property
    def year(self) -> int | None:
        day = self.adopted_on or self.in_force_on
        return day.year if day else None


class MaturityAssessment(models.Model):
    """A CMM review of one jurisdiction. Public only with the state's consent."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("jurisdiction"),
    )
    model_id = models.CharField(_("model"), max_length=20, default="cmm-2021")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessed by"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    consent = models.BooleanField(_("the state consents to publication"), default=False)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    tlp = models.CharField(_("TLP"), max_length=20, choices=TLP.choices, default=TLP.AMBER_STRICT)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="strategy_assessments",
        verbose_name=_("assigned staff and experts"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[assessors])

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction__code", "-assessed_on", "-id"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        constraints = [
            models.CheckConstraint(
                name="strategies_assessment_clear_only_with_consent",
                condition=~Q(tlp="clear") | Q(consent=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("strategies:assessment", args=[self.pk])


class FactorRating(models.Model):
    assessment = models.ForeignKey(
        MaturityAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    factor = models.CharField(_("factor"), max_length=10)
    stage = models.PositiveSmallIntegerField(_("stage"))
    evidence = models.TextField(_("evidence"), blank=True)
    rated_on = models.DateField(_("date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "factor"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "factor"], name="strategies_one_rating"),
            models.CheckConstraint(
                name="strategies_rating_stage_in_range",
                condition=Q(stage__gte=1) & Q(stage__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factor}: {self.stage}"


class Phase(models.TextChoices):
    INITIATION = "initiation", _("Initiation")
    STOCKTAKING = "stocktaking", _("Stocktaking and analysis")
    DRAFTING_WORKSHOP = "drafting_workshop", _("Drafting workshop")
    VALIDATION = "validation", _("Validation")
    ADOPTION = "adoption", _("Adoption")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring and evaluation")


class SupportEngagement(models.Model):
    """The Secretariat's support to a state drafting its strategy: a request for assistance
    (``assistance.AssistanceRequest``), its experts and milestones."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("jurisdiction"),
    )
    request = models.OneToOneField(
        "assistance.AssistanceRequest",
        on_delete=models.PROTECT,
        related_name="strategy_engagement",
        verbose_name=_("request for assistance"),
    )
    title = models.CharField(_("title"), max_length=300)
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="strategy_engagements",
        verbose_name=_("experts"),
    )
    document = models.ForeignKey(
        PolicyDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("resulting document"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[experts])

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["jurisdiction__code", "-created_at"]
        verbose_name = _("support engagement")
        verbose_name_plural = _("support engagements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workspace:strategies-engagement", args=[self.pk])


class Milestone(models.Model):
    engagement = models.ForeignKey(
        SupportEngagement, on_delete=models.CASCADE, related_name="milestones"
    )
    phase = models.CharField(_("milestone"), max_length=30, choices=Phase.choices)
    event = models.ForeignKey(
        "delivery.Event",
        on_delete=models.PROTECT,
        related_name="strategy_milestones",
        verbose_name=_("event"),
        help_text=_("The delivery event: it counts toward the plan's targets through it."),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["engagement", "event__start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "phase", "event"], name="strategies_one_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.event_id}"
