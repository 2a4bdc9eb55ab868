"""Audit trail: history per record with field-by-field changes, restore, activity log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cicte.access.models import Role
from cicte.accounts.services import history_restore, token_create, token_revoke
from cicte.delivery.models import Event
from cicte.directory.models import Organization
from tests.accounts.factories import user_with_role
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return user_with_role(Role.SECRETARIAT, username="officer")


def _edit(obj, actor, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = actor
    obj.save()


def test_history_page_shows_field_changes(client, officer):
    org = Organization.objects.create(name="Inter-American Drug Abuse Control Commission")
    _edit(org, officer, acronym="CICAD")
    client.force_login(officer)
    url = reverse("accounts:history", args=["directory", "organization", org.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CICAD" in html and "Acronym" in html and "officer" in html
    assert "Restore this version" in html


def test_history_of_unknown_model_or_record(client, officer):
    client.force_login(officer)
    assert client.get(reverse("accounts:history", args=["nope", "thing", 1])).status_code == 404
    missing = reverse("accounts:history", args=["delivery", "event", 999999])
    assert client.get(missing).status_code == 404
    assert (
        client.get(reverse("accounts:history", args=["delivery", "event", "x"])).status_code == 404
    )


def test_user_history_is_for_administrators_only(client, officer):
    client.force_login(officer)
    response = client.get(reverse("accounts:history", args=["auth", "user", officer.pk]))
    assert response.status_code == 403


def test_restore_a_previous_version(client, officer):
    event = EventFactory(title="Original title")
    first = event.history.first()
    _edit(event, officer, title="Wrong title", city="Nowhere")
    client.force_login(officer)
    url = reverse(
        "accounts:history-restore", args=["delivery", "event", event.pk, first.history_id]
    )
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.city) == ("Original title", first.city)
    latest = event.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == f"restored version {first.history_id}"


def test_restore_recreates_a_deleted_record(officer):
    org = Organization.objects.create(name="Deleted partner", acronym="DP")
    pk = org.pk
    version = org.history.first()
    org._history_user = officer
    org.delete()
    restored = history_restore(actor=officer, record=version)
    assert restored.pk == pk
    assert Organization.objects.get(pk=pk).acronym == "DP"


def test_restore_needs_edit_rights_and_refuses_security_records(client):
    manager = user_with_role(Role.PROGRAM_MANAGER, username="pm")
    org = Organization.objects.create(name="Partner")
    with pytest.raises(PermissionDenied):
        history_restore(actor=manager, record=org.history.first())
    client.force_login(manager)
    url = reverse(
        "accounts:history-restore",
        args=["directory", "organization", org.pk, org.history.first().history_id],
    )
    assert client.post(url).status_code == 403
    admin = user_with_role(Role.ADMINISTRATOR, username="chief")
    with pytest.raises(PermissionDenied):
        history_restore(actor=admin, record=manager.history.first())


def test_token_services_are_audited():
    user = user_with_role(None, username="scripter")
    issued = token_create(actor=user, name="nightly")
    token_revoke(actor=user, token=issued.token)
    kinds = [(h.history_type, h.history_user) for h in issued.token.history.all()]
    assert kinds == [("~", user), ("+", user)]


def test_activity_log_lists_and_filters(client):
    admin = user_with_role(Role.ADMINISTRATOR, username="chief")
    officer = user_with_role(Role.SECRETARIAT, username="officer")
    org = Organization.objects.create(name="Audited partner")
    _edit(org, officer, acronym="AUD")
    event = EventFactory()
    _edit(event, admin, city="Kingston")
    client.force_login(admin)
    session = client.session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    url = reverse("accounts:activity")
    page = client.get(url).content.decode()
    assert "officer" in page and "chief" in page
    org_link = reverse("accounts:history", args=["directory", "organization", org.pk])
    event_link = reverse("accounts:history", args=["delivery", "event", event.pk])
    only_officer = client.get(url, {"user": "officer"}).content.decode()
    assert org_link in only_officer and event_link not in only_officer
    only_events = client.get(url, {"model": "delivery.event"}).content.decode()
    assert event_link in only_events and org_link not in only_events
    none = client.get(url, {"date_from": "2001-01-01", "date_to": "2001-01-02"}).content.decode()
    assert "No changes match." in none
    assert Event.history.count() >= 2


def test_history_url_template_tag():
    from django.template import Context, Template

    event = EventFactory()
    html = Template("{% load audit %}{% history_url event %}").render(Context({"event": event}))
    assert html == reverse("accounts:history", args=["delivery", "event", event.pk])
