"""The access model: memberships (union of what each allows), decisions in services,
version tokens, whole restores, and the regressions of issue 10 (each failed on the main of
2026-12-01)."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cicte.access import permissions as roles
from cicte.access.models import Membership, Role
from cicte.accounts.services import history_restore
from cicte.core.types import SYSTEM
from cicte.core.versioning import version_of
from cicte.delivery import permissions as delivery_permissions
from cicte.delivery.models import Attachment, Event, EventTarget, Participant
from cicte.delivery.services import attachment_add, event_delete, event_update
from cicte.directory.models import MemberState
from cicte.reports.models import Narrative, PublishedReport
from tests.accounts.factories import add_memberships, user_with_role
from tests.security.test_write_matrix import _event_form

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- memberships ------------------------------------------------------------------------------


def test_two_memberships_give_exactly_the_union(world):
    """A program manager of 1.A who is also the point of contact of Jamaica."""
    user = user_with_role(Role.PROGRAM_MANAGER, username="both", programs=[world.program])
    add_memberships(user, Role.POINT_OF_CONTACT, member_state="JAM")
    user = get_user_model().objects.get(pk=user.pk)
    assert roles.user_roles(user) == {Role.PROGRAM_MANAGER, Role.POINT_OF_CONTACT}
    assert roles.user_role(user) == Role.PROGRAM_MANAGER  # the widest, for the home page
    # program manager of 1.A: edits 1.A's events, not 1.B's
    assert delivery_permissions.can_edit_event(user, world.jam_event)
    assert not delivery_permissions.can_edit_event(user, world.brb_event)
    # point of contact of Jamaica: speaks for Jamaica, not for Barbados
    assert roles.can_view_member_state(user, "JAM")
    assert roles.user_member_states(user) == [MemberState.objects.get(code="JAM")]
    client = _client(user)
    # through the web: edits 1.A's event…
    response = client.post(
        reverse("workspace:event-edit", args=[world.jam_event.pk]),
        _event_form(world, world.jam_event, **{"targets-0-target": world.target.code}),
    )
    assert response.status_code == 302
    assert Event.objects.get(pk=world.jam_event.pk).title == "Changed title"
    # …but not 1.B's
    response = client.post(
        reverse("workspace:event-edit", args=[world.brb_event.pk]),
        _event_form(world, world.brb_event, **{"targets-0-target": world.other_target.code}),
    )
    assert Event.objects.get(pk=world.brb_event.pk).title == "Cyber security course"
    # requests assistance for Jamaica, not for Barbados
    form = {
        "title": "Port facility assessment",
        "needs": "An assessment of two port facilities.",
        "contact_name": "A. Officer",
        "contact_email": "officer@example.org",
    }
    assert client.post(reverse("requests:new"), form).status_code == 302
    from cicte.assistance.models import AssistanceRequest

    assert list(AssistanceRequest.objects.values_list("member_state__code", flat=True)) == ["JAM"]
    # (as Secretariat staff — a program manager — the user may also file for any state.)
    # my country: Jamaica's page with Jamaica's participants only
    page = client.get(reverse("my-country")).content.decode()
    assert "Ann Zqxpersonal" in page and "Bob Zqxpersonal" not in page


def test_point_of_contact_of_two_states_chooses_one(world):
    user = user_with_role(Role.POINT_OF_CONTACT, username="two", member_state="JAM")
    add_memberships(user, Role.POINT_OF_CONTACT, member_state="BRB")
    client = _client(user)
    jam = client.get(reverse("my-country") + "?state=JAM").content.decode()
    brb = client.get(reverse("my-country") + "?state=BRB").content.decode()
    assert "Ann Zqxpersonal" in jam and "Bob Zqxpersonal" not in jam
    assert "Bob Zqxpersonal" in brb and "Ann Zqxpersonal" not in brb
    # a state the user does not speak for falls back to their first one (by code: BRB)
    other = client.get(reverse("my-country") + "?state=COL").content.decode()
    assert "Bob Zqxpersonal" in other and "Ann Zqxpersonal" not in other
    events = Event.objects.visible_to(user)
    assert set(events.values_list("pk", flat=True)) == {world.jam_event.pk, world.brb_event.pk}


def test_membership_scope_must_match_role():
    from django.db import IntegrityError, transaction

    user = user_with_role(None, username="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.POINT_OF_CONTACT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=user, role=Role.SECRETARIAT, member_state=MemberState.objects.get(code="JAM")
        )


def test_create_user_command(world):
    out = io.StringIO()
    call_command(
        "create_user",
        "pm-two",
        "--email",
        "pm@example.org",
        "--role",
        "program_manager",
        "--program",
        "1.A",
        "--program",
        "1.B",
        "--plan",
        "2012",
        stdout=out,
    )
    user = get_user_model().objects.get(username="pm-two")
    assert sorted(m.program.code for m in Membership.objects.filter(user=user)) == ["1.A", "1.B"]
    assert "invitation was e-mailed" in out.getvalue()
    call_command(
        "create_user", "jam", "--email", "j@example.org", "--role", "point_of_contact",
        "--member-state", "jam",
    )  # fmt: skip
    assert Membership.objects.get(user__username="jam").member_state.code == "JAM"
    with pytest.raises(CommandError, match="not an OAS member state"):
        call_command(
            "create_user", "z", "--email", "z@example.org", "--role", "point_of_contact",
            "--member-state", "XYZ",
        )  # fmt: skip
    with pytest.raises(CommandError, match=r"No program '9\.Z'"):
        call_command(
            "create_user", "z", "--email", "z@example.org", "--role", "program_manager",
            "--program", "9.Z",
        )  # fmt: skip
    with pytest.raises(CommandError, match="needs a member state"):
        call_command("create_user", "z", "--email", "z@example.org", "--role", "point_of_contact")
    assert not get_user_model().objects.filter(username="z").exists()


# --- regressions of issue 10 -----------------------------------------------------------------


def test_program_manager_cannot_save_another_programs_narrative_on_the_web(world):
    client = world.client("program_manager")
    client.post(
        reverse("workspace:report-narrative"),
        {"program": world.other_program.pk, "period": "2012-H1", "lang": "en", "text": "Mine"},
    )
    assert not Narrative.objects.filter(program=world.other_program).exists()


def test_program_manager_cannot_publish_the_report(world):
    client = world.client("program_manager")
    response = client.post(
        reverse("workspace:report-publish"),
        {"plan": world.plan.pk, "period": "2012-H2", "lang": "en"},
    )
    assert response.status_code == 403
    assert not PublishedReport.objects.filter(period="2012-H2").exists()
    page = client.get(reverse("workspace:report") + f"?plan={world.plan.pk}&period=2012-H1")
    assert "Publish this report" not in page.content.decode()


def test_a_stale_event_form_is_refused_and_shows_what_changed(world):
    client = world.client("secretariat")
    event = world.jam_event
    stale = _event_form(world, event, **{"targets-0-target": world.target.code})
    first = dict(stale, title="First editor's title")
    assert client.post(reverse("workspace:event-edit", args=[event.pk]), first).status_code == 302
    second = dict(stale, title="Second editor's title", city="Bridgetown")
    response = client.post(reverse("workspace:event-edit", args=[event.pk]), second)
    body = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in body
    assert "First editor&#x27;s title" in body or "First editor's title" in body
    event.refresh_from_db()
    assert event.title == "First editor's title" and event.city == "Kingston"


def test_a_stale_api_update_is_refused_with_409(world):
    client = world.client("secretariat", via="token")
    url = f"/api/events/{world.jam_event.pk}"
    version = client.get(url).json()["version"]
    assert version == version_of(world.jam_event)
    ok = client.patch(
        url, json.dumps({"title": "API one", "version": version}), content_type="application/json"
    )
    assert ok.status_code == 200
    stale = client.patch(
        url, json.dumps({"title": "API two", "version": version}), content_type="application/json"
    )
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "stale_edit"
    assert any(d["field"] == "title" for d in error["details"])
    assert Event.objects.get(pk=world.jam_event.pk).title == "API one"


def test_a_stale_narrative_is_refused(world):
    client = world.client("secretariat")
    url = reverse("workspace:report-narrative")
    base = {"program": world.program.pk, "period": "2012-H1", "lang": "en", "version": 0}
    client.post(url, dict(base, text="First"))
    response = client.post(url, dict(base, text="Second"), follow=True)
    assert "changed by someone else" in response.content.decode()
    assert Narrative.objects.get(program=world.program).text == "First"


def test_restoring_a_deleted_event_brings_everything_back(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = world.jam_event
    officer = world.users["secretariat"]
    attachment = attachment_add(
        actor=officer,
        event=event,
        kind="report",
        uploaded_file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", "application/pdf"),
    )
    event_update(actor=officer, event=event, partners=[world.donor])
    path = attachment.file.path
    before = {
        "targets": set(EventTarget.objects.filter(event=event).values_list("target_id", "units")),
        "participants": set(Participant.objects.filter(event=event).values_list("name", flat=True)),
        "beneficiaries": set(event.beneficiaries.values_list("code", flat=True)),
        "partners": set(event.partners.values_list("pk", flat=True)),
        "countries": event.country_participation.count(),
        "attachments": Attachment.objects.filter(event=event).count(),
    }
    assert before["targets"] and before["participants"] and before["partners"]
    event_id = event.pk
    event_delete(actor=officer, event=event)
    assert not Event.objects.filter(pk=event_id).exists()
    assert not Attachment.objects.filter(event_id=event_id).exists()
    deletion = Event.history.filter(id=event_id, history_type="-").get()
    client = world.client("secretariat")
    response = client.post(
        reverse(
            "accounts:history-restore", args=["delivery", "event", event_id, deletion.history_id]
        )
    )
    assert response.status_code == 302
    restored = Event.objects.get(pk=event_id)
    after = {
        "targets": set(
            EventTarget.objects.filter(event=restored).values_list("target_id", "units")
        ),
        "participants": set(
            Participant.objects.filter(event=restored).values_list("name", flat=True)
        ),
        "beneficiaries": set(restored.beneficiaries.values_list("code", flat=True)),
        "partners": set(restored.partners.values_list("pk", flat=True)),
        "countries": restored.country_participation.count(),
        "attachments": Attachment.objects.filter(event=restored).count(),
    }
    assert after == before
    restored_attachment = Attachment.objects.get(event=restored, kind="report")
    with open(restored_attachment.file.path, "rb") as handle:
        assert handle.read() == b"%PDF-1.4 report"
    assert restored_attachment.file.path == path
    assert restored.history.first().history_user == officer


def test_restore_needs_the_secretariat(world):
    from cicte.core.errors import NotAllowed

    record = world.jam_event.history.first()
    with pytest.raises(NotAllowed):
        history_restore(actor=world.users["program_manager"], record=record)


def test_services_refuse_anonymous_and_system_is_trusted(world):
    from cicte.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        event_update(actor=None, event=world.jam_event, title="Anonymous")
    event_update(actor=SYSTEM, event=world.jam_event, title="From the command line")
    record = world.jam_event.history.first()
    assert record.history_user is None and record.history_change_reason == "command line"


def test_purge_files_keeps_files_history_refers_to(world, settings, tmp_path):
    from pathlib import Path

    from cicte.delivery.services import attachment_delete

    settings.MEDIA_ROOT = tmp_path
    officer = world.users["secretariat"]
    attachment = attachment_add(
        actor=officer,
        event=world.jam_event,
        kind="report",
        uploaded_file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 r", "application/pdf"),
    )
    path = Path(attachment.file.path)
    name = attachment.file.name
    attachment_delete(actor=officer, attachment=attachment)
    out = io.StringIO()
    call_command("purge_files", stdout=out)
    assert path.exists()  # the history still names it: restorable
    Attachment.history.filter(file=name).delete()
    call_command("purge_files", "--dry-run", stdout=out)
    assert path.exists() and "Would delete 1 file(s)" in out.getvalue()
    call_command("purge_files", stdout=out)
    assert not path.exists()


def test_stale_edits_of_requests_evaluations_and_funding_are_refused(world):
    import datetime as dt

    from cicte.assistance.services import request_transition
    from cicte.core.versioning import StaleEdit
    from cicte.evaluations.services import evaluation_create, evaluation_update
    from cicte.funding.models import Budget
    from tests.assistance.factories import AssistanceRequestFactory

    officer = world.users["secretariat"]
    # a request moved by someone else since the page was opened
    item = AssistanceRequestFactory()
    seen = version_of(item)
    request_transition(actor=officer, request=item, to_status="under_review", version=seen)
    with pytest.raises(StaleEdit):
        request_transition(actor=officer, request=item, to_status="declined", version=seen)
    item.refresh_from_db()
    assert item.status == "under_review"
    # an evaluation corrected twice from the same form
    evaluation = evaluation_create(
        actor=officer,
        kind="follow_up",
        date=dt.date(2012, 5, 1),
        evaluator="A",
        event=world.jam_event,
    )
    seen = version_of(evaluation)
    common = {"kind": "follow_up", "date": dt.date(2012, 5, 1), "event": world.jam_event}
    evaluation_update(actor=officer, evaluation=evaluation, evaluator="B", version=seen, **common)
    with pytest.raises(StaleEdit, match="evaluator"):
        evaluation_update(
            actor=officer, evaluation=evaluation, evaluator="C", version=seen, **common
        )
    evaluation.refresh_from_db()
    assert evaluation.evaluator == "B"
    # a budget saved from a page that showed none, after someone else set one (the web form)
    client = world.client("secretariat")
    url = reverse("workspace:funding-budget", args=[world.target.project.pk])
    client.post(url, {"amount": "1000", "notes": "", "version": 0})
    response = client.post(url, {"amount": "5", "notes": "", "version": 0}, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert Budget.objects.get(project=world.target.project).amount_usd == 1000


def test_membership_history_is_for_administrators_and_cannot_be_restored(world):
    membership = Membership.objects.get(user=world.users["point_of_contact"])
    url = reverse("accounts:history", args=["access", "membership", membership.pk])
    assert world.client("secretariat").get(url).status_code == 403
    assert world.client("admin").get(url).status_code == 200
    from cicte.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        history_restore(actor=world.users["admin"], record=membership.history.first())
