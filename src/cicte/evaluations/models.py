"""Evaluations, their recommendations (tracked to closure) and participant feedback."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EvaluationKind(models.TextChoices):
    EXTERNAL = "external", _("External evaluation")
    FOLLOW_UP = "follow_up", _("Follow-up evaluation")
    POST_COURSE = "post_course", _("Post-course evaluation")
    AFTER_ACTION = "after_action_review", _("After-action review")


class Rating(models.IntegerChoices):
    """The documented 1–5 scale used for evaluations (see docs/evaluations.md)."""

    UNSATISFACTORY = 1, _("1 – Unsatisfactory: objectives not met")
    PARTLY = 2, _("2 – Partly satisfactory: significant shortcomings")
    SATISFACTORY = 3, _("3 – Satisfactory: objectives broadly met")
    GOOD = 4, _("4 – Good: objectives met, minor shortcomings")
    EXCELLENT = 5, _("5 – Excellent: objectives exceeded")


class Evaluation(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=EvaluationKind.choices)
    project = models.ForeignKey(
        "plan.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("project"),
    )
    event = models.ForeignKey(
        "delivery.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("event"),
    )
    date = models.DateField(_("date"))
    evaluator = models.CharField(_("evaluator"), max_length=200)
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False) | models.Q(event__isnull=False),
                name="evaluation_has_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="evaluation_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:evaluations-detail", args=[self.pk])

    @property
    def subject(self) -> str:
        if self.event_id:
            return str(self.event)
        return str(self.project)


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class Recommendation(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_recommendations",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:80]


def new_token() -> str:
    """An unguessable link token (192 random bits)."""
    return secrets.token_urlsafe(24)


class Questionnaire(models.Model):
    """The participant questionnaire of one event, reached through /feedback/<token>/."""

    event = models.OneToOneField(
        "delivery.Event",
        on_delete=models.CASCADE,
        related_name="questionnaire",
        verbose_name=_("event"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return str(self.event)

    def get_absolute_url(self) -> str:
        return reverse("feedback:form", args=[self.token])


class Response(models.Model):
    """One participant's answers (anonymous). Scores are 1–5."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction"))
    relevance = models.PositiveSmallIntegerField(_("relevance to your work"))
    knowledge_before = models.PositiveSmallIntegerField(_("your knowledge before"))
    knowledge_after = models.PositiveSmallIntegerField(_("your knowledge after"))
    comment = models.TextField(_("comment"), blank=True)
    # One-time code handed out with the form; a second submission of it is refused.
    nonce = models.CharField(max_length=64, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "nonce"], name="response_once"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"response_{name}_1_5",
                )
                for name in ("satisfaction", "relevance", "knowledge_before", "knowledge_after")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} #{self.pk}"
