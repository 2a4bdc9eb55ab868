"""The REST API: public reads, event visibility by role, writes through the services,
authentication and the JSON error shape."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cicte.accounts.models import ApiToken
from cicte.accounts.services import token_create, token_revoke
from cicte.api.openapi import openapi_document
from cicte.delivery.models import Event
from cicte.reports.models import Narrative
from tests.security.world import MARKER

pytestmark = pytest.mark.django_db

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]


def test_openapi_document_is_committed_and_current():
    committed = json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert committed == openapi_document(), (
        "The API changed: regenerate with `cicte export-openapi > docs/openapi.json`"
    )


def test_openapi_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "CICTE Work Plan API"


def test_docs_page_works_under_csp(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # The only inline <script> is JSON data (not executed, allowed by CSP).
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp


def test_public_reads_anonymous(client, world):
    plans = client.get("/api/plans").json()
    assert [p["year"] for p in plans["items"]] == [2012]  # the draft is hidden
    assert client.get(f"/api/plans/{world.draft_plan.pk}").status_code == 404
    assert client.get("/api/plans/2012").json()["symbol"] == world.plan.symbol
    for odd in ("²", "99999999999999999999999", "CICTE%2Fnothing"):
        assert client.get(f"/api/plans/{odd}").status_code == 404, odd
    targets = client.get("/api/plans/2012/targets?program=1.A").json()
    assert targets["total"] == 1
    assert targets["items"][0]["code"] == "1.A.1.a"
    assert len(client.get("/api/member-states").json()) == 35
    assert client.get("/api/member-states/jam").json()["code"] == "JAM"
    orgs = client.get("/api/organizations?limit=1").json()
    assert orgs["limit"] == 1 and orgs["total"] >= 1
    assert client.get("/api/mandates").status_code == 200
    assert client.get("/api/plans/2012/work-areas").json()[0]["number"] == 1
    assert {p["code"] for p in client.get("/api/plans/2012/programs").json()} == {"1.A", "1.B"}


def test_staff_see_draft_plans(world):
    client = world.client("secretariat", via="token")
    assert client.get(f"/api/plans/{world.draft_plan.pk}").status_code == 200


def test_events_need_a_role(world):
    assert error_of(Client().get("/api/events"))["code"] == "not_authenticated"
    response = world.client("no_role", via="token").get("/api/events")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_point_of_contact_sees_only_their_country(world):
    client = world.client("point_of_contact", via="token")
    events = client.get("/api/events").json()
    assert [e["id"] for e in events["items"]] == [world.jam_event.pk]
    assert events["total"] == 1
    assert client.get(f"/api/events/{world.brb_event.pk}").status_code == 404
    assert (
        client.get("/api/events?member_state=BRB").json()["total"] == 1
    )  # JAM event, BRB beneficiary
    people = client.get(f"/api/events/{world.jam_event.pk}/participants").json()
    assert [p["name"] for p in people] == [f"Ann {MARKER}"]  # not the Barbadian participant
    assert client.get(f"/api/events/{world.brb_event.pk}/participants").status_code == 404
    assert MARKER not in client.get("/api/events").content.decode()


def test_secretariat_sees_everything(world):
    client = world.client("secretariat", via="token")
    events = client.get("/api/events?limit=1").json()
    assert events["total"] == 2 and len(events["items"]) == 1
    names = [p["name"] for p in client.get(f"/api/events/{world.jam_event.pk}/participants").json()]
    assert sorted(names) == [f"Ann {MARKER}", f"Bob {MARKER}"]


def test_donor_sees_funded_events_without_personal_data(world):
    client = world.client("donor", via="token")
    assert [e["id"] for e in client.get("/api/events").json()["items"]] == [world.jam_event.pk]
    assert client.get(f"/api/events/{world.jam_event.pk}/participants").status_code == 403


def test_event_filters(world):
    client = world.client("secretariat", via="token")
    assert client.get("/api/events?program=1.A").json()["total"] == 1
    assert client.get("/api/events?status=held&plan=2012&period=2012-H1").json()["total"] == 2
    assert client.get("/api/events?period=2012-H2").json()["total"] == 0
    bad = client.get("/api/events?period=someday")
    assert bad.status_code == 422 and error_of(bad)["code"] == "invalid_period"
    assert client.get("/api/events?status=bogus").status_code == 422


def _event_payload(**overrides):
    payload = {
        "plan": "2012",
        "kind": "workshop",
        "title": "Border controls workshop",
        "start_date": "2012-05-02",
        "end_date": "2012-05-04",
        "status": "held",
        "host_state": "JAM",
        "beneficiaries": ["JAM"],
        "participants_total": 20,
        "participants_women": 9,
        "participants_men": 11,
        "targets": [{"code": "1.A.1.a", "units": 1}],
    }
    payload.update(overrides)
    return payload


def test_record_event_with_token_is_audited(world):
    client = world.client("program_manager", via="token")
    response = client.post("/api/events", _event_payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.history.first().history_user == world.users["program_manager"]
    assert response.json()["targets"] == [{"code": "1.A.1.a", "units": 1}]
    # a program manager may not record toward another program's target
    other = client.post(
        "/api/events",
        _event_payload(targets=[{"code": "1.B.1.a", "units": 1}]),
        content_type="application/json",
    )
    assert other.status_code == 403
    # change and status
    changed = client.patch(
        f"/api/events/{event.pk}", {"city": "Kingston"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["city"] == "Kingston"
    status = client.post(
        f"/api/events/{event.pk}/status", {"status": "cancelled"}, content_type="application/json"
    )
    assert status.json()["status"] == "cancelled"
    latest = event.history.first()
    assert latest.status == "cancelled"
    assert latest.history_user == world.users["program_manager"]
    assert latest.prev_record.city == "Kingston"
    # another program's event
    response = client.patch(
        f"/api/events/{world.brb_event.pk}", {"city": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_points_of_contact_and_anonymous_cannot_write(world):
    poc = world.client("point_of_contact", via="token")
    assert (
        poc.post("/api/events", _event_payload(), content_type="application/json").status_code
        == 403
    )
    assert (
        poc.post(
            f"/api/events/{world.jam_event.pk}/status",
            {"status": "cancelled"},
            content_type="application/json",
        ).status_code
        == 403
    )
    response = Client().post("/api/events", _event_payload(), content_type="application/json")
    assert response.status_code == 401


def test_service_validation_errors_are_422(world):
    client = world.client("secretariat", via="token")
    response = client.post(
        "/api/events",
        _event_payload(start_date="2012-05-09", end_date="2012-05-01"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert error_of(response)["details"]
    unknown = client.post(
        "/api/events",
        _event_payload(targets=[{"code": "9.Z", "units": 1}]),
        content_type="application/json",
    )
    assert unknown.status_code == 422


def test_error_shape(world, settings):
    client = world.client("secretariat", via="token")
    bad_json = client.post("/api/events", "{not json", content_type="application/json")
    assert bad_json.status_code == 400 and error_of(bad_json)["code"] == "malformed_json"
    wrong = client.post("/api/events", {"title": 5}, content_type="application/json")
    assert wrong.status_code == 422 and error_of(wrong)["details"]
    assert error_of(client.get("/api/events/999999"))["code"] == "not_found"
    assert client.get("/api/events/99999999999999999999999").status_code in {404, 422}
    settings.CICTE_API_MAX_BODY_BYTES = 1000
    big = client.post(
        "/api/events", _event_payload(notes="x" * 2000), content_type="application/json"
    )
    assert big.status_code == 413 and error_of(big)["code"] == "payload_too_large"
    assert error_of(Client().get("/api/no-such-thing"))["code"] == "not_found"


def test_nul_characters_are_refused(world):
    client = world.client("secretariat", via="token")
    assert error_of(client.get("/api/plans/%00"))["code"] == "bad_request"
    assert client.get("/api/events?program=1.A%00").status_code == 400
    response = client.post(
        "/api/events", _event_payload(title="bad\u0000title"), content_type="application/json"
    )
    assert response.status_code == 400
    assert not Event.objects.filter(title__startswith="bad").exists()


def test_expired_revoked_and_malformed_tokens(world):
    user = world.users["secretariat"]
    issued = token_create(actor=user, name="short")
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    for header in (f"Bearer {issued.secret}", "Bearer nonsense", "Basic abc", "Bearer "):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/plans")
        assert response.status_code == 401, header
        assert error_of(response)["code"] in {"invalid_token", "not_authenticated"}
    revoked = token_create(actor=user, name="gone")
    token_revoke(actor=user, token=revoked.token)
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {revoked.secret}").get("/api/events").status_code == 401
    )
    user.is_active = False
    user.save()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens['secretariat']}").get("/api/events")
    assert response.status_code == 401


def test_session_writes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["secretariat"])
    assert client.get("/api/events").status_code == 200
    response = client.post("/api/events", _event_payload(), content_type="application/json")
    assert response.status_code == 403 and error_of(response)["code"] == "csrf_failed"
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/events", _event_payload(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_unverified_administrator_session_is_not_trusted(world):
    client = Client()
    client.force_login(world.users["admin"])  # no second factor in this session
    assert client.get("/api/events").status_code == 401
    assert world.client("admin").get("/api/events").status_code == 200


def test_progress_is_public_and_counts_held_events(world):
    body = Client().get("/api/plans/2012/progress?period=2012-H1").json()
    assert body["period"] == "2012-H1"
    assert body["delivered"] == 2
    target = body["work_areas"][0]["programs"][0]["projects"][0]["targets"][0]
    assert target["code"] == "1.A.1.a" and target["delivered"] == 1
    jam_only = Client().get("/api/plans/2012/progress?member_state=BRB").json()
    assert jam_only["member_state"] == "BRB"
    assert Client().get("/api/plans/2013/progress").status_code == 404  # draft


def test_narratives(world):
    manager = world.client("program_manager", via="token")
    response = manager.put(
        "/api/narratives",
        {"plan": "2012", "program": "1.A", "period": "2012-H1", "text": "Two workshops held."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    narrative = Narrative.objects.get()
    assert narrative.history.first().history_user == world.users["program_manager"]
    other = manager.put(
        "/api/narratives",
        {"plan": "2012", "program": "1.B", "period": "2012-H1", "text": "x"},
        content_type="application/json",
    )
    assert other.status_code == 403
    assert [n["text"] for n in manager.get("/api/narratives?plan=2012").json()] == [
        "Two workshops held."
    ]
    assert (
        world.client("point_of_contact", via="token").get("/api/narratives?plan=2012").status_code
        == 403
    )
    reports = Client().get("/api/reports").json()
    assert [r["document_symbol"] for r in reports] == ["CICTE/INF.1/12"]
    assert reports[0]["url"] == f"/reports/{world.extra['report'].pk}/"


def test_event_list_query_count_does_not_grow(world, django_assert_num_queries):
    from cicte.core import dataversion
    from tests.factories import EventFactory

    client = world.client("point_of_contact", via="token")
    client.get("/api/events")  # first use of the token records last_used_at
    # token with user, memberships, data version, count, the page (related codes aggregated
    # in SQL; uncached: the writes below move the data version)
    dataversion.bump(world.plan.pk)
    with django_assert_num_queries(5):
        assert client.get("/api/events").json()["total"] == 1
    for _ in range(15):
        event = EventFactory(plan=world.plan, host_state=world.jam_event.host_state)
        event.beneficiaries.add(world.jam_event.host_state)
    with django_assert_num_queries(5):
        assert client.get("/api/events").json()["total"] == 16


def test_me(world):
    assert Client().get("/api/me").json()["authenticated"] is False
    me = world.client("point_of_contact", via="token").get("/api/me").json()
    assert (me["role"], me["member_state"]) == ("point_of_contact", "JAM")
    manager = world.client("program_manager", via="token").get("/api/me").json()
    assert manager["programs"] == ["1.A"]
    assert world.client("donor", via="token").get("/api/me").json()["organization"] == "DONOR"
