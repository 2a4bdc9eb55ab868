"""Workspace report pages (staff only) and the public list of published reports."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cicte.reports.models import Narrative, PublishedReport

QUERY = {"period": "2012-H1", "lang": "en"}


@pytest.fixture
def query(scenario):
    return {**QUERY, "plan": scenario.plan.pk}


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("workspace:report", [], "get"),
        ("workspace:report-download", ["pdf"], "get"),
        ("workspace:report-narrative", [], "post"),
        ("workspace:report-publish", [], "post"),
    ],
)
def test_permissions(client, django_user_model, scenario, name, args, method):
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    user = django_user_model.objects.create_user(username="poc", password="a-long-password-1")
    client.force_login(user)
    assert getattr(client, method)(url).status_code == 403


def test_report_page_preview_and_csp(staff_client, query):
    response = staff_client.get(reverse("workspace:report"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "CICTE/INF. 1/12" in page
    assert "Port security workshop" in page
    assert 'href="/static/reports/report.css"' in page
    assert "<style" not in page and " style=" not in page
    assert "<script>" not in page
    assert "Content-Security-Policy" in response.headers
    assert "Jane Secretperson" not in page
    for fmt in ("pdf", "docx", "xlsx", "html"):
        assert reverse("workspace:report-download", args=[fmt]) in page


def test_report_page_default_choice(staff_client, scenario):
    response = staff_client.get(reverse("workspace:report"))
    assert response.status_code == 200
    assert "CICTE/INF. 1/12" in response.content.decode()


def test_report_page_bad_period(staff_client, query):
    response = staff_client.get(reverse("workspace:report"), {**query, "period": "2012-H3"})
    assert response.status_code == 200
    assert "Unknown period" in response.content.decode()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("html", "text/html; charset=utf-8"),
    ],
)
def test_download(staff_client, query, fmt, content_type, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = staff_client.get(reverse("workspace:report-download", args=[fmt]), query)
    if fmt == "pdf":
        # Rendered by a background job (tens of seconds on a full year): its page shows the
        # progress, then the file (the test's immediate backend has already run it).
        assert response.status_code == 302 and response["Location"].startswith("/jobs/")
        job = staff_client.get(response["Location"]).content.decode()
        file_url = re.search(r'href="(/jobs/[^"]+/file/)"', job)[1]
        response = staff_client.get(file_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "cicte-report-2012-H1-en" in response["Content-Disposition"]
        return
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f"cicte-report-2012-H1-en.{fmt}" in response["Content-Disposition"]


def test_download_unknown_format(staff_client, query):
    assert staff_client.get("/workspace/report/download/odt/", query).status_code == 404


def test_narrative_post(staff_client, staff_user, scenario):
    program = scenario.programs["2.B"]
    response = staff_client.post(
        reverse("workspace:report-narrative"),
        {"program": program.pk, "period": "2012-H1", "lang": "en", "text": "  Two missions.  "},
    )
    assert response.status_code == 302
    narrative = Narrative.objects.get(program=program, period="2012-H1")
    assert narrative.text == "Two missions."
    assert narrative.author == staff_user
    assert narrative.history.first().history_user == staff_user
    page = staff_client.get(
        reverse("workspace:report"), {**QUERY, "plan": scenario.plan.pk}
    ).content.decode()
    assert "Two missions." in page


def test_publish_then_public_pages(staff_client, client, query, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post(reverse("workspace:report-publish"), query)
    assert response.status_code == 302
    html, pdf = (
        PublishedReport.objects.get(format="html"),
        PublishedReport.objects.get(format="pdf"),
    )
    assert html.document_symbol == "CICTE/INF. 1/12"
    listing = client.get(reverse("public-reports:list"))
    assert listing.status_code == 200
    assert "CICTE/INF. 1/12" in listing.content.decode()
    detail = client.get(reverse("public-reports:detail", args=[html.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "Port security workshop" in body
    assert "Jane Secretperson" not in body and "jane.secret@example.org" not in body
    assert " style=" not in body
    download = client.get(reverse("public-reports:file", args=[pdf.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # One publication, one id: the PDF's id leads to the same page (issue 19).
    moved = client.get(reverse("public-reports:detail", args=[pdf.pk]))
    assert moved.status_code == 301 and moved["Location"] == html.get_absolute_url()


def test_public_list_shows_no_drafts(client, scenario):
    response = client.get(reverse("public-reports:list"))
    assert response.status_code == 200
    assert "No report has been published yet." in response.content.decode()
