"""Item 8: amounts typed into the funding forms are bounded to their columns
(DecimalField(16, 2) for amounts, (18, 8) for rates), before anything is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cicte.funding.models import Budget, Contribution
from cicte.funding.services import donor_create
from tests.assistance.factories import state
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


def test_budget_amount_too_large(client, secretariat, project):
    client.force_login(secretariat)
    url = reverse("workspace:funding-budget", args=[project.pk])
    page = client.post(url, {"amount": "1e20"}, follow=True)
    assert page.status_code == 200
    assert "no larger than" in page.text
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "Escriba un número no mayor que"),
        ("fr", "Saisissez un nombre inférieur ou égal à"),
        ("pt", "Digite um número não maior que"),
    ],
)
def test_budget_amount_too_large_in_the_readers_language(
    client, secretariat, project, settings, language, message
):
    client.force_login(secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("workspace:funding-budget", args=[project.pk])
    page = client.post(url, {"amount": "1e20"}, follow=True)
    assert page.status_code == 200
    assert message in page.text
    assert "no larger than" not in page.text
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    ("amount", "currency", "rate", "message"),
    [
        ("123456789012345678", "USD", "", "no larger than"),
        ("100", "EUR", "1e12", "no larger than"),
        ("90000000000000", "EUR", "100", "too large"),
    ],
)
def test_contribution_amounts_too_large(
    client, secretariat, project, amount, currency, rate, message
):
    donor = donor_create(actor=secretariat, kind="member_state", member_state=state("USA"))
    client.force_login(secretariat)
    data = {
        "donor": donor.pk,
        "plan": project.plan.pk,
        "status": "pledged",
        "amount": amount,
        "currency": currency,
        "rate_to_usd": rate,
        "date": "2012-04-01",
        "project": project.pk,
    }
    page = client.post(reverse("workspace:funding-contribution-new"), data)
    assert page.status_code == 200
    assert message in page.text
    assert not Contribution.objects.exists()
