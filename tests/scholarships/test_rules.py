"""Bad input and who may do what: a nomination for another state, after the deadline or from
an ineligible state; more awards than seats; a nominee confirming twice; roles. Each a clear
error, nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from cicte.core.types import SYSTEM
from cicte.directory.models import MemberState
from cicte.plan.models import Target
from cicte.scholarships import services
from cicte.scholarships.models import Nomination, NominationStatus, ScholarshipCall

pytestmark = pytest.mark.django_db


def post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


def open_call(world, *, seats=3, public=False, **extra):
    call = services.call_create(
        actor=SYSTEM,
        plan=world.plan,
        target=Target.objects.get(plan=world.plan, code="3.A.5.a"),
        course="Cyber-security incident response course",
        provider=world.icao,
        start_date=dt.date(2012, 6, 4),
        end_date=dt.date(2012, 6, 8),
        seats=seats,
        nomination_deadline=dt.datetime(2012, 4, 15, 23, 59, tzinfo=dt.UTC),
        public=public,
        **extra,
    )
    return services.call_publish(actor=SYSTEM, call=call)


def nominate(world, call, code, i):
    return services.nomination_submit(
        actor=world.users[f"poc_{code.lower()}"],
        call=call,
        member_state=MemberState.objects.get(code=code),
        name=f"{code} Official {i}",
        institution="CSIRT",
        email=f"{code.lower()}{i}@csirt.test",
        sex="f" if i % 2 else "m",
    )


def test_bad_nominations_are_refused_and_nothing_is_written(world):
    call = open_call(world, eligible_subregions=["caribbean"])
    jam = world.client("poc_jam")
    url = f"/api/scholarships/calls/{call.pk}/nominations"
    body = {"name": "A", "institution": "B", "email": "a@b.test"}
    # Another state's official.
    response = post(jam, url, body | {"member_state": "BRB"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "other_state"
    # The web form offers only the point of contact's own state.
    page = jam.get(reverse("scholarships:call", args=[call.pk])).content.decode()
    assert "Nominate an official" in page and "Barbados" not in page
    response = jam.post(
        reverse("scholarships:nominate", args=[call.pk]),
        {
            "member_state": MemberState.objects.get(code="BRB").pk,
            "name": "A",
            "institution": "B",
            "sex": "f",
            "email": "a@b.test",
            "language": "en",
        },
    )
    assert response.status_code == 400
    # An ineligible state (Mexico is not in the Caribbean).
    response = post(world.client("poc_mex"), url, body | {"member_state": "MEX"})
    assert response.json()["error"]["code"] == "not_eligible"
    # A bad e-mail, a wrong document type, a duplicate.
    response = post(jam, url, body | {"member_state": "JAM", "email": "not-an-address"})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Give a valid e-mail address."
    assert nominate(world, call, "JAM", 1).nomination.status == NominationStatus.NOMINATED
    response = post(jam, url, body | {"member_state": "JAM", "email": "jam1@csirt.test"})
    assert response.json()["error"]["code"] == "duplicate_nomination"
    # After the deadline.
    world.clock.current = dt.datetime(2012, 4, 16, tzinfo=dt.UTC)
    response = post(jam, url, body | {"member_state": "JAM", "email": "late@csirt.test"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "deadline_passed"
    assert "closed on 2012-04-15" in response.json()["error"]["message"]
    assert Nomination.objects.count() == 1


def test_confirmation_link_once_then_a_clear_error(world):
    call = open_call(world)
    submitted = nominate(world, call, "JAM", 1)
    link = reverse("scholarships:confirm", args=[submitted.token])
    anonymous = Client()
    assert anonymous.get(link).status_code == 200  # a page; a GET never confirms
    assert Nomination.objects.get().confirmed_at is None
    assert anonymous.post(link).status_code == 200
    first = Nomination.objects.get().confirmed_at
    again = anonymous.post(link)
    assert again.status_code == 409
    assert "You already confirmed this nomination on 2012-04-01" in again.content.decode()
    assert Nomination.objects.get().confirmed_at == first
    response = post(anonymous, f"/api/scholarships/confirm/{submitted.token}")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_confirmed"
    assert anonymous.get(reverse("scholarships:confirm", args=["guessed-token"])).status_code == 404
    assert post(anonymous, "/api/scholarships/confirm/guessed").status_code == 404
    # Only the hash of the secret is stored.
    assert submitted.token not in Nomination.objects.get().confirm_token_hash


def test_selection_rules_and_roles(world):
    call = open_call(world, seats=3)
    nominations = []
    for code, i in (("JAM", 1), ("JAM", 2), ("BRB", 1), ("TTO", 1), ("TTO", 2)):
        submitted = nominate(world, call, code, i)
        services.nomination_confirm(token=submitted.token)
        nominations.append(submitted.nomination)
    officer = world.client("officer")
    selection = f"/api/scholarships/calls/{call.pk}/selection"
    decisions = [{"nomination": n.pk, "decision": "accepted"} for n in nominations[:4]]
    # Before the call is closed.
    assert post(officer, selection, {"decisions": decisions[:1]}).status_code == 409
    services.call_close(actor=SYSTEM, call=call)
    # More awards than seats.
    response = post(officer, selection, {"decisions": decisions})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_many_awards"
    assert "4 awards for 3 seats" in response.json()["error"]["message"]
    # Declining needs a reason.
    response = post(
        officer,
        selection,
        {"decisions": [{"nomination": nominations[4].pk, "decision": "declined"}]},
    )
    assert response.status_code == 422
    assert "Give the reason for declining" in response.json()["error"]["message"]
    assert not Nomination.objects.exclude(status=NominationStatus.CONFIRMED).exists()
    # A point of contact cannot select; nor can a program manager of another program.
    assert post(world.client("poc_jam"), selection, {"decisions": decisions[:1]}).status_code in (
        403,
        404,
    )
    assert not Nomination.objects.exclude(status=NominationStatus.CONFIRMED).exists()
    ok = [
        {"nomination": n.pk, "decision": "accepted", "rank": i}
        for i, n in enumerate(nominations[:3], 1)
    ] + [
        {"nomination": nominations[3].pk, "decision": "waitlisted", "rank": 4},
        {"nomination": nominations[4].pk, "decision": "declined", "reason": "Profile"},
    ]
    response = post(officer, selection, {"decisions": ok})
    assert response.status_code == 200, response.content
    # Another state's point of contact cannot withdraw (not even see) a Jamaican nominee.
    brb = world.client("poc_brb")
    response = brb.post(reverse("scholarships:withdraw", args=[nominations[0].pk]), {"reason": "x"})
    assert response.status_code == 404
    # Withdrawal needs a reason; then the waitlist fills the seat.
    response = post(
        officer, f"/api/scholarships/nominations/{nominations[0].pk}/withdraw", {"reason": " "}
    )
    assert response.status_code == 422
    response = post(
        officer, f"/api/scholarships/nominations/{nominations[0].pk}/withdraw", {"reason": "Ill"}
    )
    assert response.json()["promoted"]["id"] == nominations[3].pk
    # Completion only of awardees; a declined nominee cannot complete.
    response = post(officer, f"/api/scholarships/nominations/{nominations[4].pk}/complete")
    assert response.status_code == 409
    # A donor sees no names, a point of contact no completions page.
    assert world.client("poc_jam").get(reverse("scholarships:completions")).status_code == 403
    assert (
        world.client("poc_jam")
        .get(reverse("workspace:scholarship-export", args=[call.pk]))
        .status_code
        == 403
    )


def test_who_sees_which_call_and_who_opens_one(world, django_user_model):
    draft = services.call_create(
        actor=SYSTEM,
        plan=world.plan,
        target=Target.objects.get(plan=world.plan, code="1.B.3.a"),
        course="Draft course",
        provider=world.icao,
        start_date=dt.date(2012, 6, 4),
        end_date=dt.date(2012, 6, 8),
        seats=5,
        nomination_deadline=dt.datetime(2012, 4, 15, tzinfo=dt.UTC),
    )
    public = open_call(world, public=True)
    anonymous = Client()
    assert [c["id"] for c in anonymous.get("/api/scholarships/calls").json()] == [public.pk]
    assert anonymous.get(reverse("scholarships:call", args=[draft.pk])).status_code == 404
    assert (
        world.client("poc_jam").get(reverse("scholarships:call", args=[draft.pk])).status_code
        == 404
    )
    assert ScholarshipCall.objects.visible_to(world.users["officer"]).count() == 2
    # A program manager of 1.A may not open a call toward 1.B.3.a (web form and API).
    from cicte.access.models import Membership, Role
    from cicte.plan.models import Program

    manager = django_user_model.objects.create_user(username="pm_a", password="x" * 20)
    Membership.objects.create(
        user=manager,
        role=Role.PROGRAM_MANAGER,
        program=Program.objects.get(plan=world.plan, code="1.A"),
    )
    client = Client()
    client.force_login(manager)
    body = {
        "plan": "2012",
        "target": "1.B.3.a",
        "course": "x",
        "provider": world.icao.pk,
        "start_date": "2012-06-01",
        "end_date": "2012-06-02",
        "seats": 2,
        "nomination_deadline": "2012-05-01T00:00:00Z",
    }
    assert post(client, "/api/scholarships/calls", body).status_code == 403
    # Bad dates and deadlines are named by field.
    officer = world.client("officer")
    response = post(officer, "/api/scholarships/calls", body | {"end_date": "2012-05-01"})
    assert response.json()["error"]["message"] == "The course ends before it starts."
    response = post(
        officer, "/api/scholarships/calls", body | {"nomination_deadline": "2012-07-01T00:00:00Z"}
    )
    assert response.status_code == 422
    assert ScholarshipCall.objects.count() == 2


def test_staff_open_a_call_on_the_web_form(world):
    officer = world.client("officer")
    url = reverse("workspace:scholarship-call-new")
    data = {
        "plan": world.plan.pk,
        "target": "9.Z.9.z",
        "course": "OAS/CICTE Cyber-security course",
        "provider": world.icao.pk,
        "start_date": "2012-06-04",
        "end_date": "2012-06-08",
        "seats": "10",
        "nomination_deadline": "2012-05-01T12:00",
        "eligible_subregions": ["caribbean", "central_america"],
        "small_islands_only": "on",
    }
    response = officer.post(url, data)
    assert response.status_code == 200
    assert "No target with this code in the plan." in response.content.decode()
    response = officer.post(url, data | {"target": "3.A.5.a", "end_date": "2012-06-01"})
    assert "The course ends before it starts." in response.content.decode()
    assert not ScholarshipCall.objects.exists()
    response = officer.post(url, data | {"target": "3.A.5.a"})
    call = ScholarshipCall.objects.get()
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.status == "draft" and call.small_islands_only
    # Eligibility: Caribbean or Central American small island states only.
    from cicte.scholarships.services import eligible_state_ids

    codes = set(
        MemberState.objects.filter(pk__in=eligible_state_ids(call)).values_list("code", flat=True)
    )
    assert "JAM" in codes and "BRB" in codes and "MEX" not in codes and "GTM" not in codes
    body = officer.get(call.get_absolute_url()).content.decode()
    assert "Publish to points of contact" in body
    spanish = officer.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Publicar para los puntos de contacto" in spanish
