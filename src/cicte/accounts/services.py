"""Writes for users, roles, API tokens and history restores. Each function is one transaction
and leaves an audit record (django-simple-history, with the acting user)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cicte.accounts.models import ApiToken, Role, UserProfile
from cicte.accounts.permissions import can_manage_users, can_restore_history
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Program

TOKEN_PREFIX = "cicte"  # noqa: S105 - not a secret: marks our tokens
#: Models whose history may not be restored through the generic service (security records).
RESTORE_FORBIDDEN_APPS = frozenset({"auth", "accounts", "otp_totp", "axes", "sessions"})


def _scope_check(
    *,
    role: str,
    member_state: MemberState | None,
    programs: Iterable[Program],
    organization: Organization | None,
) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    if role == Role.POINT_OF_CONTACT and member_state is None:
        raise ValidationError(_("A point of contact needs a member state."), code="scope")
    if role == Role.PROGRAM_MANAGER and not list(programs):
        raise ValidationError(_("A program manager needs at least one program."), code="scope")
    if role == Role.DONOR and organization is None:
        raise ValidationError(_("A donor needs an organization."), code="scope")


def _apply_role(user: Any, role: str) -> None:
    # Only administrators reach the Django admin site; the role decides everything else.
    user.is_staff = role == Role.ADMINISTRATOR
    user.is_superuser = role == Role.ADMINISTRATOR


def user_invite(
    *,
    actor: Any,
    username: str,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    member_state: MemberState | None = None,
    programs: Iterable[Program] = (),
    organization: Organization | None = None,
    base_url: str = "",
) -> Any:
    """Create a user with a role and scope and e-mail a link to set a password."""
    if not can_manage_users(actor):
        raise PermissionDenied
    programs = list(programs)
    _scope_check(role=role, member_state=member_state, programs=programs, organization=organization)
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("That username is taken."), code="username")
        user = user_model(
            username=username, email=email, first_name=first_name, last_name=last_name
        )
        user.set_unusable_password()
        _apply_role(user, role)
        user._history_user = actor  # type: ignore[attr-defined]
        try:
            user.save()
        except IntegrityError as exc:
            raise ValidationError(_("That username is taken."), code="username") from exc
        profile = UserProfile(
            user=user,
            role=role,
            member_state=member_state if role == Role.POINT_OF_CONTACT else None,
            organization=organization if role == Role.DONOR else None,
        )
        profile._history_user = actor  # type: ignore[attr-defined]
        profile.save()
        if role == Role.PROGRAM_MANAGER:
            profile.programs.set(programs)
        transaction.on_commit(lambda: send_invitation(user=user, base_url=base_url))
    return user


def invitation_link(*, user: Any, base_url: str = "") -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", args=[uid, token])
    return f"{base_url.rstrip('/')}{path}"


def send_invitation(*, user: Any, base_url: str = "") -> None:
    """E-mail the set-password link (Django's password-reset token machinery)."""
    if not user.email:
        return
    context = {"user": user, "link": invitation_link(user=user, base_url=base_url)}
    body = render_to_string("accounts/emails/invitation.txt", context)
    subject = _("Your CICTE Work Plan account")
    # Sent by the background worker, with retries (cicte.ops.tasks.send_email).
    from cicte.ops.tasks import mail_enqueue

    mail_enqueue(subject=str(subject), body=body, to=[user.email])


def user_role_set(
    *,
    actor: Any,
    user: Any,
    role: str,
    member_state: MemberState | None = None,
    programs: Iterable[Program] = (),
    organization: Organization | None = None,
) -> UserProfile:
    """Change a user's role and scope."""
    if not can_manage_users(actor):
        raise PermissionDenied
    programs = list(programs)
    _scope_check(role=role, member_state=member_state, programs=programs, organization=organization)
    if user.pk == actor.pk and role != Role.ADMINISTRATOR:
        raise ValidationError(_("You cannot remove your own administrator role."), code="self")
    with transaction.atomic():
        profile = UserProfile.objects.filter(user=user).first() or UserProfile(user=user)
        profile.role = role
        profile.member_state = member_state if role == Role.POINT_OF_CONTACT else None
        profile.organization = organization if role == Role.DONOR else None
        profile._history_user = actor  # type: ignore[attr-defined]
        profile.save()
        profile.programs.set(programs if role == Role.PROGRAM_MANAGER else [])
        _apply_role(user, role)
        user._history_user = actor
        user.save(update_fields=["is_staff", "is_superuser"])
        user.profile = profile
        if hasattr(user, "_cicte_program_ids"):
            del user._cicte_program_ids
    return profile


def user_set_active(*, actor: Any, user: Any, active: bool) -> Any:
    """Deactivate (or reactivate) a user; a deactivated user's API tokens stop working."""
    if not can_manage_users(actor):
        raise PermissionDenied
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate yourself."), code="self")
    with transaction.atomic():
        user.is_active = active
        user._history_user = actor
        user.save(update_fields=["is_active"])
    return user


# API tokens -----------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(*, actor: Any, name: str, expires_at: dt.datetime | None = None) -> IssuedToken:
    """A new API token for ``actor``. The full secret is returned once; only its SHA-256 is
    kept, with a short random prefix to find it."""
    if not actor.is_authenticated:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."), code="expires_at")
    with transaction.atomic():
        for _attempt in range(5):
            prefix = secrets.token_hex(5)
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken(
            user=actor,
            name=name[:100],
            prefix=prefix,
            digest=_digest(secret),
            expires_at=expires_at,
        )
        token._history_user = actor  # type: ignore[attr-defined]
        token.save()
    return IssuedToken(token=token, secret=secret)


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not can_manage_users(actor):
        raise PermissionDenied
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token._history_user = actor  # type: ignore[attr-defined]
            token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> Any | None:
    """The active user owning the usable token ``raw``, or None."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 10:
        return None
    token = (
        ApiToken.objects.select_related(
            "user__profile__member_state", "user__profile__organization"
        )
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(raw.strip())):
        return None
    now = timezone.now()
    if not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# History ------------------------------------------------------------------------------


def history_restore(*, actor: Any, record: Any) -> models.Model:
    """Put the values of the historical ``record`` back on its object (recreating it when it
    was deleted). Many-to-many links are not changed. The new history row names ``actor``
    and says which version was restored."""
    if not can_restore_history(actor):
        raise PermissionDenied
    model = record.instance_type
    if model._meta.app_label in RESTORE_FORBIDDEN_APPS:
        raise PermissionDenied
    with transaction.atomic():
        pk_value = getattr(record, model._meta.pk.attname)
        obj = model._default_manager.filter(pk=pk_value).first()
        if obj is None:
            obj = record.instance
        else:
            for field in record.instance_type._meta.concrete_fields:
                if field.primary_key or not hasattr(record, field.attname):
                    continue
                if isinstance(field, models.DateTimeField) and (
                    field.auto_now or field.auto_now_add
                ):
                    continue
                setattr(obj, field.attname, getattr(record, field.attname))
        obj._history_user = actor
        obj._change_reason = f"restored version {record.history_id}"
        obj.save()
    return obj
