"""IATI 2.03: the 2012 plan with the demo data, validated against the official schema."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from lxml import etree

from cicte.core.periods import parse_period
from cicte.core.types import SYSTEM
from cicte.delivery.models import Event, EventStatus
from cicte.directory.models import MemberState
from cicte.funding.models import Budget, Contribution, ContributionStatus, Donor, DonorKind
from cicte.iati.data import iati_plan
from cicte.iati.elements import activities_document, registered
from cicte.plan.models import Funding, Project, Target
from cicte.progress.selectors import plan_progress

XSD = Path(__file__).resolve().parent / "xsd" / "iati-activities-schema.xsd"
REF = "XM-OAS-CICTE"
TODAY = dt.date(2013, 3, 1)  # the 2012 plan's year is over: status 3, both halves reported


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture
def demo_2012(plan_2012, settings):
    settings.IATI_REPORTING_ORG_REF = REF
    call_command("demo", stdout=io.StringIO())
    event = Event.objects.filter(
        plan=plan_2012, status=EventStatus.HELD, contributions__isnull=False
    ).earliest("start_date")
    event.cost, event.currency = Decimal("1500.50"), "USD"
    event.save()
    project = event.contributions.first().target.project
    donor = Donor.objects.create(
        kind=DonorKind.MEMBER_STATE, member_state=MemberState.objects.get(code="CAN")
    )
    Contribution.objects.create(
        donor=donor,
        plan=plan_2012,
        project=project,
        status=ContributionStatus.RECEIVED,
        amount=Decimal("125000.00"),
        currency="CAD",
        rate_to_usd=Decimal("0.98"),
        date=dt.date(2012, 4, 2),
    )
    Budget.objects.create(project=project, amount_usd=Decimal("300000.00"))
    return plan_2012


def _parse(data: bytes):
    return etree.fromstring(data)


def test_the_2012_plan_with_the_demo_data(demo_2012, schema):
    """One export of the demo data, checked for schema, activities, results, funding and the
    unfunded targets (one demo load: it is the slow part)."""
    unfunded = Target.objects.filter(plan=demo_2012, quantity__isnull=False).last()
    unfunded.funding = Funding.TO_BE_IDENTIFIED
    unfunded.save()
    data = activities_document(iati_plan(plan=demo_2012, actor=SYSTEM, today=TODAY))
    root = _parse(data)
    schema.assertValid(root)  # schema errors are test failures, with the line in the message
    _one_activity_per_project(root, demo_2012)
    _results_carry_half_year_targets_and_the_progress_figures(root, demo_2012)
    project = Project.objects.get(budget__isnull=False, plan=demo_2012)
    _funding_budget_incoming_funds_and_expenditure(root, project)
    _unfunded_targets_say_to_be_determined(root, unfunded)


def _one_activity_per_project(
    root, demo_2012
):  # schema errors are test failures, with the line in the message
    activities = root.findall("iati-activity")
    codes = list(
        Project.objects.filter(plan=demo_2012)
        .order_by("position", "id")
        .values_list("code", flat=True)
    )
    assert len(activities) == len(codes) and len(codes) > 20
    identifiers = [a.findtext("iati-identifier") for a in activities]
    assert identifiers == [f"{REF}-2012-{code}" for code in codes]
    assert root.get("version") == "2.03"
    assert {a.find("activity-status").get("code") for a in activities} == {"3"}


def _results_carry_half_year_targets_and_the_progress_figures(root, demo_2012):
    h1 = plan_progress(plan=demo_2012, period=parse_period("2012-H1"))
    h2 = plan_progress(plan=demo_2012, period=parse_period("2012-H2"))

    def delivered(progress, code):
        return next(
            t.delivered
            for a in progress.work_areas
            for g in a.programs
            for p in g.projects
            for t in p.targets
            if t.code == code
        )

    checked = 0
    for target in Target.objects.filter(plan=demo_2012, quantity__isnull=False):
        activity = root.find(f"iati-activity[iati-identifier='{REF}-2012-{target.project.code}']")
        indicator = next(
            i
            for i in activity.iter("indicator")
            if i.findtext("title/narrative").startswith(f"{target.code} ")
        )
        periods = indicator.findall("period")
        assert [p.find("period-start").get("iso-date") for p in periods] == [
            "2012-01-01",
            "2012-07-01",
        ]
        assert [p.find("period-end").get("iso-date") for p in periods] == [
            "2012-06-30",
            "2012-12-31",
        ]
        targets = [int(p.find("target").get("value")) for p in periods]
        assert sum(targets) == target.quantity  # the annual target, split over the halves
        actuals = [int(p.find("actual").get("value")) for p in periods]
        assert actuals == [delivered(h1, target.code), delivered(h2, target.code)]
        checked += 1
    assert checked > 20
    assert any(int(a.get("value")) > 0 for a in root.iter("actual"))  # the demo delivered something


def _funding_budget_incoming_funds_and_expenditure(root, project):
    activity = root.find(f"iati-activity[iati-identifier='{REF}-2012-{project.code}']")
    funders = [o.findtext("narrative") for o in activity.findall("participating-org[@role='1']")]
    assert funders == ["Canada"]
    budget = activity.find("budget/value")
    assert (budget.text, budget.get("currency")) == ("300000.00", "USD")
    (incoming,) = activity.xpath("transaction[transaction-type/@code='1']")
    value = incoming.find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == (
        "125000.00",
        "CAD",
        "2012-04-02",
    )
    assert incoming.findtext("provider-org/narrative") == "Canada"
    spent = activity.xpath("transaction[transaction-type/@code='4']/value")
    assert sum(Decimal(v.text) for v in spent) >= Decimal("1500.50")
    countries = activity.findall("recipient-country")
    assert countries and sum(Decimal(c.get("percentage")) for c in countries) == 100
    scope = activity.find("activity-scope").get("code")
    assert scope == ("4" if len(countries) == 1 else "3")


def _unfunded_targets_say_to_be_determined(root, target):
    activity = root.find(f"iati-activity[iati-identifier='{REF}-2012-{target.project.code}']")
    other = activity.find("description[@type='4']/narrative").text
    assert other.startswith("To be determined once funding is identified") and target.code in other
    indicator = next(
        i
        for i in activity.iter("indicator")
        if i.findtext("title/narrative").startswith(f"{target.code} ")
    )
    assert (
        indicator.findtext("description/narrative") == "To be determined once funding is identified"
    )


def test_the_element_registry_follows_the_schema_order():
    assert registered() == [
        "iati_identifier",
        "reporting_org",
        "title",
        "description",
        "participating_org",
        "activity_status",
        "activity_date",
        "activity_scope",
        "recipient_country",
        "sector",
        "budget",
        "transaction",
        "result",
    ]


def test_command_writes_the_file_and_refuses_without_the_reporting_org(
    plan_2012, settings, tmp_path, schema
):
    settings.IATI_REPORTING_ORG_REF = REF
    out = tmp_path / "iati.xml"
    call_command("export_iati", "--plan", "2012", "-o", str(out), stderr=io.StringIO())
    schema.assertValid(etree.parse(str(out)))
    settings.IATI_REPORTING_ORG_REF = ""
    missing = tmp_path / "missing.xml"
    with pytest.raises(CommandError, match="IATI_REPORTING_ORG_REF"):
        call_command("export_iati", "--plan", "2012", "-o", str(missing))
    assert not missing.exists()
    with pytest.raises(CommandError, match="No work plan '1999'"):
        call_command("export_iati", "--plan", "1999")


def test_api_and_workspace_download(demo_2012, staff_client, schema):
    client = Client()  # anonymous (staff_client is the pytest-django client, signed in)
    response = client.get("/api/plans/2012/iati.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    public = _parse(response.content)
    schema.assertValid(public)
    # The public may not read contributions: no incoming funds in their file.
    assert public.xpath(".//transaction[transaction-type/@code='1']") == []
    staff = staff_client.get("/workspace/iati/2012.xml")
    assert staff.status_code == 200 and staff["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in staff["Content-Disposition"]
    assert _parse(staff.content).xpath(".//transaction[transaction-type/@code='1']")
    assert client.get("/workspace/iati/2012.xml").status_code in {302, 403}
    page = staff_client.get("/workspace/iati/")
    assert page.status_code == 200 and b"/workspace/iati/2012.xml" in page.content


def test_api_and_workspace_refuse_without_the_reporting_org_naming_the_setting(
    plan_2012, staff_client, settings
):
    settings.IATI_REPORTING_ORG_REF = ""
    response = Client().get("/api/plans/2012/iati.xml")
    assert response.status_code == 422  # an ApplicationError: the API's refusal status
    error = response.json()["error"]
    assert error["code"] == "iati_setting_missing"
    assert "IATI_REPORTING_ORG_REF" in error["message"]
    page = staff_client.get("/workspace/iati/2012.xml")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert "IATI_REPORTING_ORG_REF" in page.content.decode()
    assert "attachment" not in page.get("Content-Disposition", "")
