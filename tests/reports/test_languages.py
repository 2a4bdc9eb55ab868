"""The report in French and Portuguese: every format, dates and numbers from CLDR, and an
unknown language refused clearly by the builder, the command, the web form and the API."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from cicte.core.periods import parse_period
from cicte.reports.build import report_data
from cicte.reports.renderers import html as html_renderer
from cicte.reports.renderers import render
from cicte.reports.types import ReportError
from tests.reports.conftest import ISSUED
from tests.reports.test_renderers import pdf_text


@pytest.fixture
def report_fr(scenario):
    return report_data(
        plan=scenario.plan, period=parse_period("2012-H1"), language="fr", issued=ISSUED
    )


def test_french_html(report_fr):
    page = html_renderer.render_document(report_fr)
    assert 'lang="fr"' in page
    assert "Rapport semestriel sur la mise en œuvre du plan de travail 2012" in page
    assert "janvier–juin 2012" in page
    assert "16 juillet 2012" in page
    assert "Original\u00a0: anglais" in page
    assert "Semi-annual report" not in page


def test_french_pdf_docx_xlsx(report_fr):
    text = pdf_text(render(report_fr, "pdf"))
    assert "Rapport semestriel" in text
    assert "Résumé" in text
    document = Document(io.BytesIO(render(report_fr, "docx")))
    paragraphs = " ".join(p.text for p in document.paragraphs)
    assert "Rapport semestriel sur la mise en œuvre du plan de travail 2012" in paragraphs
    assert "Période couverte\u00a0: janvier–juin 2012" in paragraphs
    workbook = load_workbook(io.BytesIO(render(report_fr, "xlsx")))
    assert "Résumé" in workbook.sheetnames
    assert "Summary" not in workbook.sheetnames


def test_portuguese_dates_come_from_cldr(scenario):
    data = report_data(
        plan=scenario.plan, period=parse_period("2012-H1"), language="pt", issued=ISSUED
    )
    assert data.meta.period_label == "janeiro–junho de 2012"
    assert data.meta.issued_label == "16 de julho de 2012"
    assert data.meta.language == "pt"


def test_unknown_language_is_refused_by_the_builder(scenario):
    with pytest.raises(ReportError, match=r"Unknown report language 'xx': use one of en, es, fr"):
        report_data(plan=scenario.plan, period=parse_period("2012-H1"), language="xx")


def test_command_writes_french_and_refuses_xx(scenario, tmp_path):
    out = tmp_path / "r.html"
    call_command(
        "report", plan="2012", period="2012-H1", fmt="html", lang="fr", output=str(out),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert "Résumé" in out.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="invalid choice: 'xx'"):
        call_command("report", "--period", "2012-H1", "--lang", "xx", stdout=io.StringIO())


def test_web_form_refuses_xx_without_a_traceback(scenario, client, django_user_model):
    from cicte.access.models import Role
    from tests.accounts.factories import user_with_role

    client.force_login(user_with_role(Role.SECRETARIAT, username="officer"))
    response = client.get(
        "/workspace/report/", {"plan": scenario.plan.pk, "period": "2012-H1", "lang": "xx"}
    )
    assert response.status_code in (200, 400)
    assert "xx" in response.content.decode()
    french = client.get(
        "/workspace/report/", {"plan": scenario.plan.pk, "period": "2012-H1", "lang": "fr"}
    )
    assert french.status_code == 200
    assert "Rapport semestriel" in french.content.decode()


def test_api_refuses_an_unknown_language(db, client):
    response = client.get("/api/reports", {"language": "xx"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unknown_language"
    assert error["message"] == 'Unknown language "xx": use one of en, es, fr, pt.'
    assert client.get("/api/reports", {"language": "FR"}).status_code == 200


def test_numbers_come_from_cldr():
    from cicte.reports.renderers.common import number

    assert number(1234567.5, "en") == "1,234,567.5"
    assert number(1234567.5, "es") == "1.234.567,5"
    assert number(1234567.5, "fr") == "1\u202f234\u202f567,5"  # CLDR's narrow no-break space
    assert number(1234567.5, "pt") == "1.234.567,5"
