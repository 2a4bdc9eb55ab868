"""The Work Plan: plans, mandates and the work area → program → project → target tree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from cicte.directory.models import Organization


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ARCHIVED = "archived", _("Archived")


class WorkPlan(models.Model):
    symbol = models.CharField(_("document symbol"), max_length=100, unique=True)
    series = models.CharField(_("series"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    session = models.CharField(_("session"), max_length=200, blank=True)
    session_date = models.DateField(_("session date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    original_language = models.CharField(_("original language"), max_length=5, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.APPROVED
    )
    preamble = models.TextField(_("preamble"), blank=True)
    mandate_sources: models.ManyToManyField[MandateSource, PlanMandate] = models.ManyToManyField(
        "MandateSource", through="PlanMandate", related_name="plans", blank=True
    )
    partners: models.ManyToManyField[Organization, PlanPartner] = models.ManyToManyField(
        "directory.Organization", through="PlanPartner", related_name="plans", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "symbol"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")

    def __str__(self) -> str:
        return f"{self.year} — {self.symbol}"

    def get_absolute_url(self) -> str:
        return reverse("public:plan", args=[self.year])


class MandateKind(models.TextChoices):
    CICTE_DECLARATION = "cicte_declaration", _("CICTE declaration")
    CICTE_DECISION = "cicte_decision", _("CICTE decision")
    GA_RESOLUTION = "ga_resolution", _("General Assembly resolution")
    GA_DECLARATION = "ga_declaration", _("General Assembly declaration")


class MandateSource(models.Model):
    """A declaration, decision or resolution that gives the Secretariat a mandate."""

    kind = models.CharField(_("kind"), max_length=20, choices=MandateKind.choices)
    symbol = models.CharField(_("symbol"), max_length=100, unique=True)  # normalized
    title = models.CharField(_("title"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "symbol"]
        verbose_name = _("mandate source")
        verbose_name_plural = _("mandate sources")

    def __str__(self) -> str:
        return f"{self.title}, {self.symbol}"


class PlanMandate(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE)
    source = models.ForeignKey(MandateSource, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "source"], name="plan_mandate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} ← {self.source_id}"


class MandateClause(models.Model):
    """One quoted paragraph of a mandate source, with its subparagraphs."""

    source = models.ForeignKey(MandateSource, on_delete=models.CASCADE, related_name="clauses")
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    text = models.TextField(_("text"), blank=True)
    # [{"letter": "a", "text": "...", "relevant": true}, ...]
    subparagraphs = models.JSONField(_("subparagraphs"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    programs: models.ManyToManyField[Program, Any] = models.ManyToManyField(
        "Program", related_name="mandate_clauses", blank=True, verbose_name=_("programs")
    )
    projects: models.ManyToManyField[Project, Any] = models.ManyToManyField(
        "Project", related_name="mandate_clauses", blank=True, verbose_name=_("projects")
    )
    history = HistoricalRecords(m2m_fields=[programs, projects])

    class Meta:
        ordering = ["source", "order"]
        verbose_name = _("mandate clause")
        verbose_name_plural = _("mandate clauses")

    def __str__(self) -> str:
        return f"{self.source.symbol} ¶{self.paragraph}" if self.paragraph else self.source.symbol

    @property
    def not_relevant_letters(self) -> list[str]:
        return [s["letter"] for s in self.subparagraphs if not s.get("relevant", True)]


class PlanPartner(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE)
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)
    # Sub-units the plan lists under the partner, as written ("Department of Public Security").
    units = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "organization"], name="plan_partner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} ↔ {self.organization_id}"


class WorkArea(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="work_areas")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("work area")
        verbose_name_plural = _("work areas")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="work_area_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def code(self) -> str:
        return str(self.number)


class Program(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="programs")
    work_area = models.ForeignKey(WorkArea, on_delete=models.CASCADE, related_name="programs")
    letter = models.CharField(_("letter"), max_length=3, blank=True)  # "" = no letter
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(default=0)  # document order within the plan
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="program_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Project(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="projects")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="projects")
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    position = models.PositiveIntegerField(default=0)  # document order within the plan
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="project_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Funding(models.TextChoices):
    IDENTIFIED = "identified", _("Funding identified")
    TO_BE_IDENTIFIED = "to_be_identified", _("To be determined once funding is identified")


class Target(models.Model):
    """A planned activity: a quantity and unit, qualitative (no quantity) or unfunded."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="targets")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(_("code"), max_length=24)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=300, blank=True)
    text = models.TextField(_("original text"), blank=True)
    funding = models.CharField(
        _("funding"), max_length=20, choices=Funding.choices, default=Funding.IDENTIFIED
    )
    position = models.PositiveIntegerField(default=0)  # document order within the plan
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text or self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:target", args=[self.pk])

    @property
    def is_unfunded(self) -> bool:
        return self.funding == Funding.TO_BE_IDENTIFIED

    @property
    def is_qualitative(self) -> bool:
        return self.quantity is None and not self.is_unfunded
