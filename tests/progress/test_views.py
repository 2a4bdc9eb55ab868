"""The staff workspace pages: permissions, figures in the HTML, htmx partial, filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cicte.directory.models import MemberState
from tests.factories import CountryParticipationFactory, UserFactory

D = dt.date


@pytest.fixture
def delivered(tree, make_target, make_event):
    """Target 1.A.1.a: 7 of 18 delivered in 2012; a qualitative target; a planned event."""
    target = make_target("1.A.1.a", 18, unit="Training needs assessments")
    make_target("2.A.1.q", None, project=2, text="Promote information sharing")
    event = make_event(
        {target: 7},
        D(2012, 3, 10),
        title="Port security workshop",
        beneficiaries=("BRB",),
        participants_total=20,
        participants_women=8,
        participants_men=12,
    )
    CountryParticipationFactory(
        event=event, member_state=MemberState.objects.get(code="BRB"), women=8, men=12
    )
    make_event([target], D(2012, 10, 10), status="planned", title="Cyber drill in Lima")
    return target


def test_anonymous_is_redirected_to_login(client, db):
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["dashboard", "target", "member-state"])
def test_non_staff_is_forbidden(client, delivered, name):
    client.force_login(UserFactory(is_staff=False))
    args = {"dashboard": [], "target": [delivered.pk], "member-state": ["BRB"]}[name]
    assert client.get(reverse(f"workspace:{name}", args=args)).status_code == 403


def test_dashboard_shows_figures(staff_client, delivered):
    response = staff_client.get(reverse("workspace:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "7 of 18 (39 %)" in html
    assert '<progress max="18" value="7"' in html
    assert "Qualitative" in html
    assert "Cyber drill in Lima" in html  # planned but not held
    assert "participants: 8 women, 12 men" in html
    assert reverse("workspace:target", args=[delivered.pk]) in html
    assert reverse("workspace:member-state", args=["BRB"]) in html
    assert "<svg" in html
    assert f'href="{reverse("workspace:dashboard")}" aria-current="page"' in html  # nav
    assert 'style="' not in html
    assert "<script>" not in html


def test_dashboard_filters_by_period(staff_client, delivered):
    response = staff_client.get(reverse("workspace:dashboard"), {"period": "2012-H2"})
    html = response.content.decode()
    assert "0 of 18 (0 %)" in html
    assert "Period 2012-H2" in html


def test_dashboard_bad_period_is_a_form_error(staff_client, delivered):
    response = staff_client.get(reverse("workspace:dashboard"), {"period": "2012-H3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown period" in html
    assert "7 of 18 (39 %)" in html  # falls back to the plan year


def test_dashboard_filters_by_work_area_and_state(staff_client, tree, delivered):
    html = staff_client.get(
        reverse("workspace:dashboard"), {"plan": tree["plan"].pk, "work_area": "2"}
    ).content.decode()
    assert "2.A.1.q" in html
    assert "1.A.1.a" not in html.split('id="targets-title"')[1].split('id="states-title"')[0]
    html = staff_client.get(
        reverse("workspace:dashboard"), {"member_state": "MEX"}
    ).content.decode()
    assert "0 of 18 (0 %)" in html


def test_dashboard_htmx_returns_the_partial(staff_client, delivered):
    response = staff_client.get(
        reverse("workspace:dashboard"), {"period": "2012"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "7 of 18 (39 %)" in html


def test_dashboard_without_plan(staff_client):
    response = staff_client.get(reverse("workspace:dashboard"))
    assert response.status_code == 200
    assert "No work plan" in response.content.decode()


def test_dashboard_in_spanish(staff_client, delivered):
    response = staff_client.get(reverse("workspace:dashboard"), HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert "7 de 18 (39 %)" in html
    assert "Panel de avance" in html


def test_target_page(staff_client, delivered):
    response = staff_client.get(delivered.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Port security workshop" in html
    assert "Cyber drill in Lima" in html
    assert "7 of 18 (39 %)" in html
    h1 = staff_client.get(delivered.get_absolute_url(), {"period": "2012-H1"}).content.decode()
    assert "Cyber drill in Lima" in h1  # the list shows every event
    assert "Progress in 2012-H1" in h1


def test_member_state_page(staff_client, delivered):
    response = staff_client.get(reverse("workspace:member-state", args=["brb"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Barbados" in html
    assert "Port security workshop" in html
    assert '<span class="value">8</span><span class="label">women</span>' in html


def test_member_state_unknown_is_404(staff_client, delivered):
    assert staff_client.get(reverse("workspace:member-state", args=["XXX"])).status_code == 404
