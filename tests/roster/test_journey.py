"""The main path through the web pages (Django test client): Jamaica's point of contact
requests support after an incident; staff open a mission, see a ranked list, alert three
experts; two answer; one is approved and selected; Jamaica accepts; the assignment closes
with a report; the semi-annual report counts the mission."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cicte.assistance.models import AssistanceRequest, RequestStatus
from cicte.delivery.models import Event, EventStatus
from cicte.reports.build import report_data
from cicte.roster.models import Answer, Mission, MissionReport, MissionStatus, Response
from tests.roster.world import build_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s]+|/roster/answer/[^\s]+", body)


def test_main_path_end_to_end(plan_2012, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(plan_2012)
    jam = world.client("poc_requesting")
    staff = world.client("roster_manager")

    # 1. Jamaica's point of contact requests support after an incident.
    response = jam.post(
        "/roster/country/request/?state=JAM",
        {
            "title": "Ransomware at the national utility",
            "needs": "Incident response support within 72 hours.",
            "urgency": "critical",
            "after_incident": "on",
            "contact_name": "J. Contact",
            "contact_email": "contact@gov.jm",
        },
    )
    assert response.status_code == 302
    request = AssistanceRequest.objects.get(title="Ransomware at the national utility")
    assert request.expert_support.after_incident
    # Other states never learn of it.
    assert "Ransomware" not in world.client("poc_other").get("/roster/country/").content.decode()
    assert world.client("poc_other").get("/api/roster/missions").json() == []

    # 2. Staff open a mission and see the ranked list with its reasons.
    page = staff.get("/workspace/roster/missions/").content.decode()
    assert "Ransomware at the national utility" in page
    start = dt.date(2012, 3, 5)  # in the 2012 plan's first half
    response = staff.post(
        f"/workspace/roster/requests/{request.pk}/mission/",
        {
            "title": "Incident response, Kingston",
            "kind": "incident_response",
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=6)).isoformat(),
            "place": "Kingston",
            "skills": [world.skills["PD-WRL-003"].pk],
            "languages": "en, es",
            "exclude_same_nationality": "on",
            "target": world.target.pk,
        },
    )
    mission = Mission.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    page = staff.get(f"/workspace/roster/missions/{mission.pk}/").content.decode()
    order = [page.index(name) for name in ("Ana Zqexpert", "Bruno Zqsecond", "Chloe Zqthird")]
    assert order == sorted(order)  # ranked: A (5/5, es native) > B (4/5) > C (3/5)
    assert "Skills 60/60: PD-WRL-003 5/5" in page
    assert "same nationality as the requesting state" in page  # Jon, a Jamaican, excluded

    # 3. Alert three experts.
    experts = [world.experts[k] for k in ("a", "b", "c")]
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/workspace/roster/missions/{mission.pk}/alert/",
            {"experts": [e.pk for e in experts], "deadline": deadline, "message": "Urgent."},
        )
    assert response.status_code == 302
    assert Response.objects.filter(mission=mission).count() == 3
    alerts = {m.to[0]: m.body for m in mail.outbox}
    assert set(alerts) == {e.email for e in experts}
    assert "Jamaica" not in "".join(alerts.values())  # a summary only

    # 4. Two answer (one available, one not); the third stays silent.
    anon = world.client("anonymous")
    for expert, choice in ((experts[0], "available"), (experts[1], "unavailable")):
        link = next(x for x in _links(alerts[expert.email]) if x.rstrip("/").endswith(choice))
        path = link[link.index("/roster/") :]
        assert anon.get(path).status_code == 200  # a GET changes nothing
        assert anon.post(path).status_code == 200
    answers = dict(Response.objects.values_list("expert__name", "answer"))
    assert answers == {
        "Ana Zqexpert": Answer.AVAILABLE,
        "Bruno Zqsecond": Answer.UNAVAILABLE,
        "Chloe Zqthird": Answer.PENDING,
    }

    # 5. Brazil (the nominating state) approves the release; staff select.
    ana = Response.objects.get(expert=experts[0])
    bra = world.client("poc_nominating")
    page = bra.get("/roster/country/").content.decode()
    assert "Ana Zqexpert" in page and "Jamaica" not in page and "Kingston" not in page
    assert (
        bra.post(f"/roster/responses/{ana.pk}/release/", {"decision": "approve"}).status_code == 302
    )
    staff.post(f"/workspace/roster/responses/{ana.pk}/select/", {"role": "Team lead"})
    staff.post(f"/workspace/roster/missions/{mission.pk}/propose/")
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PROPOSED

    # 6. Jamaica sees names and roles only, and accepts.
    page = jam.get("/roster/country/").content.decode()
    assert "Ana Zqexpert" in page and "Team lead" in page
    assert "BRA" not in page and "ZQPASS" not in page
    jam.post(f"/roster/missions/{mission.pk}/accept/")
    mission.refresh_from_db()
    assert mission.status == MissionStatus.ACCEPTED
    assignment = mission.assignments.get()

    # 7. ToR and NDA (type-checked), deployment, iCalendar for the expert only.
    for kind in ("tor", "nda"):
        staff.post(
            f"/workspace/roster/assignments/{assignment.pk}/documents/",
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf")},
        )
    assert assignment.documents.count() == 2
    staff.post(f"/workspace/roster/missions/{mission.pk}/deploy/")
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DEPLOYED and mission.deployed_at
    ics = world.client("expert_self").get(f"/roster/assignments/{assignment.pk}/calendar.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
    assert (
        world.client("secretariat")
        .get(f"/roster/assignments/{assignment.pk}/calendar.ics")
        .status_code
        == 404
    )
    doc = assignment.documents.first()
    assert (
        world.client("expert_self").get(f"/roster/documents/{doc.pk}/")["X-Content-Type-Options"]
        == "nosniff"
    )
    assert world.client("other_expert").get(f"/roster/documents/{doc.pk}/").status_code == 404

    # 8. The report under TLP:RED to a named official; appraisal; closure.
    staff.post(
        f"/workspace/roster/missions/{mission.pk}/report/",
        {
            "title": "Zqreport findings",
            "body": "Contained; recommendations attached.",
            "people": [world.users["poc_requesting"].pk],
        },
    )
    report = MissionReport.objects.get()
    assert report.tlp == "red"
    assert jam.get(f"/roster/reports/{report.pk}/").status_code == 200
    assert world.client("secretariat").get(f"/roster/reports/{report.pk}/").status_code == 404
    assert world.client("poc_other").get(f"/roster/reports/{report.pk}/").status_code == 404
    staff.post(
        f"/workspace/roster/assignments/{assignment.pk}/close/",
        {"rating": 5, "appraisal": "Excellent", "experience": "Led the response"},
    )
    staff.post(f"/workspace/roster/missions/{mission.pk}/close/")
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CLOSED
    event = Event.objects.get(pk=mission.event_id)
    assert event.status == EventStatus.HELD and event.kind == "mission"
    assert list(event.contributions.values_list("target__code", flat=True)) == ["3.A.9.a"]
    request.refresh_from_db()
    assert request.status == RequestStatus.DELIVERED

    # 9. The semi-annual report counts the mission (counts only, no state, no names).
    from cicte.core.periods import parse_period

    data = report_data(plan=plan_2012, period=parse_period("2012-H1"), language="en")
    section = next(s for s in data.sections if s.key == "roster")
    assert section.data["missions"].closed == 1
    assert section.data["missions"].deployed == 1
    text = repr(section.blocks)
    assert "Jamaica" not in text and "Ana Zqexpert" not in text
