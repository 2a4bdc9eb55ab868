"""Writes for users, roles, API tokens and history restores. Each function is one transaction
and leaves an audit record (django-simple-history, with the acting user)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from simple_history import utils as simple_history_utils

from cicte.access.models import Membership, Role
from cicte.access.permissions import can_manage_users, can_restore_history, forget_memberships
from cicte.accounts.models import ApiToken
from cicte.core import audit
from cicte.core.errors import require
from cicte.core.types import actor_user
from cicte.directory.models import MemberState, Organization
from cicte.ops.tasks import mail_enqueue
from cicte.plan.models import Program

TOKEN_PREFIX = "cicte"  # noqa: S105 - not a secret: marks our tokens
#: Models whose history may not be restored through the generic service (security records).
RESTORE_FORBIDDEN_APPS = frozenset({"auth", "access", "accounts", "otp_totp", "axes", "sessions"})


@dataclass(frozen=True)
class MembershipSpec:
    """One membership to grant: a role and its scope (see :class:`Membership`)."""

    role: str
    member_state: MemberState | None = None
    program: Program | None = None
    organization: Organization | None = None

    def key(self) -> tuple[str, int | None, int | None, int | None]:
        return (
            self.role,
            self.member_state.pk if self.member_state else None,
            self.program.pk if self.program else None,
            self.organization.pk if self.organization else None,
        )


def memberships_for_role(
    *,
    role: str,
    member_state: MemberState | None = None,
    programs: Iterable[Program] = (),
    organization: Organization | None = None,
) -> list[MembershipSpec]:
    """The memberships of the one-role forms and commands: a program manager gets one
    membership per program; the scope fields that do not belong to ``role`` are ignored."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    if role == Role.POINT_OF_CONTACT:
        if member_state is None:
            raise ValidationError(_("A point of contact needs a member state."), code="scope")
        return [MembershipSpec(role, member_state=member_state)]
    if role == Role.PROGRAM_MANAGER:
        programs = list(programs)
        if not programs:
            raise ValidationError(_("A program manager needs at least one program."), code="scope")
        return [MembershipSpec(role, program=program) for program in programs]
    if role == Role.DONOR:
        if organization is None:
            raise ValidationError(_("A donor needs an organization."), code="scope")
        return [MembershipSpec(role, organization=organization)]
    return [MembershipSpec(role)]


def _check_spec(spec: MembershipSpec) -> None:
    memberships_for_role(
        role=spec.role,
        member_state=spec.member_state,
        programs=[spec.program] if spec.program else [],
        organization=spec.organization,
    )


def _apply_admin_flags(user: Any, roles: Iterable[str]) -> None:
    # Only administrators reach the Django admin site; memberships decide everything else.
    admin = Role.ADMINISTRATOR in set(roles)
    user.is_staff = admin
    user.is_superuser = admin


def _write_memberships(*, actor: Any, user: Any, specs: Sequence[MembershipSpec]) -> None:
    wanted = {spec.key(): spec for spec in specs}
    for membership in list(Membership.objects.filter(user=user)):
        key = (
            membership.role,
            membership.member_state_id,
            membership.program_id,
            membership.organization_id,
        )
        if wanted.pop(key, None) is None:
            audit.delete(membership, actor=actor)
    for spec in wanted.values():
        audit.save(
            Membership(
                user=user,
                role=spec.role,
                member_state=spec.member_state,
                program=spec.program,
                organization=spec.organization,
            ),
            actor=actor,
        )
    _apply_admin_flags(user, [spec.role for spec in specs])
    audit.save(user, actor=actor, update_fields=["is_staff", "is_superuser"])
    forget_memberships(user)


