"""Downloads of the tables the security world does not fill (tests/security/
test_table_downloads.py walks the others): each page's "Download CSV / XLSX" gives the
table the page shows, through ``cicte.core.exports``; the events list keeps its own full
export (``workspace:event-export``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cicte.core.tables import tables_from_html
from cicte.evaluations.models import Evaluation, Questionnaire, Recommendation, Response
from cicte.funding.services import contribution_record, donor_create
from tests.assistance.factories import state, user_with_role
from tests.factories import EventFactory, ProgramFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(db):
    return user_with_role("secretariat", username="sec")


HOSTILE = '=HYPERLINK("http://evil.example","x")'


def check_download(client, url: str, table_id: str) -> list[list[str]]:
    """The page links both formats for ``table_id``; both give the page's table, safely."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    table = {t.id: t for t in tables_from_html(html)}[table_id]
    links = re.findall(rf'href="(\?[^"]*table={table_id}[^"]*)"', html)
    assert len(links) == 2 and "Download CSV" in html and "Download XLSX" in html
    base = url.split("?")[0]
    rows: list[list[str]] = []
    for href in links:
        response = client.get(base + href.replace("&amp;", "&"))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        if "format=csv" in href:
            data = b"".join(response.streaming_content).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(data, newline="")))
            assert rows[0] == table.header
            assert len(rows) - 1 == len(table.rows) > 0
        else:
            workbook = load_workbook(io.BytesIO(response.content))
            cells = [c for row in workbook.worksheets[0].iter_rows() for c in row]
            assert all(c.data_type != "f" for c in cells)
            assert [c.value for c in next(workbook.worksheets[0].iter_rows())] == table.header
    return rows


def test_recommendations_of_an_evaluation(client, secretariat):
    evaluation = Evaluation.objects.create(
        kind="project", project=ProjectFactory(), date=dt.date(2012, 5, 1), findings="f"
    )
    Recommendation.objects.create(evaluation=evaluation, text=HOSTILE, owner=secretariat)
    client.force_login(secretariat)
    rows = check_download(client, evaluation.get_absolute_url(), "recommendations")
    assert rows[1][0] == "'" + HOSTILE  # escaped, not a formula
    assert "Update" not in rows[0]  # the status-form column is left out


def test_feedback_results(client, secretariat):
    questionnaire = Questionnaire.objects.create(event=EventFactory(title="Port course"))
    Response.objects.create(
        questionnaire=questionnaire,
        satisfaction=4,
        relevance=5,
        knowledge_before=1,
        knowledge_after=4,
        nonce="x",
    )
    client.force_login(secretariat)
    url = reverse("workspace:evaluations-feedback") + f"?event={questionnaire.event_id}"
    check_download(client, url, "feedback-results")


def test_funding_earmarked_to_programs(client, secretariat):
    program = ProgramFactory()
    donor = donor_create(actor=secretariat, kind="member_state", member_state=state("USA"))
    contribution_record(
        actor=secretariat,
        donor=donor,
        plan=program.plan,
        amount="1000",
        currency="USD",
        date=dt.date(2012, 3, 1),
        program=program,
    )
    client.force_login(secretariat)
    url = reverse("workspace:funding-overview") + f"?plan={program.plan.pk}"
    check_download(client, url, "funding-programs")


def test_public_partners(client, plan_2012):
    page = client.get(reverse("public:partners")).content.decode()
    first = re.search(r'<table id="(partners-[^"]+)"', page)[1]
    check_download(client, reverse("public:partners"), first)


def test_anonymous_cannot_download_workspace_tables(client):
    response = client.get(reverse("workspace:evaluations-recommendations") + "?format=csv")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_request_history(client, secretariat):
    from cicte.assistance.services import request_submit

    item = request_submit(
        actor=secretariat,
        member_state=state("JAM"),
        title="Port security assessment",
        needs="An assessment of two ports",
        contact_name="A. Contact",
        contact_email="contact@example.org",
    )
    client.force_login(secretariat)
    check_download(
        client, reverse("workspace:assistance-request", args=[item.pk]), "request-history"
    )


@pytest.fixture
def held_in_jamaica(plan_2012, secretariat):
    from cicte.delivery.models import EventStatus
    from cicte.delivery.services import event_record

    target = plan_2012.targets.filter(quantity__gt=1).order_by("position").first()
    return event_record(
        actor=secretariat,
        plan=plan_2012,
        kind="workshop",
        title="Port workshop",
        start_date=dt.date(2012, 3, 5),
        end_date=dt.date(2012, 3, 7),
        targets=[(target, 1)],
        status=EventStatus.HELD,
        host_state=state("JAM"),
        beneficiaries=[state("JAM")],
    )


def test_dashboard_what_is_behind(client, secretariat, held_in_jamaica):
    client.force_login(secretariat)
    check_download(client, reverse("workspace:dashboard"), "progress-behind")


def test_member_state_events_by_program(client, secretariat, held_in_jamaica):
    client.force_login(secretariat)
    url = reverse("workspace:member-state", args=["JAM"])
    check_download(client, url, "member-state-programs")
