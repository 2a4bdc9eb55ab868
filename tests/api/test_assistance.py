"""/api/assistance/requests: the workflow through the API as the web runs it (the same services),
the same visibility (a point of contact sees their own state's requests), a skipped step refused
with nothing written, and list queries constant in the number of requests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cicte.assistance.models import AssistanceRequest, RequestTransition
from cicte.delivery.models import Event
from tests.assistance.factories import AssistanceRequestFactory, state
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _snapshot(item: AssistanceRequest) -> tuple[Any, ...]:
    fresh = AssistanceRequest.objects.get(pk=item.pk)
    return (
        fresh.status,
        fresh.project_id,
        fresh.target_id,
        sorted(fresh.events.values_list("pk", flat=True)),
        RequestTransition.objects.filter(request=item).count(),
        fresh.history.count(),
    )


NEW = {
    "member_state": "JAM",
    "title": "Port security training",
    "needs": "Training for 20 port facility security officers.",
    "contact_name": "Ana Pérez",
    "contact_email": "ana@example.gov",
}


def test_the_whole_workflow_through_the_api(world):
    poc = world.client("point_of_contact", via="token")
    staff = world.client("secretariat", via="token")
    created = _post(poc, "/api/assistance/requests", {**NEW, "program": world.program.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["member_state"] == "JAM"
    assert body["program"] == "1.A"
    assert body["status"] == "submitted"
    assert body["next_statuses"] == ["under_review"]
    assert [(s["from_status"], s["to_status"], s["by"]) for s in body["history"]] == [
        ("", "submitted", "poc-jam")
    ]
    pk = body["id"]
    path = f"/api/assistance/requests/{pk}/transition"
    world.jam_event.status = "planned"
    world.jam_event.save()
    steps = [
        {"to_status": "under_review", "note": "Looking at it"},
        {"to_status": "accepted", "target": world.target.pk},
        {"to_status": "scheduled", "events": [world.jam_event.pk]},
    ]
    for step in steps:
        version = staff.get(f"/api/assistance/requests/{pk}").json()["version"]
        response = _post(staff, path, {**step, "version": version})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == step["to_status"]
    scheduled = response.json()
    assert scheduled["project"] == "1.A.1" and scheduled["target"] == "1.A.1.a"
    assert [e["id"] for e in scheduled["events"]] == [world.jam_event.pk]
    # Delivered needs every linked event held: refused while planned, nothing written.
    refused = _post(staff, path, {"to_status": "delivered"})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "events_not_held"
    Event.objects.filter(pk=world.jam_event.pk).update(status="held")
    assert _post(staff, path, {"to_status": "delivered"}).status_code == 200
    # The requesting country's point of contact closes a delivered request.
    closed = _post(poc, path, {"to_status": "closed", "note": "Thank you"})
    assert closed.status_code == 200, closed.content
    history = closed.json()["history"]
    assert [s["to_status"] for s in history] == [
        "submitted",
        "under_review",
        "accepted",
        "scheduled",
        "delivered",
        "closed",
    ]
    assert history[-1]["by"] == "poc-jam" and history[-1]["note"] == "Thank you"
    assert AssistanceRequest.objects.get(pk=pk).status == "closed"


def test_a_skipped_step_is_refused_naming_it_and_nothing_is_written(world):
    item = AssistanceRequestFactory(member_state=state("JAM"))
    RequestTransition.objects.create(request=item, from_status="", to_status="submitted")
    before = _snapshot(item)
    staff = world.client("secretariat", via="token")
    response = _post(
        staff,
        f"/api/assistance/requests/{item.pk}/transition",
        {"to_status": "accepted", "target": world.target.pk},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert "Submitted" in error["message"] and "Accepted" in error["message"]
    assert error["details"] == [
        {
            "field": "to_status",
            "code": "invalid_transition",
            "from": "submitted",
            "to": "accepted",
            "allowed": ["under_review"],
        }
    ]
    assert _snapshot(item) == before


@pytest.mark.parametrize(
    ("step", "code"),
    [
        ({"to_status": "accepted"}, "link_required"),
        ({"to_status": "declined", "decline_reason": "  "}, "reason_required"),
        ({"to_status": "accepted", "target": 999_999}, "validation_error"),
        ({"to_status": "accepted", "project": 999_999}, "validation_error"),
        ({"to_status": "nonsense"}, "validation_error"),
        ({"to_status": "under_review"}, "invalid_transition"),  # already under review
    ],
)
def test_bad_transitions_say_what_is_missing_and_write_nothing(world, step, code):
    item = AssistanceRequestFactory(member_state=state("JAM"), status="under_review")
    before = _snapshot(item)
    response = _post(
        world.client("secretariat", via="token"),
        f"/api/assistance/requests/{item.pk}/transition",
        step,
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert _snapshot(item) == before


def test_scheduling_with_unknown_or_cancelled_events_is_refused(world):
    item = AssistanceRequestFactory(member_state=state("JAM"), status="accepted")
    cancelled = EventFactory(plan=world.plan, status="cancelled", title="Cancelled course")
    before = _snapshot(item)
    staff = world.client("secretariat", via="token")
    path = f"/api/assistance/requests/{item.pk}/transition"
    for events in ([], [999_999], [cancelled.pk]):
        response = _post(staff, path, {"to_status": "scheduled", "events": events})
        assert response.status_code == 422, response.content
        assert response.json()["error"]["code"] in {"events_required", "validation_error"}
    assert _snapshot(item) == before


def test_a_stale_version_is_refused_with_what_changed(world):
    item = AssistanceRequestFactory(member_state=state("JAM"))
    staff = world.client("secretariat", via="token")
    version = staff.get(f"/api/assistance/requests/{item.pk}").json()["version"]
    path = f"/api/assistance/requests/{item.pk}/transition"
    assert _post(staff, path, {"to_status": "under_review", "version": version}).status_code == 200
    stale = _post(
        staff,
        path,
        {"to_status": "declined", "decline_reason": "Out of scope", "version": version},
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_edit"
    assert AssistanceRequest.objects.get(pk=item.pk).status == "under_review"


def test_who_sees_which_request(world):
    jam = AssistanceRequestFactory(member_state=state("JAM"), title="Jamaica asks")
    brb = AssistanceRequestFactory(member_state=state("BRB"), title="Barbados asks")
    poc = world.client("point_of_contact", via="token")
    listed = poc.get("/api/assistance/requests").json()
    assert [i["title"] for i in listed["items"]] == ["Jamaica asks"]
    assert poc.get(f"/api/assistance/requests/{jam.pk}").status_code == 200
    hidden = poc.get(f"/api/assistance/requests/{brb.pk}")
    assert hidden.status_code == 404  # another country's request: not even its existence
    staff = world.client("program_manager", via="token").get("/api/assistance/requests").json()
    assert {i["title"] for i in staff["items"]} == {"Jamaica asks", "Barbados asks"}
    for role in ("donor", "no_role"):
        response = world.client(role, via="token").get("/api/assistance/requests")
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    assert Client().get("/api/assistance/requests").status_code == 401


def test_queue_filters_as_on_the_web(world):
    AssistanceRequestFactory(member_state=state("JAM"), title="Open JAM", program=world.program)
    AssistanceRequestFactory(member_state=state("BRB"), title="Open BRB")
    AssistanceRequestFactory(member_state=state("JAM"), title="Closed JAM", status="closed")
    staff = world.client("secretariat", via="token")

    def titles(query: str) -> set[str]:
        response = staff.get(f"/api/assistance/requests?{query}")
        assert response.status_code == 200, response.content
        return {i["title"] for i in response.json()["items"]}

    assert titles("") == {"Open JAM", "Open BRB"}  # the queue shows open requests
    assert titles("all=true") == {"Open JAM", "Open BRB", "Closed JAM"}
    assert titles("status=closed") == {"Closed JAM"}
    assert titles("member_state=jam") == {"Open JAM"}
    assert titles(f"program={world.program.pk}") == {"Open JAM"}
    page = staff.get("/api/assistance/requests?all=true&limit=2&offset=2").json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 2, 1)
    assert staff.get("/api/assistance/requests?status=bogus").status_code == 422


def test_submitting_for_another_state_is_refused_and_writes_nothing(world):
    poc = world.client("point_of_contact", via="token")
    response = _post(poc, "/api/assistance/requests", {**NEW, "member_state": "BRB"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "wrong_country"
    assert "own member state" in response.json()["error"]["message"]
    for role in ("donor", "no_role"):
        refused = _post(world.client(role, via="token"), "/api/assistance/requests", NEW)
        assert refused.status_code == 403
    assert not AssistanceRequest.objects.exists()
    # Staff record a request on behalf of any state.
    staff = _post(world.client("secretariat", via="token"), "/api/assistance/requests", NEW)
    assert staff.status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"member_state": "XYZ"}, "member_state"),
        ({"program": 999_999}, "program"),
        ({"title": ""}, "title"),
        ({"contact_email": "not an address"}, None),
        ({"preferred_start": "2012-05-01", "preferred_end": "2012-04-01"}, None),
    ],
)
def test_bad_requests_are_refused_with_a_clear_error(world, change, field):
    response = _post(
        world.client("secretariat", via="token"), "/api/assistance/requests", {**NEW, **change}
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["message"]
    if field:
        text = json.dumps(error["details"])
        assert field in text
    assert not AssistanceRequest.objects.exists()


def test_the_point_of_contact_cannot_move_a_request_along(world):
    item = AssistanceRequestFactory(member_state=state("JAM"))
    before = _snapshot(item)
    response = _post(
        world.client("point_of_contact", via="token"),
        f"/api/assistance/requests/{item.pk}/transition",
        {"to_status": "under_review"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert _snapshot(item) == before


def _requests(world: Any, count: int) -> None:
    for n in range(count):
        item = AssistanceRequestFactory(
            member_state=state("JAM" if n % 2 else "BRB"),
            program=world.program,
            status="scheduled",
        )
        item.events.add(world.jam_event)


@pytest.mark.parametrize("role", ["secretariat", "point_of_contact"])
def test_list_queries_do_not_grow_with_the_number_of_requests(
    world, role, django_assert_max_num_queries
):
    client = world.client(role, via="token")
    client.get("/api/assistance/requests")  # warm the caches (content types, memberships)
    _requests(world, 3)
    with django_assert_max_num_queries(12) as small:
        assert client.get("/api/assistance/requests").status_code == 200
    _requests(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/api/assistance/requests")
    assert response.status_code == 200
    assert response.json()["total"] == (15 if role == "secretariat" else 7)
