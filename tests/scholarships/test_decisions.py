"""Item 4 and 5 of issue 20 through the staff's web pages: the balance by state and sex on the
call's page while selecting, the declined nominee told the reason by e-mail, an awardee who
did not complete (a reason is required; nothing counts toward the target); and the two APIs
in the OpenAPI document; a call open to named member states only (item 2)."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from cicte.delivery.models import Event
from cicte.scholarships import services
from cicte.scholarships.models import Nomination, NominationStatus
from tests.scholarships.test_rules import nominate, open_call

pytestmark = pytest.mark.django_db


def test_balance_while_selecting_declined_told_why_and_not_completed(
    world, django_capture_on_commit_callbacks
):
    call = open_call(world, seats=2)
    for code, i in (("JAM", 1), ("JAM", 2), ("BRB", 1), ("TTO", 1)):
        services.nomination_confirm(token=nominate(world, call, code, i).token)
    officer = world.client("officer")
    officer.post(reverse("workspace:scholarship-call-close", args=[call.pk]))
    by_email = {n.email: n for n in call.nominations.all()}
    jam1, jam2, brb1, tto1 = (
        by_email[e]
        for e in ("jam1@csirt.test", "jam2@csirt.test", "brb1@csirt.test", "tto1@csirt.test")
    )
    selection = reverse("workspace:scholarship-selection", args=[call.pk])

    # Declining without a reason: refused, nothing written.
    response = officer.post(
        selection, {f"decision-{tto1.pk}": "declined", f"reason-{tto1.pk}": " "}, follow=True
    )
    assert "Give the reason for declining TTO Official 1." in response.content.decode()
    assert not Nomination.objects.exclude(status=NominationStatus.CONFIRMED).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            selection,
            {
                f"decision-{jam1.pk}": "accepted",
                f"rank-{jam1.pk}": "1",
                f"decision-{jam2.pk}": "waitlisted",
                f"rank-{jam2.pk}": "3",
                f"decision-{brb1.pk}": "accepted",
                f"rank-{brb1.pk}": "2",
                f"decision-{tto1.pk}": "declined",
                f"reason-{tto1.pk}": "The profile asks for incident responders",
            },
            follow=True,
        )
    body = response.content.decode()
    # The balance by state and sex, on the page the staff select on.
    assert "2 of 2 seats awarded: 2 women, 0 men." in body
    table = body.split('<table id="balance">', 1)[1].split("</table>", 1)[0]
    rows = {
        state: re.findall(r'<td class="num">(\d+)</td>', cells)
        for state, cells in re.findall(r'<th scope="row">(\w+)</th>(.*?)</tr>', table)
    }
    # state: nominations, women awarded, men awarded, not stated
    assert rows == {
        "BRB": ["1", "1", "0", "0"],
        "JAM": ["2", "1", "0", "0"],
        "TTO": ["1", "0", "0", "0"],
    }
    # The declined nominee and their point of contact are told, with the reason.
    declined = [m for m in mail.outbox if "tto1@csirt.test" in m.to]
    assert len(declined) == 1 and "Declined" in declined[0].subject
    assert "poc.tto@gov.test" in declined[0].to
    assert "Reason: The profile asks for incident responders" in declined[0].body
    assert any("Waitlisted" in m.subject for m in mail.outbox if "jam2@csirt.test" in m.to)

    # Did not complete: a reason is required; then recorded, and it counts nothing.
    complete = reverse("workspace:scholarship-complete", args=[jam1.pk])
    response = officer.post(complete, {"outcome": "not_completed", "reason": ""}, follow=True)
    assert "Give the reason the course was not completed." in response.content.decode()
    jam1.refresh_from_db()
    assert jam1.status == NominationStatus.ACCEPTED
    officer.post(complete, {"outcome": "not_completed", "reason": "Fell ill on day two"})
    officer.post(
        reverse("workspace:scholarship-complete", args=[brb1.pk]),
        {"outcome": "completed", "issue_certificate": "on"},
    )
    jam1.refresh_from_db()
    assert (jam1.status, jam1.decision_reason) == ("not_completed", "Fell ill on day two")
    call.refresh_from_db()
    event = Event.objects.get(pk=call.event_id)
    assert (event.kind, event.participants_total) == ("scholarship", 1)  # BRB's completion only


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
