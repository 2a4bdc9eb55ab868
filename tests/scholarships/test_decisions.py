"""Issue 20 through the API: a call open to named member states only (item 2), and the two
APIs in the OpenAPI document (item 6)."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from cicte.scholarships.models import Nomination

pytestmark = pytest.mark.django_db


def test_a_call_for_named_member_states_only(world, django_capture_on_commit_callbacks):
    officer = world.client("officer")
    body = {
        "plan": "2012",
        "target": "3.A.5.a",
        "course": "Cyber-security course for two states",
        "provider": world.icao.pk,
        "start_date": "2012-06-04",
        "end_date": "2012-06-08",
        "seats": 4,
        "nomination_deadline": "2012-04-15T23:59:00Z",
        "eligible_states": ["JAM", "BRB"],
    }
    response = officer.post(
        "/api/scholarships/calls", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    call_id = response.json()["id"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("workspace:scholarship-call-publish", args=[call_id]))
    told = {address for m in mail.outbox for address in m.to}
    assert {"poc.jam@gov.test", "poc.brb@gov.test"} <= told
    assert not told & {"poc.tto@gov.test", "poc.mex@gov.test"}
    nomination = {"member_state": "TTO", "name": "A", "institution": "B", "email": "a@tt.test"}
    response = world.client("poc_tto").post(
        f"/api/scholarships/calls/{call_id}/nominations",
        data=json.dumps(nomination),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_eligible"
    response = world.client("poc_jam").post(
        f"/api/scholarships/calls/{call_id}/nominations",
        data=json.dumps(nomination | {"member_state": "JAM", "email": "a@jm.test"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert list(Nomination.objects.values_list("member_state__code", flat=True)) == ["JAM"]


def test_scholarships_and_approvals_apis_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/scholarships/calls",
        "/api/scholarships/calls/{call_id}/nominations",
        "/api/scholarships/calls/{call_id}/selection",
        "/api/scholarships/confirm/{token}",
        "/api/scholarships/nominations/{nomination_id}/withdraw",
        "/api/scholarships/nominations/{nomination_id}/complete",
        "/api/scholarships/completions",
        "/api/approvals",
        "/api/approvals/completeness",
        "/api/approvals/submit",
        "/api/approvals/{approval_id}/approve",
        "/api/approvals/{approval_id}/return",
        "/api/approvals/{approval_id}/unlock",
        "/api/approvals/{approval_id}/changes",
    ):
        assert path in paths, path
