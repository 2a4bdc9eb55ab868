"""The roster's secondary paths, through the pages a user uses: a partner organisation's
nominee (recorded by staff, released by staff as the employer), an invitation accepted by
someone without an account (sign-up through the link), and reminders sent once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cicte.directory.models import Organization
from cicte.roster import services
from cicte.roster.models import Answer, Expert, ExpertStatus, Release, Response
from cicte.roster.tasks import send_reminders
from tests.accounts.factories import user_with_role
from tests.roster.world import build_world

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _invitation_path(body: str) -> str:
    return re.search(r"/roster/invitation/[^\s/]+/", body).group(0)


def test_a_partner_organisation_nominates_through_the_secretariat(
    plan_2012, django_capture_on_commit_callbacks
):
    world = build_world(plan_2012)
    partner = Organization.objects.create(name="Zqpartner CERT Network", acronym="ZPC")
    staff = world.client("secretariat")
    form = {
        "name": "Pat Zqpartner",
        "email": "pat@partner.example.org",
        "nationality": "CHL",
        "organisation": partner.pk,
    }

    # The workspace offers the form; a point of contact may not use it.
    assert "Nominate for a partner organisation" in staff.get("/workspace/roster/").content.decode()
    poc = world.client("poc_nominating")
    assert poc.post("/workspace/roster/nominate/", form).status_code in {302, 403, 404}
    assert not Expert.objects.filter(name="Pat Zqpartner").exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/workspace/roster/nominate/", form)
    assert response.status_code == 302
    expert = Expert.objects.get(name="Pat Zqpartner")
    assert expert.nominating_organisation == partner and expert.nominating_state is None
    assert expert.status == ExpertStatus.INVITED
    (invite,) = mail.outbox
    assert invite.to == ["pat@partner.example.org"]
    path = _invitation_path(invite.body)
    page = staff.get("/workspace/roster/").content.decode()
    assert "Pat Zqpartner" in page and "Zqpartner CERT Network" in page

    # Bad input: an unknown nationality, nothing written.
    staff.post("/workspace/roster/nominate/", {**form, "name": "Bad", "nationality": "XXX"})
    assert not Expert.objects.filter(name="Bad").exists()

    # The nominee joins, is vetted; answers an alert; the release is the employer's, which
    # staff record (no point of contact decides it).
    user = user_with_role(None, username="pat", password=None)
    _client(user).post(path, {"consent": "on"})
    expert.refresh_from_db()
    assert expert.user == user and expert.status == ExpertStatus.ACTIVE
    services.expert_vet(actor=world.users["secretariat"], expert=expert, category="I")
    services.skill_set(actor=user, expert=expert, skill=world.skills["PD-WRL-003"], level=4)
    request = services.support_request(
        actor=world.users["poc_requesting"],
        member_state=world.experts["j"].nominating_state,
        title="Help",
        needs="Help",
        contact_name="C",
        contact_email="c@example.org",
        urgency="routine",
    )
    start = timezone.localdate() + dt.timedelta(days=30)
    mission = services.mission_open(
        actor=world.users["secretariat"],
        request=request,
        title="Advice",
        kind="advisory",
        start=start,
        end=start + dt.timedelta(days=2),
        remote=True,
        skills=[world.skills["PD-WRL-003"]],
        target=world.target,
    )
    _, tokens = services.alert_send(
        actor=world.users["secretariat"],
        mission=mission,
        experts=[expert],
        deadline=timezone.now() + dt.timedelta(days=1),
    )
    answer = Response.objects.get(expert=expert)
    assert Client().post(f"/roster/answer/{tokens[expert.pk]}/available/").status_code == 200
    answer.refresh_from_db()
    assert answer.answer == Answer.AVAILABLE
    # Brazil's point of contact (another nominator) cannot decide it; staff can, on the page.
    assert world.client("poc_nominating").post(
        f"/roster/responses/{answer.pk}/release/", {"decision": "approve"}
    ).status_code in {302, 404}
    answer.refresh_from_db()
    assert answer.release == Release.PENDING
    page = staff.get(f"/workspace/roster/missions/{mission.pk}/").content.decode()
    assert "Record the employer&#x27;s approval" in page or "Record the employer's approval" in page
    staff.post(f"/roster/responses/{answer.pk}/release/", {"decision": "approve"})
    answer.refresh_from_db()
    assert answer.release == Release.APPROVED


def test_an_invitation_accepted_by_someone_without_an_account(
    plan_2012, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    poc = user_with_role("point_of_contact", username="poc_jam2", member_state="JAM", password=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(poc).post(
            "/roster/country/nominate/?state=JAM",
            {"name": "Nia Zqnew", "email": "nia@gov.jm", "nationality": "JAM"},
        )
    assert response.status_code == 302
    path = _invitation_path(mail.outbox[0].body)
    anon = Client()
    page = anon.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="username"' in body and 'name="password"' in body and 'name="consent"' in body

    # Without consent, a taken user name, a weak password: refused, nothing written.
    users = get_user_model().objects.count()
    strong = "a-long-enough-Passw0rd!"
    assert "Consent" in anon.post(path, {"username": "nia", "password": strong}).content.decode()
    assert (
        "taken"
        in anon.post(
            path, {"consent": "on", "username": "POC_JAM2", "password": strong}
        ).content.decode()
    )
    anon.post(path, {"consent": "on", "username": "nia", "password": "123"})
    assert get_user_model().objects.count() == users
    assert Expert.objects.get(name="Nia Zqnew").status == ExpertStatus.INVITED

    # Sign-up through the link: the account is created, signed in, the expert joins.
    response = anon.post(path, {"consent": "on", "username": "nia", "password": strong})
    assert response.status_code == 302 and response["Location"].endswith("/roster/")
    expert = Expert.objects.get(name="Nia Zqnew")
    assert expert.status == ExpertStatus.ACTIVE and expert.consent_at is not None
    assert expert.user.username == "nia" and expert.user.email == "nia@gov.jm"
    assert expert.user.check_password(strong)
    assert "Nia Zqnew" in anon.get("/roster/").content.decode()  # signed in, own area
    # The link is spent: a second use is refused.
    assert Client().get(path).status_code == 404
    assert (
        Client().post(path, {"consent": "on", "username": "nia2", "password": strong}).status_code
        == 404
    )
    assert not get_user_model().objects.filter(username="nia2").exists()


def test_reminders_are_sent_once(plan_2012, settings, django_capture_on_commit_callbacks):
    world = build_world(plan_2012)
    expert = world.experts["a"]
    today = timezone.localdate()
    services.certification_add(
        actor=expert.user,
        expert=expert,
        name="Zqcert GCIH",
        expires_on=today + dt.timedelta(days=20),
    )
    services.certification_add(
        actor=expert.user,
        expert=expert,
        name="Zqcert far away",
        expires_on=today + dt.timedelta(days=400),
    )
    services.training_record(
        actor=world.users["secretariat"],
        expert=expert,
        title="Zqtraining induction",
        completed_on=today - dt.timedelta(days=300),
        refresher_due=today + dt.timedelta(days=10),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.enqueue(label="Roster reminders")
    (message,) = mail.outbox
    assert message.to == [expert.email]
    assert "Zqcert GCIH" in message.body and "Zqtraining induction" in message.body
    assert "Zqcert far away" not in message.body
    assert "ZQPASS" not in message.body and "+1-876" not in message.body  # item names only

    # The daily job runs again (the next day, or twice the same day): no second e-mail.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.enqueue(label="Roster reminders")
        send_reminders.enqueue(label="Roster reminders")
    assert mail.outbox == []


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_an_expert_completes_the_profile_and_staff_vet_through_the_pages(
    plan_2012, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 13 item 1 and 2 through the pages: signed-in acceptance with consent, the
    profile (sensitive fields, notice), a skill with its self-rating, a language with its
    level, a certification with expiry and evidence, a planned absence; then staff vetting
    and training."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cicte.roster.models import Certification, ExpertLanguage, ExpertSkill, Training

    settings.MEDIA_ROOT = tmp_path
    world = build_world(plan_2012)
    poc = world.client("poc_nominating")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        poc.post(
            "/roster/country/nominate/?state=BRA",
            {"name": "Rui Zqprofile", "email": "rui@gov.br", "nationality": "BRA"},
        )
    path = _invitation_path(mail.outbox[0].body)
    user = user_with_role(None, username="rui", password=None)
    me = _client(user)
    assert "consent" in me.get(path).content.decode()
    me.post(path, {"consent": "on"})
    expert = Expert.objects.get(name="Rui Zqprofile")
    assert expert.user == user and expert.consent_at is not None

    me.post(
        "/roster/me/profile/",
        {"phone": "+55 61 5555", "notice_hours": "48", "employer": "CERT.br"},
    )
    me.post("/roster/me/skills/", {"skill": world.skills["PD-WRL-003"].pk, "level": "4"})
    me.post("/roster/me/languages/", {"language": "pt", "level": "native"})
    me.post("/roster/me/absences/", {"start": "2031-01-01", "end": "2031-01-10"})
    me.post(
        "/roster/me/certifications/",
        {
            "name": "GIAC GCIH",
            "expires_on": "2030-05-01",
            "evidence": SimpleUploadedFile("cert.png", PNG, "image/png"),
        },
    )
    expert.refresh_from_db()
    assert expert.notice_hours == 48 and expert.phone == "+55 61 5555"
    assert ExpertSkill.objects.get(expert=expert).level == 4
    assert ExpertLanguage.objects.get(expert=expert).language == "pt"
    assert expert.absences.count() == 1
    cert = Certification.objects.get(expert=expert)
    assert str(cert.expires_on) == "2030-05-01" and cert.evidence_type == "image/png"
    page = me.get("/roster/").content.decode()
    assert "GIAC GCIH" in page and "PD-WRL-003" in page

    # Staff vet and record training; a point of contact may not.
    assert poc.post(
        f"/workspace/roster/experts/{expert.pk}/vet/", {"category": "I"}
    ).status_code in {
        302,
        403,
        404,
    }
    expert.refresh_from_db()
    assert not expert.vetting_category
    staff = world.client("secretariat")
    staff.post(f"/workspace/roster/experts/{expert.pk}/vet/", {"category": "II"})
    staff.post(
        f"/workspace/roster/experts/{expert.pk}/training/",
        {"title": "Roster induction", "completed_on": "2012-01-10", "refresher_due": "2014-01-10"},
    )
    expert.refresh_from_db()
    assert expert.vetting_category == "II" and expert.vetted_by_id == world.users["secretariat"].pk
    assert Training.objects.get(expert=expert).title == "Roster induction"
