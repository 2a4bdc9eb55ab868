"""Issue 20, "Done when" (approvals): a program manager submits 1.B for 2012-H1, the
Secretariat approves it, an edit of a 1.B event of that half-year is refused on the form, the
API and an import, an administrator unlocks it with a reason and the change shows in "changed
since approval"."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cicte.approvals.models import ApprovalStatus, ApprovalStep, PeriodApproval
from cicte.core.versioning import version_of
from cicte.delivery.models import Event
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS

pytestmark = pytest.mark.django_db

LOCKED = "Events of program 1.B for 2012-H1 are locked by the approval of"


def event_form(world, event, **overrides):
    data = {
        "plan": world.plan.pk,
        "version": version_of(event),
        "kind": "workshop",
        "title": "Changed title",
        "start_date": "2012-03-01",
        "end_date": "2012-03-02",
        "status": "held",
        "modality": "national",
        "city": "Kingston",
        "host_state": "JAM",
        "participants_total": 20,
        "participants_women": 9,
        "participants_men": 11,
        "currency": "USD",
        "targets-TOTAL_FORMS": 1,
        "targets-INITIAL_FORMS": 0,
        "targets-0-target": "1.B.1.a",
        "targets-0-units": 1,
        "countries-TOTAL_FORMS": 0,
        "countries-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def csv_file(*rows: str) -> SimpleUploadedFile:
    header = ",".join([*REQUIRED_COLUMNS, "cost", "notes"])
    content = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile("events.csv", content.encode(), content_type="text/csv")


def test_submit_approve_lock_unlock_and_changes(world):
    b_event = world.events["b"]
    program = world.programs["1.B"]
    page = reverse("workspace:approval", args=[program.pk, "2012-H1"])

    # The program manager sees the completeness, then submits.
    pm = world.client("pm_b")
    body = pm.get(page).content.decode()
    assert "The narrative is written." in body and "Submit for approval" in body
    response = pm.post(reverse("workspace:approval-submit", args=[program.pk, "2012-H1"]))
    assert response.status_code == 302
    approval = PeriodApproval.objects.get(program=program, period="2012-H1")
    assert approval.status == ApprovalStatus.SUBMITTED and approval.submitted_by.username == "pm_b"

    # A program manager cannot approve (web: 403; API: 403); nothing changes.
    decide = reverse("workspace:approval-decide", args=[program.pk, "2012-H1"])
    assert pm.post(decide, {"action": "approve"}).status_code == 403
    api = pm.post(f"/api/approvals/{approval.pk}/approve")
    assert api.status_code == 403
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.SUBMITTED

    # The Secretariat approves.
    secretariat = world.client("secretariat")
    assert secretariat.post(decide, {"action": "approve"}).status_code == 302
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED and approval.approved_at is not None

    # The form refuses the edit of the 1.B event, naming the lock; nothing is written.
    edit = reverse("workspace:event-edit", args=[b_event.pk])
    response = secretariat.post(edit, event_form(world, b_event))
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "ask an administrator to unlock" in response.content.decode()
    assert Event.objects.get(pk=b_event.pk).title == "Aviation security workshop Kingston"

    # The API refuses it too (409 event_locked).
    response = secretariat.patch(
        f"/api/events/{b_event.pk}",
        data=json.dumps({"title": "Changed by API"}),
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "event_locked"
    assert LOCKED in response.json()["error"]["message"]
    # ... and a new 1.B event in that half-year, while 2012-H2 and program 1.A stay open.
    new = {
        "plan": world.plan.symbol,
        "kind": "course",
        "title": "Another aviation course",
        "start_date": "2012-05-01",
        "end_date": "2012-05-03",
        "targets": [{"code": "1.B.2.a", "units": 1}],
    }
    response = secretariat.post(
        "/api/events", data=json.dumps(new), content_type="application/json"
    )
    assert response.status_code == 409 and LOCKED in response.json()["error"]["message"]
    later = new | {"start_date": "2012-08-01", "end_date": "2012-08-02"}
    response = secretariat.post(
        "/api/events", data=json.dumps(later), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    a_edit = reverse("workspace:event-edit", args=[world.events["a"].pk])
    response = secretariat.post(
        a_edit,
        event_form(
            world,
            world.events["a"],
            title="Port workshop (corrected)",
            start_date="2012-04-01",
            end_date="2012-04-02",
            **{"targets-0-target": "1.A.1.a"},
        ),
    )
    assert response.status_code == 302

    # The spreadsheet import refuses the row, with its number; nothing is imported.
    before = Event.objects.count()
    row = (
        "1.B.1.a,Imported aviation workshop,workshop,2012-06-01,2012-06-02,Lima,PER,PER,"
        "10,5,5,,held,1,,"
    )
    response = secretariat.post(
        reverse("workspace:event-import"),
        {"plan": world.plan.pk, "file": csv_file(row)},
    )
    body = response.content.decode()
    assert response.status_code == 200 and LOCKED in body
    assert Event.objects.count() == before

    # An administrator unlocks with a reason (a reason is required).
    admin = world.client("admin")
    unlock = reverse("workspace:approval-unlock", args=[program.pk, "2012-H1"])
    admin.post(unlock, {"reason": "  "})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    assert secretariat.post(unlock, {"reason": "fix"}).status_code == 403  # not an admin
    admin.post(unlock, {"reason": "Participants were miscounted"})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.UNLOCKED
    step = ApprovalStep.objects.get(approval=approval, action="unlocked")
    assert step.by.username == "admin" and step.reason == "Participants were miscounted"
    assert approval.history.first().history_user.username == "admin"  # audited

    # Now the correction goes through, and shows in "changed since approval".
    response = secretariat.post(
        edit, event_form(world, b_event, participants_total=22, participants_men=13)
    )
    assert response.status_code == 302
    body = secretariat.get(page).content.decode()
    assert "Changed since approval" in body
    assert "participants_total" in body and "Changed title" in body
    changes = secretariat.get(f"/api/approvals/{approval.pk}/changes").json()
    fields = {(c["field"], c["before"], c["after"]) for c in changes if c["event_id"] == b_event.pk}
    assert ("title", "Aviation security workshop Kingston", "Changed title") in fields
    assert ("participants_total", "20", "22") in fields
    # The new H2 event and the 1.A event are outside the approval: not listed.
    assert {c["event_id"] for c in changes} == {b_event.pk}
