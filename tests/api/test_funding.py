"""/api/funding: donors, contributions, budgets, estimated needs and the funding figures per
project, program and plan, with the workspace's rules (staff; a donor the projects it funds)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cicte.funding.models import Budget, Contribution, Donor, FundingNeed
from cicte.plan.models import Funding
from tests.factories import TargetFactory

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def _donor(world: Any) -> Donor:
    return Donor.objects.create(kind="organization", organization=world.donor)


def _contribution(world: Any, donor: Donor, **kwargs: Any) -> Contribution:
    values = {
        "donor": donor,
        "plan": world.plan,
        "amount": Decimal("1000"),
        "date": "2012-02-01",
        "project": world.target.project,
        **kwargs,
    }
    return Contribution.objects.create(**values)


def test_record_donors_contributions_budget_and_read_the_gap(world):
    staff = world.client("secretariat", via="token")
    donor = _send(
        staff,
        "post",
        "/api/funding/donors",
        {"kind": "organization", "organization": world.donor.pk},
    )
    assert donor.status_code == 201, donor.content
    assert donor.json()["name"] == "Donor Agency (DONOR)"
    observer = _send(
        staff,
        "post",
        "/api/funding/donors",
        {"kind": "permanent_observer", "observer_name": "Spain"},
    )
    assert observer.status_code == 201
    assert [d["name"] for d in staff.get("/api/funding/donors").json()] == [
        "Donor Agency (DONOR)",
        "Spain",
    ]
    project = world.target.project
    pledge = _send(
        staff,
        "post",
        "/api/funding/contributions",
        {
            "donor": donor.json()["id"],
            "plan": "2012",
            "amount": "20000",
            "currency": "eur",
            "rate_to_usd": "1.25",
            "date": "2012-02-01",
            "project": project.pk,
        },
    )
    assert pledge.status_code == 201, pledge.content
    body = pledge.json()
    assert (body["currency"], body["status"], Decimal(body["amount_usd"])) == (
        "EUR",
        "pledged",
        Decimal("25000.00"),
    )
    unearmarked = _send(
        staff,
        "post",
        "/api/funding/contributions",
        {
            "donor": observer.json()["id"],
            "plan": "2012",
            "amount": 5000,
            "status": "received",
            "date": "2012-03-01",
            "program": world.program.pk,
        },
    )
    assert unearmarked.status_code == 201, unearmarked.content
    budget = _send(
        staff, "put", f"/api/funding/projects/{project.pk}/budget", {"amount_usd": "100000"}
    )
    assert budget.status_code == 200, budget.content
    figures = staff.get(f"/api/funding/projects/{project.pk}").json()
    assert Decimal(figures["budget_usd"]) == 100000
    assert Decimal(figures["pledged_usd"]) == 25000
    assert Decimal(figures["gap_usd"]) == 75000
    assert figures["donors"] == ["Donor Agency (DONOR)"]
    assert figures["versions"]["budget"] == budget.json()["version"]

    received = _send(
        staff,
        "post",
        f"/api/funding/contributions/{body['id']}/received",
        {"date": "2012-04-01", "rate_to_usd": "1.3", "version": body["version"]},
    )
    assert received.status_code == 200, received.content
    assert received.json()["status"] == "received"
    assert Decimal(received.json()["amount_usd"]) == Decimal("26000.00")
    again = _send(
        staff, "post", f"/api/funding/contributions/{body['id']}/received", {"date": "2012-04-02"}
    )
    assert again.status_code == 422
    assert "Already received" in again.json()["error"]["message"]

    plan = staff.get("/api/funding/plans/2012").json()
    assert Decimal(plan["received_usd"]) == Decimal("31000.00")
    row = next(p for p in plan["projects"] if p["code"] == "1.A.1")
    assert Decimal(row["received_usd"]) == 26000 and Decimal(row["gap_usd"]) == 74000
    assert [(p["code"], Decimal(p["received_usd"])) for p in plan["programs"]] == [
        ("1.A", Decimal("5000.00"))
    ]
    listed = staff.get("/api/funding/contributions?plan=2012&status=received").json()
    assert listed["total"] == 2


def test_estimated_need_of_a_target_waiting_for_funding(world):
    waiting = TargetFactory(
        plan=world.plan,
        project=world.target.project,
        code="1.A.1.b",
        funding=Funding.TO_BE_IDENTIFIED,
    )
    manager = world.client("program_manager", via="token")
    saved = _send(manager, "put", f"/api/funding/targets/{waiting.pk}/need", {"amount_usd": 4500})
    assert saved.status_code == 200, saved.content
    staff = world.client("secretariat", via="token")
    figures = staff.get(f"/api/funding/projects/{world.target.project.pk}").json()
    assert [(t["code"], Decimal(t["estimated_usd"])) for t in figures["unfunded_targets"]] == [
        ("1.A.1.b", Decimal("4500.00"))
    ]
    assert figures["versions"]["needs"] == {str(waiting.pk): saved.json()["version"]}
    # A funded target has no "need": refused with the rule named.
    refused = _send(
        staff, "put", f"/api/funding/targets/{world.target.pk}/need", {"amount_usd": 10}
    )
    assert refused.status_code == 422
    assert "to be determined" in refused.json()["error"]["message"]
    assert not FundingNeed.objects.filter(target=world.target).exists()


def test_what_a_donor_sees(world):
    donor = _donor(world)
    _contribution(world, donor)
    other = Donor.objects.create(kind="permanent_observer", observer_name="Japan")
    _contribution(world, other, project=world.other_target.project, amount=Decimal("7"))
    client = world.client("donor", via="token")
    projects = client.get("/api/funding/projects").json()
    assert [p["code"] for p in projects] == ["1.A.1"]
    assert client.get(f"/api/funding/projects/{world.target.project.pk}").json()["versions"] is None
    hidden = client.get(f"/api/funding/projects/{world.other_target.project.pk}")
    assert hidden.status_code == 404
    listed = client.get("/api/funding/contributions").json()
    assert [c["donor"] for c in listed["items"]] == ["Donor Agency (DONOR)"]
    japan = Contribution.objects.get(donor=other)
    assert client.get(f"/api/funding/contributions/{japan.pk}").status_code == 404
    for path in ("/api/funding/plans/2012", "/api/funding/donors"):
        assert client.get(path).status_code == 403
    refused = _send(
        client,
        "post",
        "/api/funding/contributions",
        {"donor": donor.pk, "plan": "2012", "amount": 1, "date": "2012-01-01"},
    )
    assert refused.status_code == 403
    assert Contribution.objects.count() == 2


@pytest.mark.parametrize("role", ["point_of_contact", "no_role"])
def test_others_see_no_funding(world, role):
    client = world.client(role, via="token")
    for path in (
        "/api/funding/projects",
        f"/api/funding/projects/{world.target.project.pk}",
        "/api/funding/contributions",
        "/api/funding/plans/2012",
        "/api/funding/donors",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "permission_denied"
    assert Client().get("/api/funding/projects").status_code == 401


def test_a_manager_sets_budgets_of_their_programs_only(world):
    manager = world.client("program_manager", via="token")
    own = _send(
        manager, "put", f"/api/funding/projects/{world.target.project.pk}/budget", {"amount_usd": 1}
    )
    assert own.status_code == 200
    other = world.other_target.project
    refused = _send(manager, "put", f"/api/funding/projects/{other.pk}/budget", {"amount_usd": 1})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert not Budget.objects.filter(project=other).exists()
    # Donors and contributions are the Secretariat's.
    donor = _send(
        manager, "post", "/api/funding/donors", {"kind": "permanent_observer", "observer_name": "X"}
    )
    assert donor.status_code == 403
    assert not Donor.objects.exists()


def test_a_stale_budget_is_refused(world):
    staff = world.client("secretariat", via="token")
    path = f"/api/funding/projects/{world.target.project.pk}/budget"
    first = _send(staff, "put", path, {"amount_usd": 10, "version": 0}).json()
    second = _send(staff, "put", path, {"amount_usd": 20, "version": first["version"]})
    assert second.status_code == 200
    stale = _send(staff, "put", path, {"amount_usd": 30, "version": first["version"]})
    assert stale.status_code == 409
    assert Budget.objects.get(project=world.target.project).amount_usd == 20


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": "-5"}, "negative_amount"),
        ({"amount": 0}, "negative_amount"),
        ({"amount": "lots"}, "validation_error"),
        ({"currency": "XYZ"}, "unknown_currency"),
        ({"currency": "EUR"}, "bad_rate"),  # no rate for a non-USD amount
        ({"rate_to_usd": "2"}, "bad_rate"),  # USD is 1
        ({"program": "PROGRAM"}, "invalid"),  # a project and a program together
        ({"donor": 999_999}, "validation_error"),
        ({"plan": "1999"}, "not_found"),
        ({"date": "yesterday"}, "validation_error"),
    ],
)
def test_bad_contributions_are_refused_clearly_and_nothing_is_written(world, change, code):
    donor = _donor(world)
    if change.get("program") == "PROGRAM":
        change = {"program": world.program.pk}
    body = {
        "donor": donor.pk,
        "plan": "2012",
        "amount": "100",
        "date": "2012-01-05",
        "project": world.target.project.pk,
        **change,
    }
    response = _send(
        world.client("secretariat", via="token"), "post", "/api/funding/contributions", body
    )
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert not Contribution.objects.exists()


def test_a_negative_budget_is_refused(world):
    response = _send(
        world.client("secretariat", via="token"),
        "put",
        f"/api/funding/projects/{world.target.project.pk}/budget",
        {"amount_usd": "-1"},
    )
    assert response.status_code == 422
    assert "negative" in response.json()["error"]["message"]
    assert not Budget.objects.exists()


def _many(world: Any, donor: Donor, count: int) -> None:
    for n in range(count):
        target = world.target if n % 2 else world.other_target
        _contribution(world, donor, project=target.project, amount=Decimal(n + 1))


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("secretariat", "/api/funding/contributions"),
        ("donor", "/api/funding/contributions"),
        ("secretariat", "/api/funding/plans/2012"),
        ("donor", "/api/funding/projects"),
    ],
)
def test_list_queries_do_not_grow_with_the_data(world, role, path, django_assert_max_num_queries):
    donor = _donor(world)
    client = world.client(role, via="token")
    client.get(path)
    _many(world, donor, 3)
    with django_assert_max_num_queries(15) as small:
        assert client.get(path).status_code == 200
    _many(world, donor, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200
    if path.endswith("contributions"):
        assert response.json()["total"] == 15
