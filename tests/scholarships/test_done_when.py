"""Issue 20, "Done when" (scholarships): a call for 10 ICAO scholarships receives nominations
from three points of contact, ten are awarded, one withdraws and the waitlist fills the seat,
completions count toward 1.B.3 and appear in the report. Every step through the interface a
user uses (web pages, the API, the nominee's link, e-mail)."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cicte.core.periods import parse_period
from cicte.delivery.models import Event, Participant
from cicte.plan.models import Target
from cicte.progress.selectors import target_progress
from cicte.reports.build import report_data
from cicte.scholarships.models import Nomination, NominationStatus, ScholarshipCall

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def api(client, method, path, body=None):
    if method == "get":
        return client.get(path)
    send = getattr(client, method)
    return send(path, data=json.dumps(body or {}), content_type="application/json")


def confirm_links() -> list[str]:
    found = []
    for message in mail.outbox:
        found += re.findall(r"https://cicte\.test(/scholarships/confirm/[^/\s]+/)", message.body)
    return found


def test_call_nominations_award_waitlist_completion_and_report(
    world, django_capture_on_commit_callbacks
):
    officer = world.client("officer")
    # 1. Staff open a call for 10 ICAO scholarships toward 1.B.3.a (API), for the Caribbean.
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            officer,
            "post",
            "/api/scholarships/calls",
            {
                "plan": "2012",
                "target": "1.B.3.a",
                "course": "ICAO Aviation Security Course",
                "provider": world.icao.pk,
                "funding_source": world.donor.pk,
                "start_date": "2012-05-07",
                "end_date": "2012-05-11",
                "city": "Port of Spain",
                "host_state": "TTO",
                "seats": 10,
                "nomination_deadline": "2012-04-15T23:59:00Z",
                "eligible_subregions": ["caribbean"],
                "profile": "Aviation security inspectors",
            },
        )
        assert response.status_code == 201, response.content
        call = ScholarshipCall.objects.get(pk=response.json()["id"])
        # Published through the web page: the eligible points of contact are told by e-mail.
        officer.post(reverse("workspace:scholarship-call-publish", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == "open"
    told = {address for m in mail.outbox for address in m.to}
    assert {"poc.jam@gov.test", "poc.brb@gov.test", "poc.tto@gov.test"} <= told
    assert "poc.mex@gov.test" not in told  # Mexico is not in the Caribbean

    # 2. Three points of contact nominate 12 officials: Jamaica on the web page (with a
    #    supporting document), Barbados and Trinidad and Tobago through the API.
    mail.outbox.clear()
    jam = world.client("poc_jam")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            response = jam.post(
                reverse("scholarships:nominate", args=[call.pk]),
                {
                    "member_state": world.users["poc_jam"].memberships.get().member_state_id,
                    "name": f'=HYPERLINK("http://x") Jam {i}' if i == 0 else f"Jam Nominee {i}",
                    "institution": "Jamaica Civil Aviation Authority",
                    "position": "Inspector",
                    "sex": "f" if i % 2 else "m",
                    "email": f"jam{i}@jcaa.test",
                    "language": "en",
                    "justification": "Leads the screening unit",
                    "document": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
                },
            )
            assert response.status_code == 302, response.content.decode()[-2000:]
        for code in ("BRB", "TTO"):
            client = world.client(f"poc_{code.lower()}")
            for i in range(4):
                response = api(
                    client,
                    "post",
                    f"/api/scholarships/calls/{call.pk}/nominations",
                    {
                        "member_state": code,
                        "name": f"{code} Nominee {i}",
                        "institution": f"{code} Airports Authority",
                        "sex": "f" if i % 2 == 0 else "m",
                        "email": f"{code.lower()}{i}@air.test",
                        "language": "es" if code == "TTO" else "en",
                    },
                )
                assert response.status_code == 201, response.content
    assert call.nominations.count() == 12
    assert Nomination.objects.get(email="jam1@jcaa.test").documents.count() == 1
    # A point of contact sees only their own state's nominations.
    mine = api(world.client("poc_brb"), "get", f"/api/scholarships/calls/{call.pk}/nominations")
    assert {n["member_state"] for n in mine.json()} == {"BRB"}

    # 3. Each nominee confirms by the link in their e-mail (a page, then one button).
    links = confirm_links()
    assert len(links) == 12
    anonymous = Client()
    for link in links:
        assert "I confirm my nomination" in anonymous.get(link).content.decode()
        assert anonymous.post(link).status_code == 200
    assert call.nominations.filter(status=NominationStatus.CONFIRMED).count() == 12

    # 4. Staff close the call and select: 11 awards for 10 seats are refused, nothing written.
    officer.post(reverse("workspace:scholarship-call-close", args=[call.pk]))
    nominations = list(call.nominations.order_by("member_state__code", "email"))
    selection = reverse("workspace:scholarship-selection", args=[call.pk])
    too_many = {f"decision-{n.pk}": "accepted" for n in nominations[:11]}
    response = officer.post(selection, too_many, follow=True)
    assert "11 awards for 10 seats" in response.content.decode()
    assert not call.nominations.filter(status=NominationStatus.ACCEPTED).exists()
    data = {}
    for rank, n in enumerate(nominations, start=1):
        data[f"decision-{n.pk}"] = "accepted" if rank <= 10 else "waitlisted"
        data[f"rank-{n.pk}"] = str(rank)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(selection, data, follow=True)
    body = response.content.decode()
    assert "10 of 10 seats awarded" in body  # the balance by state and sex
    accepted = call.nominations.filter(status=NominationStatus.ACCEPTED)
    assert accepted.count() == 10
    assert call.nominations.filter(status=NominationStatus.WAITLISTED).count() == 2
    assert any("Awarded" in m.subject for m in mail.outbox)
    assert any("Waitlisted" in m.subject for m in mail.outbox)

    # 5. One awardee withdraws (recorded by their point of contact); the waitlist fills it.
    leaving = accepted.filter(member_state__code="JAM").order_by("rank").first()
    first_waiting = call.nominations.get(rank=11)
    with django_capture_on_commit_callbacks(execute=True):
        response = jam.post(
            reverse("scholarships:withdraw", args=[leaving.pk]), {"reason": "Reassigned"}
        )
    assert response.status_code == 302
    leaving.refresh_from_db()
    first_waiting.refresh_from_db()
    assert leaving.status == NominationStatus.WITHDRAWN
    assert first_waiting.status == NominationStatus.ACCEPTED
    assert call.nominations.filter(status=NominationStatus.ACCEPTED).count() == 10
    assert any(first_waiting.email in m.to for m in mail.outbox)

    # 6. Completion: a certificate uploaded (type-checked), one issued as PDF, the rest by API.
    awardees = list(call.nominations.filter(status=NominationStatus.ACCEPTED).order_by("rank"))
    complete = reverse("workspace:scholarship-complete", args=[awardees[0].pk])
    fake = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = officer.post(complete, {"outcome": "completed", "certificate": fake}, follow=True)
    assert "Only these file types are accepted" in response.content.decode()
    awardees[0].refresh_from_db()
    assert awardees[0].status == NominationStatus.ACCEPTED and not awardees[0].certificate
    real = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    officer.post(complete, {"outcome": "completed", "certificate": real})
    officer.post(
        reverse("workspace:scholarship-complete", args=[awardees[1].pk]),
        {"outcome": "completed", "issue_certificate": "on"},
    )
    for n in awardees[2:]:
        response = api(officer, "post", f"/api/scholarships/nominations/{n.pk}/complete")
        assert response.status_code == 200, response.content
    issued = Nomination.objects.get(pk=awardees[1].pk)
    assert issued.certificate_issued and issued.certificate.read(5) == b"%PDF-"
    download = officer.get(reverse("workspace:scholarship-certificate", args=[issued.pk]))
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]

    # 7. The completions count toward 1.B.3.a through the scholarship-award event.
    call.refresh_from_db()
    event = Event.objects.get(pk=call.event_id)
    assert (event.kind, event.status, event.participants_total) == ("scholarship", "held", 10)
    women = sum(1 for n in awardees if n.sex == "f")
    assert (event.participants_women, event.participants_men) == (women, 10 - women)
    assert Participant.objects.filter(event=event).count() == 10
    target = Target.objects.get(plan=world.plan, code="1.B.3.a")
    progress = target_progress(target=target, period=parse_period("2012-H1"))
    assert progress.delivered == 10

    # 8. ... and appear in the semi-annual report (English and Spanish).
    report = report_data(plan=world.plan, period=parse_period("2012-H1"), language="en")
    section = next(s for s in report.sections if s.key == "scholarships")
    figures = {f.label: f.value for f in section.blocks[1].items}
    assert figures == {"Scholarships awarded": 10, "Scholarships completed": 10}
    spanish = report_data(plan=world.plan, period=parse_period("2012-H1"), language="es")
    assert next(s for s in spanish.sections if s.key == "scholarships").title == "Becas"

    # 9. The donor sees completions by state, sex and course — no names.
    donor = world.client("donor")
    page = donor.get(reverse("scholarships:completions")).content.decode()
    assert "10 completed" in page and "Jam Nominee" not in page
    rows = api(donor, "get", "/api/scholarships/completions").json()
    assert sum(r["total"] for r in rows) == 10
    assert {r["member_state"] for r in rows} == {"BRB", "JAM", "TTO"}

    # 10. Export of nominations and awards: XLSX, formula-safe.
    export = officer.get(reverse("workspace:scholarship-export", args=[call.pk]))
    assert export["Content-Disposition"].startswith("attachment")
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    names = [row[1] for row in workbook["Nominations"].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 12
    assert '\'=HYPERLINK("http://x") Jam 0' in names
    assert len(list(workbook["Awards"].iter_rows(min_row=2))) == 10