def user_invite(
    *,
    actor: Any,
    username: str,
    email: str,
    role: str = "",
    first_name: str = "",
    last_name: str = "",
    member_state: MemberState | None = None,
    programs: Iterable[Program] = (),
    organization: Organization | None = None,
    memberships: Sequence[MembershipSpec] = (),
    base_url: str = "",
    password: str | None = None,
    send: bool = True,
) -> Any:
    """Create a user with memberships (``role`` and its scope, and/or ``memberships``) and
    e-mail a link to set a password (unless ``password`` is given, e.g. by ``create-user``)."""
    require(can_manage_users(actor), _("Only administrators manage users."))
    specs = list(memberships)
    if role:
        specs = (
            memberships_for_role(
                role=role, member_state=member_state, programs=programs, organization=organization
            )
            + specs
        )
    for spec in specs:
        _check_spec(spec)
    if not specs:
        raise ValidationError(_("Give the user at least one role."), code="role")
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("That username is taken."), code="username")
        user = user_model(
            username=username, email=email, first_name=first_name, last_name=last_name
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            audit.save(user, actor=actor)
        except IntegrityError as exc:
            raise ValidationError(_("That username is taken."), code="username") from exc
        _write_memberships(actor=actor, user=user, specs=specs)
        if send:
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
    mail_enqueue(subject=str(subject), body=body, to=[user.email])


def user_role_set(
    *,
    actor: Any,
    user: Any,
    role: str,
    member_state: MemberState | None = None,
    programs: Iterable[Program] = (),
    organization: Organization | None = None,
) -> list[Membership]:
    """Give ``user`` exactly one role (and its scope), replacing their memberships."""
    specs = memberships_for_role(
        role=role, member_state=member_state, programs=programs, organization=organization
    )
    return user_memberships_set(actor=actor, user=user, memberships=specs)


def user_memberships_set(
    *, actor: Any, user: Any, memberships: Sequence[MembershipSpec]
) -> list[Membership]:
    """Replace ``user``'s memberships with ``memberships`` (each audited)."""
    require(can_manage_users(actor), _("Only administrators manage users."))
    specs = list(memberships)
    for spec in specs:
        _check_spec(spec)
    if user.pk == getattr(actor, "pk", None) and Role.ADMINISTRATOR not in {
        spec.role for spec in specs
    }:
        raise ValidationError(_("You cannot remove your own administrator role."), code="self")
    with transaction.atomic():
        _write_memberships(actor=actor, user=user, specs=specs)
    return list(Membership.objects.filter(user=user))


def membership_add(*, actor: Any, user: Any, membership: MembershipSpec) -> Membership:
    """Add one membership to ``user`` (kept when they already hold it)."""
    require(can_manage_users(actor), _("Only administrators manage users."))
    _check_spec(membership)
    current = [
        MembershipSpec(m.role, m.member_state, m.program, m.organization)
        for m in Membership.objects.filter(user=user).select_related(
            "member_state", "program", "organization"
        )
    ]
    keys = {spec.key() for spec in current}
    with transaction.atomic():
        if membership.key() not in keys:
            _write_memberships(actor=actor, user=user, specs=[*current, membership])
    return Membership.objects.get(
        user=user,
        role=membership.role,
        member_state=membership.member_state,
        program=membership.program,
        organization=membership.organization,
    )


def membership_remove(*, actor: Any, membership: Membership) -> None:
    require(can_manage_users(actor), _("Only administrators manage users."))
    user = membership.user
    remaining = [
        MembershipSpec(m.role, m.member_state, m.program, m.organization)
        for m in Membership.objects.filter(user=user)
        .exclude(pk=membership.pk)
        .select_related("member_state", "program", "organization")
    ]
    if (
        user.pk == getattr(actor, "pk", None)
        and membership.role == Role.ADMINISTRATOR
        and Role.ADMINISTRATOR not in {spec.role for spec in remaining}
    ):
        raise ValidationError(_("You cannot remove your own administrator role."), code="self")
    with transaction.atomic():
        _write_memberships(actor=actor, user=user, specs=remaining)


def user_set_active(*, actor: Any, user: Any, active: bool) -> Any:
    """Deactivate (or reactivate) a user; a deactivated user's API tokens stop working."""
    require(can_manage_users(actor), _("Only administrators manage users."))
    if user.pk == getattr(actor, "pk", None) and not active:
        raise ValidationError(_("You cannot deactivate yourself."), code="self")
    with transaction.atomic():
        user.is_active = active
        audit.save(user, actor=actor, update_fields=["is_active"])
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
    require(actor_user(actor) is not None, _("Sign in to create API tokens."))
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
        audit.save(token, actor=actor)
    return IssuedToken(token=token, secret=secret)


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    require(
        token.user_id == getattr(actor, "pk", None) or can_manage_users(actor),
        _("You may revoke only your own tokens."),
    )
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            audit.save(token, actor=actor, update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> Any | None:
    """The active user owning the usable token ``raw``, or None."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 10:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
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
    """Put the values of the historical ``record`` back on its object, recreating it when it
    was deleted — whole: its many-to-many links as they were in that version, and the
    dependent records deleted with it (an event's targets, participation, participants and
    attachments, whose files are kept while history refers to them). Every write names
    ``actor`` and says which version was restored."""
    require(can_restore_history(actor), _("You may not restore history."))
    model = record.instance_type
    require(
        model._meta.app_label not in RESTORE_FORBIDDEN_APPS,
        _("Security records cannot be restored."),
    )
    reason = f"restored version {record.history_id}"
    with transaction.atomic():
        pk_value = getattr(record, model._meta.pk.attname)
        obj = model._default_manager.filter(pk=pk_value).first()
        was_deleted = obj is None
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
        audit.save(obj, actor=actor, reason=reason)
        if was_deleted:
            _restore_deleted_with(obj, actor=actor, reason=reason)
        _restore_m2m(obj, record, actor=actor)
    return obj


def _m2m_source(record: Any) -> Any:
    """The version whose links to restore: a deletion record keeps none (the links are gone
    before it is written), so take the version before it."""
    if record.history_type != "-":
        return record
    pk_name = record.instance_type._meta.pk.attname
    return (
        type(record)
        .objects.filter(
            **{pk_name: getattr(record, pk_name)},
            history_id__lt=record.history_id,
        )
        .exclude(history_type="-")
        .order_by("-history_id")
        .first()
    )


def _restore_m2m(obj: models.Model, record: Any, *, actor: Any) -> None:
    fields = getattr(type(record), "_history_m2m_fields", None) or []
    if not fields:
        return
    source = _m2m_source(record)
    if source is None:
        return
    for field in fields:
        reverse_name = simple_history_utils.get_m2m_reverse_field_name(field)
        wanted = set(getattr(source, field.name).values_list(f"{reverse_name}_id", flat=True))
        current = set(getattr(obj, field.name).values_list("pk", flat=True))
        if wanted != current:
            audit.set_related(obj, field.name, wanted, actor=actor)


def _restore_deleted_with(obj: models.Model, *, actor: Any, reason: str) -> None:
    """Recreate the records a service deleted together with ``obj`` (their deletion records
    carry the reason :func:`cicte.core.audit.deleted_with` gives)."""
    marker = audit.deleted_with(obj)
    for relation in obj._meta.related_objects:
        related: Any = relation.related_model
        if not relation.one_to_many or not hasattr(related, "history"):
            continue
        historical = related.history.model
        deletions = historical.objects.filter(
            **{relation.field.attname: obj.pk},
            history_type="-",
            history_change_reason=marker,
        ).order_by("history_id")
        live = set(
            related._default_manager.filter(**{relation.field.attname: obj.pk}).values_list(
                "pk", flat=True
            )
        )
        for deletion in deletions:
            if deletion.id in live:
                continue
            child = deletion.instance
            audit.save(child, actor=actor, reason=reason)
            live.add(child.pk)
