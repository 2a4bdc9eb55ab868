"""Regression (issue 10, item 9): the Django admin's sign-in asks for the same second factor
as the site's sign-in form, instead of signing an administrator in with the password alone."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.access.models import Role
from tests.accounts.factories import PASSWORD, user_with_role
from tests.accounts.test_views import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator_with_device():
    user = user_with_role(
        Role.ADMINISTRATOR,
        username="chief",
        email="chief@example.org",
        is_staff=True,
        is_superuser=True,
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_admin_login_refuses_the_password_alone(client, administrator_with_device):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "chief", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "6-digit code" in response.text


def test_admin_login_with_the_code_opens_the_admin(client, administrator_with_device):
    _user, device = administrator_with_device
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "chief", "password": PASSWORD, "otp_token": current_code(device)},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_asks_for_the_code(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'name="otp_token"' in response.text
