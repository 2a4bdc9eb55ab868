"""Operations records: background jobs (what the user who started one sees), worker
heartbeats (how a dead worker is noticed) and the scheduler's last runs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One piece of background work and its outcome. The django-tasks queue runs it; this
    row is what people see (progress, result file, error) and what makes a run safe to
    retry: an attempt runs only if it claims the row first.

    No simple-history here: jobs are operational records written many times while they
    run (progress); the audit trail lives on the records the jobs change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("task"), max_length=200)  # dotted path of the job function
    label = models.CharField(_("label"), max_length=300)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=2)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    progress_message = models.CharField(_("step"), max_length=200, blank=True)
    result_message = models.CharField(_("result"), max_length=500, blank=True)
    result_url = models.CharField(_("result link"), max_length=500, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/", blank=True)
    error = models.TextField(_("error"), blank=True)
    # Set just before an external effect that must not be repeated (an e-mail handed to the
    # mail server): a job orphaned after that point is marked failed, never re-run.
    side_effects_started = models.BooleanField(default=False)
    worker_id = models.CharField(max_length=64, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [
            models.Index(fields=["status"], name="ops_job_status"),
            models.Index(fields=["created_by", "-created_at"], name="ops_job_user"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("ops:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class WorkerHeartbeat(models.Model):
    """A `cicte worker` process that is alive says so every few seconds."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduledRun(models.Model):
    """When each periodic entry (reminders, pruning, ...) was last enqueued."""

    name = models.CharField(max_length=100, primary_key=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.last_run_at:%Y-%m-%d %H:%M}"
