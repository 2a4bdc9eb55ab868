"""Every write path of delivery refuses a locked event with the lock's message, and writes
nothing; what the lock does not cover stays open. Bad input of the approval steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Q

from cicte.approvals import services
from cicte.approvals.models import ApprovalStatus, PeriodApproval, PublicationBasis
from cicte.core.errors import ApplicationError, Conflict, NotAllowed
from cicte.core.types import SYSTEM
from cicte.delivery import services as delivery
from cicte.delivery.guards import EventLocked
from cicte.delivery.models import Event, Participant
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS
from cicte.reports.models import PublishedReport
from cicte.reports.services import report_publish

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def approve(world, program="1.B", period="2012-H1"):
    approval = services.approval_submit(
        actor=world.users["pm_b"] if program == "1.B" else SYSTEM,
        program=world.programs[program],
        period=period,
    )
    return services.approval_approve(actor=world.users["secretariat"], approval=approval)


def test_every_write_path_refuses_a_locked_event(world, tmp_path):
    event = world.events["b"]
    approve(world)
    officer = world.users["secretariat"]
    snapshot = (Event.history.count(), Participant.objects.count())
    refused = {
        "update": lambda: delivery.event_update(actor=officer, event=event, notes="x"),
        "status": lambda: delivery.event_set_status(actor=officer, event=event, status="cancelled"),
        "duplicate": lambda: delivery.event_duplicate(actor=officer, event=event),
        "delete": lambda: delivery.event_delete(actor=officer, event=event),
        "attachment": lambda: delivery.attachment_add(
            actor=officer,
            event=event,
            kind="report",
            uploaded_file=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"),
        ),
        "participant": lambda: delivery.participant_add(
            actor=officer, event=event, name="A Participant"
        ),
        "bulk delete": lambda: delivery.events_delete_matching(actor=SYSTEM, query=Q(pk=event.pk)),
        "record": lambda: delivery.event_record(
            actor=officer,
            plan=world.plan,
            kind="course",
            title="New course",
            start_date=dt.date(2012, 6, 1),
            end_date=dt.date(2012, 6, 30),
            targets=[(world.target("1.B.3.a"), 1)],
        ),
        # Moving an open event (1.B, H2) into the locked half-year is refused too.
        "move in": lambda: delivery.event_update(
            actor=officer,
            event=delivery.event_record(
                actor=SYSTEM,
                plan=world.plan,
                kind="course",
                title="Later course",
                start_date=dt.date(2012, 9, 1),
                end_date=dt.date(2012, 9, 2),
                targets=[(world.target("1.B.2.a"), 1)],
            ),
            start_date=dt.date(2012, 5, 1),
            end_date=dt.date(2012, 5, 2),
        ),
    }
    for name, call in refused.items():
        with pytest.raises(EventLocked) as caught:
            call()
        assert "Events of program 1.B for 2012-H1 are locked" in caught.value.message, name
        assert caught.value.status == 409
    assert Event.objects.filter(title="Later course").get().end_date == dt.date(2012, 9, 2)
    assert Participant.objects.count() == snapshot[1]
    assert Event.objects.get(pk=event.pk).notes == ""
    # The command-line import refuses the row with its number.
    header = ",".join([*REQUIRED_COLUMNS, "cost", "notes"])
    sheet = tmp_path / "events.csv"
    sheet.write_text(
        header + "\n1.B.1.a,Imported workshop,workshop,2012-02-01,2012-02-02,Lima,PER,PER,10,5,5,,"
        "held,1,,\n"
    )
    with pytest.raises(CommandError):
        call_command("import-events", str(sheet), "--plan", "2012")
    assert not Event.objects.filter(title="Imported workshop").exists()


def test_re_importing_an_unchanged_row_is_no_change_and_valid_rows_still_import(world, tmp_path):
    header = ",".join([*REQUIRED_COLUMNS, "cost", "notes"])
    rows = [
        "1.B.1.a,Imported workshop,workshop,2012-02-01,2012-02-02,Lima,PER,PER,10,5,5,,held,1,,",
        "1.A.1.a,Port course,course,2012-02-01,2012-02-02,Lima,PER,PER,10,5,5,,held,1,,",
    ]
    from cicte.delivery.parsing.spreadsheet import read_events

    first = read_events(("\n".join([header, rows[0]]) + "\n").encode())
    assert delivery.events_import(actor=SYSTEM, plan=world.plan, rows=first.rows).created == 1
    approve(world)
    again = read_events(("\n".join([header, *rows]) + "\n").encode())
    result = delivery.events_import(actor=SYSTEM, plan=world.plan, rows=again.rows)
    assert (result.created, result.unchanged, result.errors) == (1, 1, [])
    changed = read_events(
        ("\n".join([header, rows[0].replace(",10,5,5,", ",12,6,6,")]) + "\n").encode()
    )
    result = delivery.events_import(
        actor=SYSTEM, plan=world.plan, rows=changed.rows, import_valid_only=True
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "targets")]
    assert "locked by the approval" in result.errors[0].reason
    assert Event.objects.get(title="Imported workshop").participants_total == 10


def test_bad_input_of_the_approval_steps(world):
    program = world.programs["1.B"]
    pm_a = world.users["pm_a"]
    with pytest.raises(NotAllowed):  # a manager of another program
        services.approval_submit(actor=pm_a, program=program, period="2012-H1")
    with pytest.raises(ApplicationError) as caught:
        services.approval_submit(actor=world.users["pm_b"], program=program, period="2012-Q1")
    assert caught.value.field == "period"
    with pytest.raises(ApplicationError):
        services.approval_submit(actor=world.users["pm_b"], program=program, period="2012-H9")
    approval = services.approval_submit(
        actor=world.users["pm_b"], program=program, period="2012-h1"
    )
    assert approval.period == "2012-H1"
    with pytest.raises(Conflict):  # twice
        services.approval_submit(actor=world.users["pm_b"], program=program, period="2012-H1")
    with pytest.raises(NotAllowed):  # a program manager approving
        services.approval_approve(actor=world.users["pm_b"], approval=approval)
    with pytest.raises(ApplicationError) as caught:
        services.approval_return(actor=world.users["secretariat"], approval=approval, reason=" ")
    assert caught.value.field == "reason"
    with pytest.raises(Conflict):  # unlock what is not approved
        services.approval_unlock(actor=SYSTEM, approval=approval, reason="why")
    assert PeriodApproval.objects.get().status == ApprovalStatus.SUBMITTED
    returned = services.approval_return(
        actor=world.users["secretariat"], approval=approval, reason="Narrative too short"
    )
    assert returned.status == ApprovalStatus.RETURNED and returned.reason == "Narrative too short"
    # Returned: still editable, and it can be submitted again.
    delivery.event_update(actor=SYSTEM, event=world.events["b"], notes="completed")
    again = services.approval_submit(actor=world.users["pm_b"], program=program, period="2012-H1")
    assert again.status == ApprovalStatus.SUBMITTED
    assert list(again.steps.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
    ]
    # API: a program manager approving gets 403, an unknown program 422.
    client = world.client("pm_b")
    assert client.post(f"/api/approvals/{again.pk}/approve").status_code == 403
    response = client.post(
        "/api/approvals/submit",
        data={"plan": "2012", "program": "9.Z", "period": "2012-H1"},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_publishing_records_the_approvals_it_rests_on(world, monkeypatch):
    # The PDF itself is tested in tests/reports; here only what the publication rests on.
    monkeypatch.setattr("cicte.reports.renderers.pdf.render", lambda data, **kw: PDF)
    approval = approve(world)
    reports = report_publish(actor=SYSTEM, plan=world.plan, period="2012-H1", language="en")
    html = next(r for r in reports if r.format == "html")
    assert "Approval of the figures" in html.html
    assert "1 of " in html.html and "1.B" in html.html
    bases = PublicationBasis.objects.filter(report=html)
    assert [(b.approval_id, b.approved_at) for b in bases] == [(approval.pk, approval.approved_at)]
    # The approval page lists the publication resting on it.
    body = world.client("secretariat").get(approval.get_absolute_url()).content.decode()
    assert "Published reports resting on this approval" in body
    assert PublishedReport.objects.count() == 2
