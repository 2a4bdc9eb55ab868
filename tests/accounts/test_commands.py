"""Operator commands: API tokens and two-factor reset."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.access.models import Role
from cicte.accounts.models import ApiToken
from cicte.accounts.services import token_authenticate
from tests.accounts.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_create_api_token():
    user = user_with_role(Role.SECRETARIAT, username="ops")
    out = io.StringIO()
    call_command("create_api_token", "ops", "nightly export", "--days", "7", stdout=out)
    secret = out.getvalue().strip()
    assert token_authenticate(secret) == user
    token = ApiToken.objects.get(user=user)
    assert token.name == "nightly export" and token.expires_at is not None
    assert token.history.first().history_user == user


def test_create_api_token_errors():
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "ghost", "x")
    user_with_role(None, username="ops")
    with pytest.raises(CommandError, match="--days"):
        call_command("create_api_token", "ops", "x", "--days", "0")


def test_otp_reset():
    user = user_with_role(Role.ADMINISTRATOR, username="chief")
    TOTPDevice.objects.create(user=user, name="lost phone", confirmed=True)
    out = io.StringIO()
    call_command("otp_reset", "chief", stdout=out)
    assert "Removed 1" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists()
    with pytest.raises(CommandError):
        call_command("otp_reset", "ghost")
