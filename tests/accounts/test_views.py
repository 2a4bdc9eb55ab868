"""Sign-in with two-factor and lockout, user management, API tokens (views + services)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.access.models import Membership, Role
from cicte.accounts.models import ApiToken
from cicte.accounts.services import token_authenticate
from tests.accounts.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def admin_user():
    return user_with_role(Role.ADMINISTRATOR, username="chief", email="chief@example.org")


@pytest.fixture
def verified_admin_client(client, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    response = client.post(
        reverse("accounts:login"),
        {"username": "chief", "password": PASSWORD, "otp_token": current_code(device)},
    )
    assert response.status_code == 302
    return client


def test_login_without_two_factor(client):
    user_with_role(Role.SECRETARIAT, username="clerk")
    response = client.post(reverse("accounts:login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_login_requires_code_when_device_confirmed(client):
    user = user_with_role(Role.SECRETARIAT, username="clerk")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    url = reverse("accounts:login")
    response = client.post(url, {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(url, {"username": "clerk", "password": PASSWORD, "otp_token": "000000"})
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(
        url, {"username": "clerk", "password": PASSWORD, "otp_token": current_code(device)}
    )
    assert response.status_code == 302
    assert client.session["otp_device_id"] == device.persistent_id


def test_lockout_after_repeated_failures(client, settings):
    user_with_role(Role.SECRETARIAT, username="clerk")
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "clerk", "password": "wrong-password-123"})
        assert response.status_code == 200
    # the limit-th failure locks the account out; then even the right password is refused
    response = client.post(url, {"username": "clerk", "password": "wrong-password-123"})
    assert response.status_code == 429
    response = client.post(url, {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Sign-in locked" in response.content
    assert "_auth_user_id" not in client.session


def test_administrator_without_device_is_sent_to_enrolment(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("accounts:user-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp-enrol"))
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("accounts:otp-enrol"))
    # enrol: the page shows an SVG QR code (no inline script), confirming verifies the session
    page = client.get(reverse("accounts:otp-enrol"))
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    assert b"<script>" not in page.content
    device = TOTPDevice.objects.get(user=admin_user)
    response = client.post(
        reverse("accounts:otp-enrol"),
        {"code": current_code(device), "next": reverse("accounts:user-list")},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:user-list")).status_code == 200


def test_administrator_with_device_is_sent_to_verification(client, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client.force_login(admin_user)
    response = client.get(reverse("accounts:activity"))
    assert response["Location"].startswith(reverse("accounts:otp-verify"))
    response = client.post(
        reverse("accounts:otp-verify"),
        {"code": current_code(device), "next": reverse("accounts:activity")},
    )
    assert response["Location"] == reverse("accounts:activity")
    assert client.get(reverse("accounts:activity")).status_code == 200


def test_staff_without_two_factor_are_not_redirected(client):
    client.force_login(user_with_role(Role.SECRETARIAT, username="clerk"))
    assert client.get(reverse("accounts:tokens")).status_code == 200


def test_invite_creates_user_and_sends_set_password_link(
    verified_admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_admin_client.post(
            reverse("accounts:user-invite"),
            {
                "username": "jamaica",
                "email": "poc@example.org",
                "role": "point_of_contact",
                "member_state": _state_pk("JAM"),
            },
        )
    assert response.status_code == 302, response.content
    user = get_user_model().objects.get(username="jamaica")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.POINT_OF_CONTACT
    assert membership.member_state.code == "JAM"
    assert membership.history.first().history_user == admin_user
    assert not user.has_usable_password()
    assert user.history.first().history_user == admin_user
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    anonymous = verified_admin_client.__class__()
    page = anonymous.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = anonymous.post(
        form_url, {"new_password1": "Correct-horse-77", "new_password2": "Correct-horse-77"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Correct-horse-77")
    assert not hasattr(user.history.first(), "password")  # no hashes in the audit trail


def test_invite_requires_scope(verified_admin_client):
    response = verified_admin_client.post(
        reverse("accounts:user-invite"),
        {"username": "nobody", "email": "n@example.org", "role": "point_of_contact"},
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="nobody").exists()


def test_memberships_added_and_removed_are_audited(verified_admin_client, admin_user):
    user = user_with_role(Role.POINT_OF_CONTACT, username="poc", member_state="JAM")
    page = verified_admin_client.get(reverse("accounts:user-edit", args=[user.pk]))
    assert "Jamaica" in page.content.decode()
    response = verified_admin_client.post(
        reverse("accounts:user-edit", args=[user.pk]), {"action": "add", "role": "secretariat"}
    )
    assert response.status_code == 302
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {Role.POINT_OF_CONTACT, Role.SECRETARIAT}
    added = Membership.objects.get(user=user, role=Role.SECRETARIAT)
    assert added.history.first().history_user == admin_user
    poc = Membership.objects.get(user=user, role=Role.POINT_OF_CONTACT)
    response = verified_admin_client.post(
        reverse("accounts:user-edit", args=[user.pk]),
        {"action": "remove", "membership": poc.pk},
    )
    assert response.status_code == 302
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.SECRETARIAT
    ]
    deletion = Membership.history.filter(id=poc.pk).order_by("-history_id").first()
    assert deletion.history_type == "-"
    assert deletion.history_user == admin_user
    response = verified_admin_client.post(
        reverse("accounts:user-set-active", args=[user.pk]), {"active": "0"}
    )
    user.refresh_from_db()
    assert not user.is_active
    assert user.history.first().history_user == admin_user


def test_non_administrators_cannot_manage_users(client):
    client.force_login(user_with_role(Role.SECRETARIAT, username="clerk"))
    assert client.get(reverse("accounts:user-list")).status_code == 403
    assert client.get(reverse("accounts:activity")).status_code == 403


def test_token_create_shows_secret_once_and_stores_hash(client):
    user = user_with_role(Role.POINT_OF_CONTACT, username="poc", member_state="JAM")
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "script", "expires_in_days": 30})
    assert response.status_code == 200
    secret = re.search(rb'id="new-token">([^<]+)<', response.content).group(1).decode()
    token = ApiToken.objects.get(user=user)
    assert secret not in token.digest and token.digest != secret
    assert len(token.digest) == 64
    assert token_authenticate(secret) == user
    assert secret.encode() not in client.get(reverse("accounts:tokens")).content
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert token_authenticate(secret) is None
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(client):
    owner = user_with_role(None, username="owner")
    from cicte.accounts.services import token_create

    issued = token_create(actor=owner, name="x")
    client.force_login(user_with_role(None, username="other"))
    response = client.post(reverse("accounts:token-revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    assert token_authenticate(issued.secret) == owner


def _state_pk(code: str) -> int:
    from cicte.directory.models import MemberState

    return MemberState.objects.get(code=code).pk


def test_forgotten_password_sends_a_link(client):
    user = user_with_role(Role.SECRETARIAT, username="clerk", email="clerk@example.org")
    assert b"Forgotten your password?" in client.get(reverse("accounts:login")).content
    response = client.post(reverse("accounts:password-reset"), {"email": "clerk@example.org"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Another-horse-88", "new_password2": "Another-horse-88"}
    )
    user.refresh_from_db()
    assert user.check_password("Another-horse-88")
    # unknown addresses get the same answer and no e-mail
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 1


def test_my_country_shows_own_participants_only(client):
    from cicte.delivery.models import Participant
    from cicte.directory.models import MemberState
    from tests.factories import EventFactory

    jam, brb = MemberState.objects.get(code="JAM"), MemberState.objects.get(code="BRB")
    hosted = EventFactory(title="Hosted in Jamaica", host_state=jam)
    elsewhere = EventFactory(title="Held in Barbados", host_state=brb)
    Participant.objects.create(event=hosted, member_state=jam, name="Jamaican delegate")
    Participant.objects.create(event=hosted, member_state=brb, name="Barbadian delegate")
    Participant.objects.create(event=elsewhere, member_state=brb, name="Other delegate")
    client.force_login(user_with_role(Role.POINT_OF_CONTACT, username="poc", member_state="JAM"))
    html = client.get(reverse("my-country")).content.decode()
    assert "Hosted in Jamaica" in html and "Jamaican delegate" in html
    assert "Barbadian delegate" not in html and "Held in Barbados" not in html
    client.force_login(user_with_role(Role.DONOR, username="donor-x", organization=None))
    assert client.get(reverse("my-country")).status_code == 403
