"""Done when: a report is published while another user records events, and no save fails
(SQLite). The publish request only enqueues; the worker renders outside any transaction; a
second user's save succeeds *while* the PDF is being rendered.

The render is held open by a receiver of the ``job_progress`` signal (no sleeps, no clocks):
if publishing still held SQLite's write lock during the render, the second user's save would
wait for the 20 s busy timeout and fail with "database is locked"."""

from __future__ import annotations

import threading

from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.urls import reverse

from cicte.delivery.models import Event
from cicte.ops.models import Job, JobStatus
from cicte.ops.signals import job_progress
from cicte.ops.worker import make_worker
from cicte.reports.models import PublishedReport
from tests.factories import (
    ProgramFactory,
    ProjectFactory,
    TargetFactory,
    WorkAreaFactory,
    WorkPlanFactory,
)
from tests.ops.conftest import QUEUE

WAIT = 120  # seconds: only reached if something is broken


def _event_form(plan_pk: int) -> dict[str, object]:
    return {
        "plan": plan_pk,
        "kind": "workshop",
        "title": "Workshop recorded during publication",
        "start_date": "2012-04-10",
        "end_date": "2012-04-12",
        "status": "held",
        "modality": "national",
        "city": "Bridgetown",
        "host_state": "BRB",
        "beneficiaries": ["BRB"],
        "participants_total": "20",
        "participants_women": "10",
        "participants_men": "10",
        "currency": "USD",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "40",
        "targets-0-target": "1.A.1.a",
        "targets-0-units": "1",
        "countries-TOTAL_FORMS": "0",
        "countries-INITIAL_FORMS": "0",
        "countries-MIN_NUM_FORMS": "0",
        "countries-MAX_NUM_FORMS": "40",
    }


def test_publish_while_another_user_records_events(file_db, settings, tmp_path):
    users = get_user_model().objects
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = QUEUE
    plan = WorkPlanFactory(symbol="CICTE/doc.5/12 rev. 1", year=2012, title="2012 Work Plan")
    area = WorkAreaFactory(plan=plan, number=1, title="Border controls")
    program = ProgramFactory(work_area=area, letter="A", code="1.A", title="Maritime security")
    project = ProjectFactory(program=program, number=1, code="1.A.1", title="Port security")
    TargetFactory(project=project, code="1.A.1.a", quantity=4, unit="Workshops", position=1)
    publisher, recorder = Client(), Client()
    publisher.force_login(users.create_user("publisher", password="a-long-pass-1", is_staff=True))
    recorder.force_login(users.create_user("recorder", password="a-long-pass-1", is_staff=True))

    response = publisher.post(
        reverse("workspace:report-publish"), {"plan": plan.pk, "period": "2012-H1", "lang": "en"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.QUEUED
    assert not PublishedReport.objects.exists()

    rendering, may_finish = threading.Event(), threading.Event()

    def hold_the_render(sender, job, percent, message, **kwargs):
        if message.startswith("Rendering the PDF"):
            rendering.set()
            may_finish.wait(WAIT)

    failures: list[BaseException] = []

    def worker() -> None:
        try:
            make_worker(batch=True, interval=0).run()
        except BaseException as exc:
            failures.append(exc)
        finally:
            rendering.set()  # never leave the test waiting
            connections.close_all()

    job_progress.connect(hold_the_render, weak=False)
    thread = threading.Thread(target=worker)
    try:
        thread.start()
        assert rendering.wait(WAIT)
        running = Job.objects.get(pk=job.pk)
        assert running.status == JobStatus.RUNNING, (running.status, running.error, failures)
        # The PDF is being rendered right now. Another user records an event:
        saved = recorder.post(reverse("workspace:event-create"), _event_form(plan.pk))
        event = Event.objects.get(title="Workshop recorded during publication")
        assert saved.status_code == 302 and saved["Location"] == event.get_absolute_url()
        assert Job.objects.get(pk=job.pk).progress_message == "Rendering the PDF"
    finally:
        may_finish.set()
        thread.join(WAIT)
        job_progress.disconnect(hold_the_render)
    assert not thread.is_alive() and failures == []
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert set(PublishedReport.objects.values_list("format", flat=True)) == {"html", "pdf"}
    page = publisher.get(job.get_absolute_url()).content.decode()
    assert 'data-status="succeeded"' in page
