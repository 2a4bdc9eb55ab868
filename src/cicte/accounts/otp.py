"""TOTP two-factor authentication helpers (django-otp)."""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.access.permissions import is_administrator, is_secretariat

#: Paths that need a verified second factor when the user has (or must have) a device.
PROTECTED_PREFIXES = (
    "/workspace/",
    "/admin/",
    "/accounts/users/",
    "/accounts/activity/",
    "/accounts/history/",
    "/accounts/tokens/",
)


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_required(user: Any) -> bool:
    """Administrators must use two-factor authentication."""
    return bool(
        getattr(settings, "CICTE_OTP_REQUIRED_FOR_ADMINISTRATORS", True) and is_administrator(user)
    )


def otp_allowed(user: Any) -> bool:
    """Staff may turn on two-factor authentication (everybody signed in, in fact)."""
    return bool(user.is_authenticated and (is_secretariat(user) or user.is_active))


def is_verified(user: Any) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a ``data:`` URI (allowed by our CSP's img-src; no script)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: bytes = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def verify(user: Any, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts ``token`` (throttled by django-otp), or None."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return None
    device = match_token(user, token)
    if device is None or not getattr(device, "confirmed", False):
        return None
    return device
