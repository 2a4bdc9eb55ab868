"""The public site: plan tree, mandates, partners, member states, in English and Spanish."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cicte.plan.models import PlanStatus


@pytest.mark.django_db
def test_home_lists_the_approved_plan(client, plan_2012):
    response = client.get(reverse("public:home"))
    assert response.status_code == 200
    assert "CICTE/doc.5/12 rev. 1" in response.content.decode()


@pytest.mark.django_db
def test_plan_tree_shows_codes_quantities_and_unfunded(client, plan_2012):
    html = client.get(reverse("public:plan", args=[2012])).content.decode()
    assert "1.A.1.a" in html and "18" in html
    assert "3.A.6" in html
    assert html.count('class="badge unfunded"') == 7 + 1  # 7 items + the legend
    assert "PARTNERSHIPS" in html


@pytest.mark.django_db
def test_draft_plan_is_not_public(client, plan_2012):
    plan_2012.status = PlanStatus.DRAFT
    plan_2012.save()
    assert client.get(reverse("public:plan", args=[2012])).status_code == 404
    assert "CICTE/doc.5/12" not in client.get(reverse("public:home")).content.decode()


@pytest.mark.django_db
def test_mandates_page_shows_clauses_and_links(client, plan_2012):
    html = client.get(reverse("public:mandates")).content.decode()
    assert "AG/RES. 2618 (XLI-O/11)" in html
    assert "Not relevant to the Secretariat" in html
    assert "Implemented by:" in html


@pytest.mark.django_db
def test_partners_and_member_states(client, plan_2012):
    partners = client.get(reverse("public:partners")).content.decode()
    assert "International Civil Aviation Organization" in partners
    states = client.get(reverse("public:member-states")).content.decode()
    assert len(set(re.findall(r'href="/member-states/([A-Z]{3})/"', states))) == 35
    assert client.get(reverse("public:member-state", args=["JAM"])).status_code == 200
    assert client.get(reverse("public:member-state", args=["XXX"])).status_code == 404


@pytest.mark.django_db
def test_spanish_interface_and_country_names(client, plan_2012):
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    html = client.get(reverse("public:member-states")).content.decode()
    assert 'lang="es"' in html
    assert "Estados Unidos" in html
    assert "Estados miembros" in html


@pytest.mark.django_db
def test_pages_send_security_headers(client, plan_2012):
    response = client.get(reverse("public:home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
