"""Background jobs through the user's interface: publishing enqueues and returns, the worker
renders, the user who started the job follows it (progress, result, error); e-mail retries;
orphaned jobs are re-queued or failed, never lost or run twice."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cicte.ops.jobs import jobs_recover
from cicte.ops.models import Job, JobStatus, WorkerHeartbeat
from cicte.ops.tasks import send_email
from cicte.reports.models import PublishedReport
from tests.ops import flaky_mail, jobfuncs

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish_query(plan):
    return {"plan": plan.pk, "period": "2012-H1", "lang": "en"}


def test_publish_only_enqueues_then_the_worker_publishes(
    officer_client, officer, publish_query, queue, settings, tmp_path, run_worker
):
    settings.MEDIA_ROOT = tmp_path
    response = officer_client.post(reverse("workspace:report-publish"), publish_query)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    # The request only queued the work: nothing rendered, nothing published yet.
    assert job.status == JobStatus.QUEUED and job.created_by == officer
    assert PublishedReport.objects.count() == 0
    assert DBTaskResult.objects.get().status == "READY"
    page = officer_client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="queued"' in page and 'http-equiv="refresh"' in page

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100 and job.attempts == 1
    html = PublishedReport.objects.get(format="html")
    assert PublishedReport.objects.filter(format="pdf").exists()
    assert job.result_url == html.get_absolute_url()
    page = officer_client.get(job.get_absolute_url()).content.decode()
    assert 'data-status="succeeded"' in page and html.get_absolute_url() in page
    assert 'http-equiv="refresh"' not in page
    listing = officer_client.get(reverse("ops:jobs")).content.decode()
    assert "Publish the 2012 report 2012-H1 (en)" in listing


def test_someone_elses_job_is_not_found(client, django_user_model, queue):
    owner = django_user_model.objects.create_user(username="owner", password="x-long-password1")
    other = django_user_model.objects.create_user(username="other", password="x-long-password1")
    job = jobfuncs.with_file.enqueue(label="Export", actor=owner, text="secret")
    client.force_login(other)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("ops:job-file", args=[job.pk])).status_code == 404
    client.logout()
    response = client.get(job.get_absolute_url())
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_result_file_and_error_are_shown_to_the_user(officer_client, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    done = jobfuncs.with_file.enqueue(label="Export events", actor=officer, text="a,b\n1,2\n")
    assert done.status == JobStatus.SUCCEEDED
    page = officer_client.get(done.get_absolute_url()).content.decode()
    assert reverse("ops:job-file", args=[done.pk]) in page and "Exported" in page
    download = officer_client.get(reverse("ops:job-file", args=[done.pk]))
    assert b"".join(download.streaming_content) == b"a,b\n1,2\n"

    failed = jobfuncs.broken.enqueue(label="Import events", actor=officer)
    assert failed.status == JobStatus.FAILED and failed.progress == 40
    page = officer_client.get(failed.get_absolute_url()).content.decode()
    assert "ValueError: the spreadsheet has no header row" in page
    assert 'data-status="failed"' in page


def test_email_is_retried_until_the_mail_server_answers(queue, settings, run_worker):
    settings.EMAIL_BACKEND = "tests.ops.flaky_mail.FlakyBackend"
    flaky_mail.FAILURES["left"] = 1
    job = send_email.enqueue(label="Invitation", subject="Hello", body="Hi", to=["a@example.org"])
    run_worker()
    job.refresh_from_db()
    # First attempt refused: queued again for later (back-off), with the error kept.
    assert job.status == JobStatus.QUEUED and job.attempts == 1
    assert "Connection refused" in job.error and mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()
    run_worker()  # not due yet: nothing happens
    assert Job.objects.get(pk=job.pk).attempts == 1
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_email_gives_up_after_its_attempts(settings):
    settings.EMAIL_BACKEND = "tests.ops.flaky_mail.FlakyBackend"
    flaky_mail.FAILURES["left"] = 10
    job = send_email.enqueue(label="Invitation", subject="Hello", body="Hi", to=["a@example.org"])
    assert job.status == JobStatus.FAILED and job.attempts == 4
    assert "Connection refused" in job.error
    flaky_mail.FAILURES["left"] = 0


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _orphan(job: Job, *, side_effects: bool) -> None:
    """The state a SIGKILLed worker leaves: job RUNNING, its worker's pid gone."""
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w-dead",
        hostname=os.uname().nodename,
        pid=_dead_pid(),
        started_at=now,
        seen_at=now,
    )
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        worker_id="w-dead",
        heartbeat_at=now,
        side_effects_started=side_effects,
    )
    DBTaskResult.objects.filter(id=job.task_result_id).update(status="RUNNING")


def test_orphan_that_may_have_sent_mail_is_failed_not_resent(queue, run_worker):
    job = send_email.enqueue(label="Invitation", subject="Hello", body="Hi", to=["a@example.org"])
    _orphan(job, side_effects=True)
    [recovered] = jobs_recover()
    job.refresh_from_db()
    assert recovered.action == "failed" and job.status == JobStatus.FAILED
    assert "not run again so that nothing is delivered twice" in job.error
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "FAILED"
    run_worker()
    assert mail.outbox == []


def test_orphan_before_any_effect_is_requeued_and_runs_once(queue, run_worker):
    job = send_email.enqueue(label="Invitation", subject="Hello", body="Hi", to=["a@example.org"])
    _orphan(job, side_effects=False)
    assert [r.action for r in jobs_recover()] == ["requeued"]
    assert jobs_recover() == []  # a second recoverer finds nothing to do
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert len(mail.outbox) == 1


def test_a_live_worker_keeps_its_job(queue):
    job = send_email.enqueue(label="Invitation", subject="Hello", body="Hi", to=["a@example.org"])
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w-live",
        hostname=os.uname().nodename,
        pid=os.getpid(),
        started_at=now,
        seen_at=now,
    )
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, worker_id="w-live", heartbeat_at=now
    )
    assert jobs_recover() == []
    # Silent for longer than CICTE_WORKER_STALE_SECONDS (on another machine, say): an orphan.
    later = now + dt.timedelta(hours=1)
    WorkerHeartbeat.objects.filter(pk="w-live").update(hostname="elsewhere")
    assert [r.action for r in jobs_recover(now=later)] == ["requeued"]


def test_a_large_export_becomes_a_job_with_a_file(
    officer_client, plan, officer, settings, tmp_path
):
    from cicte.delivery.services import event_record

    settings.MEDIA_ROOT = tmp_path
    settings.CICTE_EXPORT_BACKGROUND_EVENTS = 1
    for day in (5, 6):
        event_record(
            actor=officer,
            plan=plan,
            kind="workshop",
            title=f"Workshop {day}",
            start_date=dt.date(2012, 3, day),
            end_date=dt.date(2012, 3, day),
            targets=[(plan.targets.get(code="1.A.1.a"), 1)],
        )
    response = officer_client.get(
        reverse("workspace:event-export"), {"plan": plan.pk, "format": "csv"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.SUCCEEDED and job.result_message == "2 events exported"
    download = officer_client.get(reverse("ops:job-file", args=[job.pk]))
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "Workshop 5" in content and "Workshop 6" in content
    # Small exports stay immediate downloads.
    settings.CICTE_EXPORT_BACKGROUND_EVENTS = 100
    response = officer_client.get(
        reverse("workspace:event-export"), {"plan": plan.pk, "format": "csv"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # streamed CSV
    assert response.status_code == 200 and "Workshop 5" in body
