"""Period narratives written by staff, and reports published for the public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Narrative(models.Model):
    """A short narrative per program per reporting period ("2012-H1")."""

    program = models.ForeignKey(
        "plan.Program",
        on_delete=models.CASCADE,
        related_name="narratives",
        verbose_name=_("program"),
    )
    period = models.CharField(_("period"), max_length=30)
    text = models.TextField(_("narrative"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "period"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [
            models.UniqueConstraint(fields=["program", "period"], name="narrative_program_period")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.period}"


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


class PublishedReport(models.Model):
    """A report frozen at publication: the public sees these, never drafts."""

    plan = models.ForeignKey(
        "plan.WorkPlan",
        on_delete=models.PROTECT,
        related_name="published_reports",
        verbose_name=_("plan"),
    )
    period = models.CharField(_("period"), max_length=30)
    language = models.CharField(_("language"), max_length=5)
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    title = models.CharField(_("title"), max_length=300)
    document_symbol = models.CharField(_("document symbol"), max_length=100)
    html = models.TextField(_("HTML"), blank=True)  # body of the report (format html)
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True)
    published_at = models.DateTimeField(_("published at"))
    # The date of issue printed on the report (set when publishing; every format shows it).
    issued = models.DateField(_("date of issue"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "language", "format"]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period", "language", "format"], name="published_report_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_symbol} ({self.language}, {self.format})"

    def get_absolute_url(self) -> str:
        return reverse("public-reports:detail", args=[self.pk])


class StoredRender(models.Model):
    """A draft report rendered once and served many times: one file per plan, period,
    language, format, paper and date of issue, **and the plan's data version** it was built
    from (``cicte.core.dataversion``). A write to the plan's data moves the version, so the
    next download renders again; older renders of the same choice are removed then. Served
    only through the permission-checked download view (never a public media URL). Derived
    data: no audit history."""

    key = models.CharField(max_length=200, unique=True)
    plan = models.ForeignKey("plan.WorkPlan", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=30)
    language = models.CharField(max_length=5)
    format = models.CharField(max_length=5, choices=ReportFormat.choices)
    paper = models.CharField(max_length=10, default="a4")
    issued = models.DateField(null=True, blank=True)
    data_version = models.BigIntegerField()
    filename = models.CharField(max_length=200)
    file = models.FileField(upload_to="renders/%Y/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "stored render"

    def __str__(self) -> str:
        return self.key
