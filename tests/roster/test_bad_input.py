"""Bad input: a clear error naming the problem, nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cicte.core.errors import ApplicationError, NotAllowed
from cicte.core.types import SYSTEM
from cicte.directory.models import MemberState
from cicte.roster import services
from cicte.roster.models import Certification, Expert, Mission, Response
from tests.roster.world import build_world

pytestmark = pytest.mark.django_db


def _mission(world, **overrides):
    request = services.support_request(
        actor=world.users["poc_requesting"],
        member_state=MemberState.objects.get(code="JAM"),
        title="Support",
        needs="Help",
        contact_name="C",
        contact_email="c@example.org",
        urgency="critical",
        after_incident=True,
    )
    values = {
        "title": "Mission",
        "kind": "incident_response",
        "start": dt.date(2030, 5, 1),
        "end": dt.date(2030, 5, 5),
        "target": world.target,
    }
    values.update(overrides)
    return services.mission_open(actor=SYSTEM, request=request, **values)


def test_bad_input_is_refused_and_nothing_written(plan_2012, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(plan_2012)
    mission = _mission(world)
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)

    # An alert to an expert who is not vetted.
    unvetted = Expert.objects.get(name="Bruno Zqsecond")
    unvetted.vetting_category = ""
    unvetted.save()
    with pytest.raises(ApplicationError) as caught:
        services.alert_send(
            actor=SYSTEM, mission=mission, experts=[world.experts["a"], unvetted], deadline=deadline
        )
    assert caught.value.code == "not_vetted" and "Bruno Zqsecond" in caught.value.message
    assert not Response.objects.exists()

    # An alert to an expert who is unavailable (a planned absence).
    services.absence_add(
        actor=world.experts["c"].user,
        expert=world.experts["c"],
        start=dt.date(2030, 4, 28),
        end=dt.date(2030, 5, 2),
    )
    with pytest.raises(ApplicationError) as caught:
        services.alert_send(
            actor=SYSTEM, mission=mission, experts=[world.experts["c"]], deadline=deadline
        )
    assert caught.value.code == "unavailable" and "absent" in caught.value.message
    # …or of the requesting state's nationality (a conflict, when configured).
    with pytest.raises(ApplicationError) as caught:
        services.alert_send(
            actor=SYSTEM, mission=mission, experts=[world.experts["j"]], deadline=deadline
        )
    assert "same nationality" in caught.value.message
    assert not Response.objects.exists()

    # A response after the deadline.
    _alert, tokens = services.alert_send(
        actor=SYSTEM, mission=mission, experts=[world.experts["a"]], deadline=deadline
    )
    token = tokens[world.experts["a"].pk]
    with pytest.raises(ApplicationError) as caught:
        services.answer_alert(
            token=token, answer="available", now=deadline + dt.timedelta(minutes=1)
        )
    assert caught.value.code == "deadline_passed"
    assert Response.objects.get().answer == "pending"
    page = world.client("anonymous").get(f"/roster/answer/{'x' * 43}/available/")
    assert page.status_code == 404  # an unknown link

    # A mission with an end before its start.
    before = Mission.objects.count()
    with pytest.raises(ApplicationError) as caught:
        _mission(world, start=dt.date(2030, 5, 5), end=dt.date(2030, 5, 1))
    assert caught.value.field == "end"
    assert Mission.objects.count() == before

    # A point of contact nominating for another state.
    with pytest.raises(NotAllowed):
        services.expert_nominate(
            actor=world.users["poc_nominating"],
            name="Someone",
            email="someone@example.org",
            nationality="CAN",
            member_state=MemberState.objects.get(code="CAN"),
        )
    response = world.client("poc_nominating").post(
        "/roster/country/nominate/?state=CAN",
        {"name": "Someone", "email": "someone@example.org", "nationality": "CAN"},
    )
    assert response.status_code in (302, 403)
    # The page speaks only for the contact's own state: never a nominee of Canada.
    assert not Expert.objects.filter(nominating_state__code="CAN", name="Someone").exists()

    # A certificate file of a forbidden type (an HTML page named .pdf).
    client = world.client("expert_self")
    response = client.post(
        "/roster/me/certifications/",
        {
            "name": "GCIH",
            "evidence": SimpleUploadedFile(
                "cert.pdf", b"<html><script>x</script>", "application/pdf"
            ),
        },
        follow=True,
    )
    assert "This kind of file is not accepted here" in response.content.decode()
    assert not Certification.objects.exists()

    # A skills file that is not the official format.
    bad = tmp_path / "skills.json"
    bad.write_text(
        '{"elements": [{"element_type": "work_role", "title": "No id"}], '
        '"documents": [{"version": "1"}]}'
    )
    with pytest.raises(CommandError, match=r"elements\[0\]"):
        call_command("import-skills", str(bad))


def test_skills_import_reads_the_official_layout(db, tmp_path):
    from io import StringIO

    from cicte.roster.models import Skill

    # The migration seeded the 41 work roles from NIST's official file; importing the
    # shipped file again changes nothing.
    assert Skill.objects.filter(framework="NICE").count() == 41
    seeded = Skill.objects.get(identifier="PD-WRL-003")
    assert seeded.version == "2.0.0" and seeded.category == "Protection and Defense"
    assert seeded.description.startswith("Responsible for")
    assert Skill.objects.get(identifier="OG-WRL-008").title == "Privacy Compliance"  # NBSP gone
    assert seeded.history.count() == 1
    out = StringIO()
    call_command("import-skills", stdout=out)
    assert "2.0.0: 0 skills created, 0 updated (41 work roles read)" in out.getvalue()
    official = tmp_path / "nice.json"
    official.write_text(
        '{"response": {"elements": {"documents": [{"doc_identifier": "NICE_v2.1.0", '
        '"name": "NICE Framework", "version": "2.1.0"}], "elements": [{"element_type": '
        '"work_role", "element_identifier": "PD-WRL-003", "title": "Incident Response", '
        '"text": "Responsible for investigating..."}, {"element_type": "task", '
        '"element_identifier": "T0001", "title": "", "text": "x"}]}}}'
    )
    call_command("import-skills", str(official), stdout=out)
    skill = Skill.objects.get(identifier="PD-WRL-003")
    assert skill.version == "2.1.0" and skill.description == "Responsible for investigating..."
    assert skill.category == "Protection and Defense"  # kept from the earlier import
