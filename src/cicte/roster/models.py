"""The experts roster (3.A.9): experts and their profiles, missions on a state's request,
alerts and answers, release, selection, assignments, reports, and the read-audit of
sensitive fields.

Every restricted model has ``objects.visible_to(actor)``; the rules are in
:mod:`cicte.roster.permissions`, the field-level redaction in :mod:`cicte.roster.privacy`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cicte.roster import permissions
from cicte.sharing.models import Shared

# --- the skills framework ----------------------------------------------------------------


class Skill(models.Model):
    """One element of a published skills framework (a NICE Framework work role), imported
    from the framework's official file by ``cicte import-skills``, never typed by hand."""

    framework = models.CharField(_("framework"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    identifier = models.CharField(_("identifier"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "identifier"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(fields=["framework", "identifier"], name="roster_skill_once")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"


# --- roster managers ---------------------------------------------------------------------


class RosterManager(models.Model):
    """A vetted roster manager: Secretariat staff who may read experts' sensitive data.
    Granted by an administrator (``cicte roster-manager``); every change is in the history."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_manager"
    )
    vetted_on = models.DateField(_("vetted on"), default=timezone.localdate)
    granted_by = models.CharField(_("granted by"), max_length=150, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roster manager")
        verbose_name_plural = _("roster managers")

    def __str__(self) -> str:
        return str(self.user)


# --- experts -----------------------------------------------------------------------------


class ExpertQuerySet(models.QuerySet["Expert"]):
    def visible_to(self, actor: Any) -> ExpertQuerySet:
        """Staff read the roster; an expert their own record; a nominating point of contact
        the experts their state nominated; nobody else any (the public sees counts)."""
        condition = permissions.expert_filter(actor)
        return self.none() if condition is None else self.filter(condition)


class ExpertStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("On the roster")
    LEFT = "left", _("Left the roster")
    ANONYMISED = "anonymised", _("Anonymised")


class VettingCategory(models.TextChoices):
    # After Sahana Eden's RDRT categories I–V.
    I = "I", _("I — qualified, ready for deployment")  # noqa: E741
    II = "II", _("II — qualified, deployable with a senior expert")
    III = "III", _("III — qualified for remote support only")
    IV = "IV", _("IV — needs mission induction")
    V = "V", _("V — needs roster induction training")


DEPLOYABLE = frozenset({VettingCategory.I, VettingCategory.II, VettingCategory.III})


class Expert(models.Model):
    """A person on the roster, keyed on the person (not an employment record).

    ``phone``, ``passport_number``, ``passport_expiry``, ``emergency_contact``,
    ``insurance`` and ``medical_notes`` are sensitive: shown only to vetted roster managers
    and the expert (see :mod:`cicte.roster.privacy`), every read logged.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roster_expert",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    nationality = models.CharField(_("nationality (ISO 3166 alpha-3)"), max_length=3)
    nominating_state = models.ForeignKey(
        "directory.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominating member state"),
    )
    nominating_organisation = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominating organisation"),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExpertStatus.choices, default=ExpertStatus.INVITED
    )
    invitation_digest = models.CharField(max_length=64, blank=True, db_index=True)
    invitation_expires = models.DateTimeField(null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    notice_hours = models.PositiveIntegerField(_("notice needed (hours)"), default=48)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    # sensitive
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=40, blank=True)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=300, blank=True)
    insurance = models.CharField(_("insurance"), max_length=300, blank=True)
    medical_notes = models.TextField(_("medical notes"), blank=True)
    # vetting
    vetting_category = models.CharField(
        _("vetting category"), max_length=4, choices=VettingCategory.choices, blank=True
    )
    vetted_on = models.DateField(_("vetted on"), null=True, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vetted by"),
    )
    leave_requested_at = models.DateTimeField(_("asked to leave at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    objects = ExpertQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nominating_state__isnull=False)
                | models.Q(nominating_organisation__isnull=False)
                | models.Q(status="anonymised"),
                name="roster_expert_nominated",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vetted(self) -> bool:
        return bool(self.vetting_category and self.vetted_on)

    @property
    def nominator_label(self) -> str:
        if self.nominating_state_id:
            return str(self.nominating_state)
        return str(self.nominating_organisation or "")


class Proficiency(models.IntegerChoices):
    AWARENESS = 1, _("1 — awareness")
    BASIC = 2, _("2 — basic")
    INTERMEDIATE = 3, _("3 — intermediate")
    ADVANCED = 4, _("4 — advanced")
    EXPERT = 5, _("5 — expert")


class ExpertSkill(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("self-rating"), choices=Proficiency.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["skill__identifier"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "skill"], name="roster_skill_per_expert"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="roster_skill_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill.identifier} {self.level}"


class LanguageLevel(models.TextChoices):
    # CEFR levels, and native.
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("native")


LANGUAGE_RANK = {"A2": 1, "B1": 2, "B2": 3, "C1": 4, "C2": 5, "native": 5}


class ExpertLanguage(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language (BCP 47)"), max_length=12)
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "language"], name="roster_language_per_expert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.level}"


class Certification(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="certifications")
    name = models.CharField(_("certification"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="roster/certifications/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["expires_on", "name"]

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("training"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    refresher_due = models.DateField(_("refresher due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return self.title


class Absence(models.Model):
    """A planned absence the expert records themselves (greyed out when ranking)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="roster_absence_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


# --- requests and missions ---------------------------------------------------------------


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine (weeks)")
    URGENT = "urgent", _("Urgent (days)")
    CRITICAL = "critical", _("Critical (an incident now: 72 hours)")


class SupportRequest(models.Model):
    """What makes a request for assistance an expert-support request: its urgency and
    whether it follows an incident. The request itself is ``assistance.AssistanceRequest``
    (so it follows that workflow, and other states never learn of it)."""

    request = models.OneToOneField(
        "assistance.AssistanceRequest", on_delete=models.CASCADE, related_name="expert_support"
    )
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices)
    after_incident = models.BooleanField(_("after an incident"), default=False)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"expert support for request {self.request_id}"


class MissionQuerySet(models.QuerySet["Mission"]):
    def visible_to(self, actor: Any) -> MissionQuerySet:
        condition = permissions.mission_filter(actor)
        if condition is None:
            return self.none()
        # Through a sub-select: the join to responses must not duplicate rows.
        return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))


class MissionKind(models.TextChoices):
    INCIDENT_RESPONSE = "incident_response", _("Incident response")
    VULNERABILITY_ASSESSMENT = "vulnerability_assessment", _("Vulnerability assessment")
    NETWORK_SECURITY = "network_security", _("Security of networks and databases")
    ADVISORY = "advisory", _("Advice (strategy, policy, legislation)")
    MAJOR_EVENT = "major_event", _("Support to a major event")
    TRAINING = "training", _("Training")


class MissionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ALERTING = "alerting", _("Alert sent")
    PROPOSED = "proposed", _("Team proposed")
    ACCEPTED = "accepted", _("Team accepted")
    DEPLOYED = "deployed", _("Deployed")
    CLOSED = "closed", _("Closed")


class Mission(models.Model):
    request = models.ForeignKey(
        "assistance.AssistanceRequest",
        on_delete=models.PROTECT,
        related_name="roster_missions",
        verbose_name=_("request for assistance"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=MissionKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    remote = models.BooleanField(_("remote"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    required_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("required skills")
    )
    required_languages = models.CharField(
        _("required languages (BCP 47, comma-separated)"), max_length=100, blank=True
    )
    exclude_same_nationality = models.BooleanField(
        _("exclude experts of the requesting state's nationality"), default=True
    )
    target = models.ForeignKey(
        "plan.Target",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target it counts toward"),
    )
    event = models.ForeignKey(
        "delivery.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MissionStatus.choices, default=MissionStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    team_accepted_at = models.DateTimeField(null=True, blank=True)
    deployed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    objects = MissionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[required_skills])

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="roster_mission_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def languages(self) -> list[str]:
        return [c.strip() for c in self.required_languages.split(",") if c.strip()]

    @property
    def member_state(self) -> Any:
        return self.request.member_state


class Alert(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="alerts")
    message = models.TextField(_("message"), blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(_("answer by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"alert {self.pk} for {self.mission_id}"


class ResponseQuerySet(models.QuerySet["Response"]):
    def visible_to(self, actor: Any) -> ResponseQuerySet:
        condition = permissions.response_filter(actor)
        return self.none() if condition is None else self.filter(condition)


class Answer(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    AVAILABLE = "available", _("Available")
    UNAVAILABLE = "unavailable", _("Not available")


class Release(models.TextChoices):
    PENDING = "pending", _("Waiting for release")
    APPROVED = "approved", _("Release approved")
    REFUSED = "refused", _("Release refused")


class Response(models.Model):
    """One expert alerted for one mission: their answer (through an unguessable link that
    expires at the deadline), the nominator's release and the Secretariat's selection."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="responses")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="responses")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="responses")
    token_digest = models.CharField(max_length=64, unique=True)
    answer = models.CharField(max_length=20, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    release = models.CharField(max_length=20, choices=Release.choices, default=Release.PENDING)
    release_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    release_at = models.DateTimeField(null=True, blank=True)
    selected_at = models.DateTimeField(null=True, blank=True)
    role = models.CharField(_("role in the team"), max_length=120, blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-score", "expert__name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "expert"], name="roster_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} for {self.mission_id}: {self.answer}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, actor: Any) -> AssignmentQuerySet:
        condition = permissions.assignment_filter(actor)
        return self.none() if condition is None else self.filter(condition)


class Assignment(models.Model):
    """A selected expert's assignment. ``appraisal_rating``/``appraisal`` are sensitive."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=120)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    appraisal_rating = models.PositiveSmallIntegerField(_("appraisal rating"), null=True)
    appraisal = models.TextField(_("appraisal"), blank=True)
    experience = models.TextField(_("experience recorded"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["mission", "expert__name"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "expert"], name="roster_assigned_once"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="roster_assignment_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} — {self.role}"


class DocumentKind(models.TextChoices):
    TOR = "tor", _("Terms of reference")
    NDA = "nda", _("Non-disclosure agreement")


class AssignmentDocument(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(upload_to="roster/assignments/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class MissionReport(Shared):
    """The deliverable report, under TLP to named officials (the sharing layer's marking,
    audience and ``visible_to``)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("report"))
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta(Shared.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ReadPath(models.TextChoices):
    PAGE = "page", _("web page")
    API = "api", _("API")
    EXPORT = "export", _("export")
    SEARCH = "search", _("search")
    EMAIL = "email", _("e-mail")


class SensitiveRead(models.Model):
    """The read-audit: who saw which sensitive fields of which expert, where, when."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reader_label = models.CharField(max_length=150)
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="reads")
    fields = models.CharField(max_length=300)
    path = models.CharField(max_length=10, choices=ReadPath.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.reader_label} read {self.fields} of {self.expert_id}"
