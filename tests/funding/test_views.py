"""Funding pages: staff workspace, donors' view, permissions, form errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from cicte.funding.models import Budget, Contribution
from cicte.funding.services import contribution_record, donor_create
from tests.assistance.factories import state, user_with_role
from tests.factories import OrganizationFactory, ProjectFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def funded(secretariat, project):
    org = OrganizationFactory()
    donor = donor_create(actor=secretariat, kind="organization", organization=org)
    contribution_record(
        actor=secretariat,
        donor=donor,
        plan=project.plan,
        project=project,
        amount="1200",
        currency="USD",
        date=dt.date(2012, 3, 1),
        status="received",
    )
    return org


class TestWorkspace:
    @pytest.mark.parametrize(
        "name", ["funding-overview", "funding-donors", "funding-contribution-new"]
    )
    def test_refused_outside_the_secretariat(
        self, client, poc_jam, donor_user, secretariat, funded, name
    ):
        url = reverse(f"workspace:{name}")
        assert client.get(url).status_code == 302
        for user in (poc_jam, donor_user):
            client.force_login(user)
            assert client.get(url).status_code == 403
        client.force_login(secretariat)
        assert client.get(url).status_code == 200

    def test_overview_and_project_page(self, client, secretariat, project, funded):
        TargetFactory(project=project, funding="to_be_identified", quantity=None, text="Unfunded")
        client.force_login(secretariat)
        overview = client.get(reverse("workspace:funding-overview"), {"plan": project.plan.symbol})
        assert overview.status_code == 200
        assert overview.context["data"].received_usd == Decimal("1200")
        page = client.get(reverse("workspace:funding-project", args=[project.pk]))
        assert page.status_code == 200
        assert page.context["data"].received_usd == Decimal("1200")
        assert "Unfunded" in page.text

    def test_budget_form(self, client, secretariat, project):
        client.force_login(secretariat)
        url = reverse("workspace:funding-budget", args=[project.pk])
        page = client.post(url, {"amount": "-10"}, follow=True)
        assert "cannot be negative" in page.text
        assert not Budget.objects.exists()
        client.post(url, {"amount": "15000.50"})
        assert Budget.objects.get(project=project).amount_usd == Decimal("15000.50")

    def test_contribution_form_errors(self, client, secretariat, project):
        donor = donor_create(actor=secretariat, kind="member_state", member_state=state("USA"))
        client.force_login(secretariat)
        data = {
            "donor": donor.pk,
            "plan": project.plan.pk,
            "status": "pledged",
            "amount": "-100",
            "currency": "USD",
            "date": "2012-04-01",
            "project": project.pk,
        }
        url = reverse("workspace:funding-contribution-new")
        page = client.post(url, data)
        assert "greater than zero" in page.text
        page = client.post(url, {**data, "amount": "100", "currency": "ZZZ"})
        assert "Unknown currency" in page.text
        assert not Contribution.objects.exists()
        response = client.post(url, {**data, "amount": "100"})
        assert response["Location"] == reverse("workspace:funding-project", args=[project.pk])
        assert Contribution.objects.get().amount == Decimal("100")

    def test_program_manager_cannot_set_budget_of_other_program(self, client, project):
        manager = user_with_role("program_manager", username="pm", programs=[])
        client.force_login(manager)
        client.post(reverse("workspace:funding-budget", args=[project.pk]), {"amount": "5"})
        assert not Budget.objects.exists()


class TestDonorView:
    def test_donor_sees_own_projects_only(self, client, project, funded):
        other = ProjectFactory()
        user = user_with_role("donor", username="donor-org", organization=funded)
        client.force_login(user)
        page = client.get(reverse("public-funding:list"))
        assert page.status_code == 200
        assert [p.project_id for p in page.context["projects"]] == [project.pk]
        assert client.get(reverse("public-funding:project", args=[project.pk])).status_code == 200
        assert client.get(reverse("public-funding:project", args=[other.pk])).status_code == 404

    def test_other_roles(self, client, poc_jam, secretariat):
        assert client.get(reverse("public-funding:list")).status_code == 302
        client.force_login(poc_jam)
        assert client.get(reverse("public-funding:list")).status_code == 403
        client.force_login(secretariat)
        response = client.get(reverse("public-funding:list"))
        assert response["Location"] == reverse("workspace:funding-overview")
