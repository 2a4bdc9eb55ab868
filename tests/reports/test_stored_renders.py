"""Render once, serve many: draft reports stored per data version and served from storage."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cicte.core.periods import parse_period
from cicte.core.types import SYSTEM
from cicte.delivery.models import Event
from cicte.reports import build, services
from cicte.reports.models import StoredRender

QUERY = {"period": "2012-H1", "lang": "en"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def query(scenario):
    return {**QUERY, "plan": scenario.plan.pk}


@pytest.fixture
def builds(monkeypatch):
    """Count the report builds (each render of a new data version builds once)."""
    calls: list[int] = []
    real = build.report_data

    def counting(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(build, "report_data", counting)
    return calls


def _download(client, fmt: str, query):
    return client.get(reverse("workspace:report-download", args=[fmt]), query)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "html"])
def test_a_second_download_is_served_from_storage(staff_client, query, builds, fmt):
    first = _download(staff_client, fmt, query)
    second = _download(staff_client, fmt, query)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second["X-Content-Type-Options"] == "nosniff"
    assert f"cicte-report-2012-H1-en.{fmt}" in second["Content-Disposition"]
    assert len(builds) == 1
    assert StoredRender.objects.filter(format=fmt).count() == 1


def test_a_change_to_the_plan_renders_again_and_drops_the_old_file(
    staff_client, query, scenario, builds, django_capture_on_commit_callbacks
):
    _download(staff_client, "xlsx", query)
    old = StoredRender.objects.get()
    old_name = old.file.name
    event = Event.objects.filter(plan=scenario.plan).first()
    event.title = "A new title for the annex"
    event.save()
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        response = _download(staff_client, "xlsx", query)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert len(builds) == 2
    stored = StoredRender.objects.get()  # one render per choice: the old one is gone
    assert stored.data_version > old.data_version
    assert not stored.file.storage.exists(old_name)


def test_each_choice_has_its_own_render(staff_client, query, builds):
    _download(staff_client, "docx", query)
    _download(staff_client, "docx", {**query, "paper": "letter"})
    _download(staff_client, "docx", {**query, "lang": "es"})
    assert len(builds) == 3
    assert StoredRender.objects.count() == 3


def test_the_pdf_job_stores_it_and_the_link_then_serves_it(
    staff_client, query, builds, monkeypatch
):
    from cicte.reports.renderers import pdf

    monkeypatch.setattr(pdf, "render", lambda data, paper="a4": b"%PDF-1.7 test")
    first = _download(staff_client, "pdf", query)  # the job (run at once in tests)
    assert first.status_code == 302 and first["Location"].startswith("/jobs/")
    assert StoredRender.objects.get().format == "pdf"
    second = _download(staff_client, "pdf", query)  # now straight from storage
    assert second.status_code == 200
    assert second.content == b"%PDF-1.7 test"
    assert second["Content-Type"] == "application/pdf"
    assert len(builds) == 1


def test_a_stored_render_is_refused_to_a_reader_who_may_not_see_drafts(
    staff_client, query, django_user_model
):
    from django.test import Client

    assert _download(staff_client, "xlsx", query).status_code == 200
    client = Client()
    assert StoredRender.objects.count() == 1
    assert _download(client, "xlsx", query).status_code == 302  # to the login page
    reader = django_user_model.objects.create_user(username="poc", password="a-long-password-1")
    client.force_login(reader)
    assert _download(client, "xlsx", query).status_code == 403


def test_the_service_checks_the_actor(scenario, django_user_model):
    from cicte.core.errors import NotAllowed

    reader = django_user_model.objects.create_user(username="norole", password="a-long-pw-123")
    with pytest.raises(NotAllowed):
        services.report_render_stored(
            actor=reader,  # no role
            plan=scenario.plan,
            period=parse_period("2012-H1"),
            language="en",
            fmt="xlsx",
        )
    stored = services.report_render_stored(
        actor=SYSTEM, plan=scenario.plan, period=parse_period("2012-H1"), language="en", fmt="xlsx"
    )
    assert stored.file.name.startswith("renders/")
