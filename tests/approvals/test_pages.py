"""The overview of a half-year (completeness of every program), bad input on the pages, the
Spanish pages, and the report section before anything is approved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cicte.core.periods import parse_period
from cicte.reports.build import report_data

pytestmark = pytest.mark.django_db


def test_overview_completeness_bad_period_and_spanish(world, django_assert_max_num_queries):
    client = world.client("pm_a")
    url = reverse("workspace:approvals")
    with django_assert_max_num_queries(12):
        body = client.get(url, {"plan": "2012", "period": "2012-H1"}).content.decode()
    # 1.A: one held event without participants, no narrative; 1.B: narrative written.
    row_a = body.split('">1.A</a>')[1].split("</tr>")[0]
    assert "Not submitted" in row_a and "missing" in row_a
    assert '<td class="num">1</td>\n      <td class="num">1</td>' in row_a
    row_b = body.split('">1.B</a>')[1].split("</tr>")[0]
    assert "written" in row_b
    # A bad period: a message, never a traceback.
    response = client.get(url, {"plan": "2012", "period": "2012-H7"})
    assert response.status_code == 200 and "Unknown period" in response.content.decode()
    assert client.get("/workspace/approvals/1/nonsense/").status_code == 404
    # The program manager of 1.A may not submit 1.B: no button, and the POST is refused.
    program = world.programs["1.B"]
    page = client.get(reverse("workspace:approval", args=[program.pk, "2012-H1"]))
    assert "Submit for approval" not in page.content.decode()
    refused = client.post(reverse("workspace:approval-submit", args=[program.pk, "2012-H1"]))
    assert refused.status_code == 403
    # Spanish.
    spanish = client.get(url, {"plan": "2012", "period": "2012-H1"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "Aprobaciones de período" in spanish.content.decode()
    # The report says nothing is approved yet.
    data = report_data(plan=world.plan, period=parse_period("2012-H1"), language="es")
    section = next(s for s in data.sections if s.key == "approvals")
    assert section.title == "Aprobación de las cifras"
    assert all(row[1] == "No presentado" for row in section.blocks[1].rows)
    # A year is no half-year: no approvals section.
    whole = report_data(plan=world.plan, period=parse_period("2012"), language="en")
    assert "approvals" not in {s.key for s in whole.sections}
