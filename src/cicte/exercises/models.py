"""Crisis-management and tabletop exercises (1.A.2, 3.A.1, 4.A), in HSEEP vocabulary.

An :class:`Exercise` is linked to a delivery event of kind *exercise*, so that it counts
toward the plan's targets. Who sees what is decided once, by exercise role, in
:mod:`cicte.exercises.permissions`; every queryset here reads through ``visible_to(actor)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.exercises import permissions
from cicte.exercises.permissions import ExerciseRole as Role


class ExerciseType(models.TextChoices):
    TABLETOP = "tabletop", _("Tabletop exercise")
    FUNCTIONAL = "functional", _("Functional exercise")
    FULL_SCALE = "full_scale", _("Full-scale exercise")
    CYBER_CME = "cyber_cme", _("Cyber crisis-management exercise")


class ExerciseStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    READY = "ready", _("Ready")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class Capability(models.Model):
    """The configurable list of capabilities (HSEEP core capabilities and cyber ones)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    mission_area = models.CharField(_("mission area"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def __str__(self) -> str:
        return self.name

    def label(self, language: str) -> str:
        return self.name_es if language.startswith("es") and self.name_es else self.name


class ExerciseQuerySet(models.QuerySet["Exercise"]):
    def visible_to(self, actor: Any) -> ExerciseQuerySet:
        return self.filter(permissions.exercise_filter(actor))


class Exercise(models.Model):
    event = models.OneToOneField(
        "delivery.Event",
        on_delete=models.PROTECT,
        related_name="exercise",
        verbose_name=_("delivery event"),
    )
    title = models.CharField(_("title"), max_length=300)
    type = models.CharField(
        _("type"), max_length=20, choices=ExerciseType.choices, default=ExerciseType.TABLETOP
    )
    scope = models.TextField(_("scope"), blank=True)
    scenario = models.TextField(_("scenario"), blank=True)
    threat = models.CharField(_("threat or hazard"), max_length=300, blank=True)
    sponsor = models.CharField(_("sponsor"), max_length=300, blank=True)
    mission_areas = models.CharField(_("mission areas"), max_length=200, blank=True)
    point_of_contact = models.CharField(_("point of contact"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("exercise start"))
    ends_at = models.DateTimeField(_("exercise end"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExerciseStatus.choices,
        default=ExerciseStatus.PLANNING,
    )
    started_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    link_days = models.PositiveSmallIntegerField(
        _("participant links valid (days after the end)"), default=14
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    objects = ExerciseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="exercise_end_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exercises:detail", args=[self.pk])

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_live(self) -> bool:
        return self.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)

    def elapsed_seconds(self, now: dt.datetime | None = None) -> int:
        """Exercise time: seconds since the start, pauses excluded (frozen while paused)."""
        if self.started_at is None:
            return 0
        now = now or timezone.now()
        stop = self.paused_at or self.ended_at or now
        return max(0, int((stop - self.started_at).total_seconds()) - self.paused_seconds)


class Team(models.Model):
    """A player team (e.g. a ministry's crisis cell, a national CSIRT)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    organization = models.CharField(_("organization"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("player team")
        verbose_name_plural = _("player teams")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "name"], name="exercise_team_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one exercise (a user may hold several staff roles; a player is in
    one team)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__username"]
        verbose_name = _("exercise role")
        verbose_name_plural = _("exercise roles")
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "user", "role"], name="exercise_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role="player", team__isnull=False)
                | (~models.Q(role="player") & models.Q(team__isnull=True)),
                name="exercise_membership_team_iff_player",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ExternalParticipant(models.Model):
    """Someone without an account who takes part through a link. Only a hash of the link's
    token is stored; the link is shown once, when it is made."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="externals")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(Role.PLAYER, Role.PLAYER.label), (Role.OBSERVER, Role.OBSERVER.label)],
        default=Role.PLAYER,
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="externals"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("external participant")
        verbose_name_plural = _("external participants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="player", team__isnull=False)
                | models.Q(role="observer", team__isnull=True),
                name="exercise_external_team_iff_player",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class Objective(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("objective"))
    capabilities = models.ManyToManyField(
        Capability, related_name="objectives", blank=True, verbose_name=_("capabilities")
    )
    history = HistoricalRecords(m2m_fields=[capabilities])

    class Meta:
        ordering = ["number"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="exercise_objective_no")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class CriticalTask(models.Model):
    """A critical task of an objective's capability (the Exercise Evaluation Guide's rows)."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="critical_tasks"
    )
    capability = models.ForeignKey(
        Capability, on_delete=models.PROTECT, related_name="+", verbose_name=_("capability")
    )
    text = models.CharField(_("critical task"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__number", "id"]
        verbose_name = _("critical task")
        verbose_name_plural = _("critical tasks")

    def __str__(self) -> str:
        return self.text


class ScenarioModule(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("scenario"), blank=True)
    questions = models.TextField(_("discussion questions (one per line)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("scenario module")
        verbose_name_plural = _("scenario modules")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="exercise_module_no")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class SessionKind(models.TextChoices):
    PLANNING = "planning", _("Planning meeting")
    EXERCISE = "exercise", _("Exercise")
    HOT_WASH = "hot_wash", _("Hot wash")
    CONFERENCE = "conference", _("After-action conference")
    BRIEFING = "briefing", _("Controller and evaluator briefing")


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, actor: Any) -> SessionQuerySet:
        return self.filter(permissions.session_filter(actor))


class Session(models.Model):
    """A meeting on the exercise's calendar (the iCalendar feeds)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    location = models.CharField(_("location"), max_length=300, blank=True)
    staff_only = models.BooleanField(_("exercise staff only"), default=False)
    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class InjectMethod(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone / verbal")
    DOCUMENT = "document", _("Document")
    MEDIA = "media", _("Simulated media")


class InjectStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RELEASED = "released", _("Released")
    SKIPPED = "skipped", _("Skipped")


class InjectQuerySet(models.QuerySet["Inject"]):
    def visible_to(self, actor: Any) -> InjectQuerySet:
        return self.filter(permissions.inject_filter(actor)).distinct()


class Inject(models.Model):
    """One row of the Master Scenario Events List."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="injects")
    number = models.PositiveIntegerField(_("number"))
    module = models.ForeignKey(
        ScenarioModule, on_delete=models.SET_NULL, null=True, blank=True, related_name="injects"
    )
    offset_minutes = models.PositiveIntegerField(_("scheduled time (minutes from the start)"))
    title = models.CharField(_("event synopsis"), max_length=300)
    sender = models.CharField(_("simulated sender"), max_length=200, blank=True)
    teams = models.ManyToManyField(Team, related_name="injects", verbose_name=_("target teams"))
    method = models.CharField(_("method"), max_length=20, choices=InjectMethod.choices)
    content = models.TextField(_("content"))
    expected_action = models.TextField(_("expected player action"), blank=True)
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="injects"
    )
    capability = models.ForeignKey(
        Capability, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible controller"),
    )
    contingency = models.BooleanField(_("contingency inject"), default=False)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+", verbose_name=_("depends on")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InjectStatus.choices, default=InjectStatus.PENDING
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_elapsed = models.PositiveIntegerField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    skip_reason = models.CharField(_("reason"), max_length=300, blank=True)
    objects = InjectQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        ordering = ["offset_minutes", "number"]
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="exercise_inject_no")
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    @property
    def scheduled_label(self) -> str:
        return f"{self.offset_minutes // 60:02d}:{self.offset_minutes % 60:02d}"

    @property
    def delay_minutes(self) -> int | None:
        if self.released_elapsed is None:
            return None
        return self.released_elapsed // 60 - self.offset_minutes


class InjectAttachment(models.Model):
    inject = models.ForeignKey(Inject, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="exercises/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class PlayerResponseQuerySet(models.QuerySet["PlayerResponse"]):
    def visible_to(self, actor: Any) -> PlayerResponseQuerySet:
        return self.filter(permissions.response_filter(actor))


class PlayerResponse(models.Model):
    inject = models.ForeignKey(Inject, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external = models.ForeignKey(
        ExternalParticipant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("response"))
    created_at = models.DateTimeField(default=timezone.now)
    elapsed = models.PositiveIntegerField(default=0)
    objects = PlayerResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("player response")
        verbose_name_plural = _("player responses")

    def __str__(self) -> str:
        return f"{self.team} → #{self.inject_id}"

    @property
    def author_name(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.username  # type: ignore[union-attr]
        return self.external.name if self.external_id else ""  # type: ignore[union-attr]


class Comcheck(models.Model):
    """A participant's acknowledgement of the communications check before the start."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="comchecks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    external = models.ForeignKey(
        ExternalParticipant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exercise", "user"], name="comcheck_user_once"),
            models.UniqueConstraint(fields=["exercise", "external"], name="comcheck_ext_once"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id}: {self.user_id or self.external_id}"


class Rating(models.TextChoices):
    """HSEEP performance ratings."""

    P = "P", _("P – Performed without challenges")
    S = "S", _("S – Performed with some challenges")
    M = "M", _("M – Performed with major challenges")
    U = "U", _("U – Unable to be performed")


#: Worst first: the summary rating of several is the most severe one.
RATING_SEVERITY = {"U": 3, "M": 2, "S": 1, "P": 0}


class ObservationQuerySet(models.QuerySet["Observation"]):
    def visible_to(self, actor: Any) -> ObservationQuerySet:
        return self.filter(permissions.observation_filter(actor))


class Observation(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="observations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    critical_task = models.ForeignKey(
        CriticalTask,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("critical task"),
    )
    inject = models.ForeignKey(
        Inject, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    text = models.TextField(_("observation"))
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices, blank=True)
    strength = models.BooleanField(_("a strength"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__in=["", "P", "S", "M", "U"]),
                name="exercise_observation_rating_psmu",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class HotWashQuerySet(models.QuerySet["HotWashNote"]):
    def visible_to(self, actor: Any) -> HotWashQuerySet:
        return self.filter(permissions.hotwash_filter(actor))


class HotWashNote(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="hotwash")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[("strength", _("Strength")), ("improvement", _("Area for improvement"))],
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)
    objects = HotWashQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("hot-wash note")
        verbose_name_plural = _("hot-wash notes")

    def __str__(self) -> str:
        return self.text[:80]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ReportQuerySet(models.QuerySet["AfterActionReport"]):
    def visible_to(self, actor: Any) -> ReportQuerySet:
        return self.filter(permissions.report_filter(actor))


class AfterActionReport(models.Model):
    """The After-Action Report / Improvement Plan: a draft pre-filled from the observations,
    edited by the director and evaluators, then final (frozen)."""

    exercise = models.OneToOneField(Exercise, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    overview = models.TextField(_("exercise overview"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    improvements = models.TextField(_("areas for improvement"), blank=True)
    evaluation = models.OneToOneField(
        "evaluations.Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="after_action_report",
    )
    finalized_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("after-action report")
        verbose_name_plural = _("after-action reports")

    def __str__(self) -> str:
        return f"AAR {self.exercise}"


class CapabilityRating(models.Model):
    """A row of the AAR's analysis table: objective × capability × P/S/M/U."""

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="+")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__number", "capability__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "objective", "capability"], name="aar_rating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__in=["P", "S", "M", "U"]), name="aar_rating_psmu"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective_id}×{self.capability_id}: {self.rating}"


class CapabilityElement(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ORGANIZATION = "organization", _("Organization")
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training")
    EXERCISE = "exercise", _("Exercise")


class ImprovementAction(models.Model):
    """A corrective action of the Improvement Plan. When the report is final each action
    becomes a recommendation of the exercise's after-action evaluation
    (:class:`~cicte.evaluations.models.Recommendation`), so that follow-up evaluations and
    the reminders track it; this row keeps the HSEEP columns."""

    report = models.ForeignKey(AfterActionReport, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("corrective action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Made when the report is final: from then on owner, due date and status are tracked there.
    recommendation = models.OneToOneField(
        "evaluations.Recommendation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_action",
    )
    capability = models.ForeignKey(
        Capability, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    element = models.CharField(
        _("capability element"), max_length=20, choices=CapabilityElement.choices, blank=True
    )
    organization = models.CharField(_("primary responsible organization"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def status_label(self) -> str:
        if self.recommendation_id:
            return str(self.recommendation.get_status_display())  # type: ignore[union-attr]
        return str(_("Proposed (report in draft)"))


class MselUpload(models.Model):
    """An uploaded MSEL sheet waiting for its column mapping (kept until imported)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=255)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ExerciseMail(models.Model):
    """The log of every e-mail sent for an exercise (recipients from its participant list)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="mails")
    inject = models.ForeignKey(Inject, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.CharField(max_length=300)
    recipients = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.subject
