"""Who may see and do what in the roster. One place for every decision; services call the
predicates (``permissions.can_x(...)``, a module attribute tests can patch) and every
queryset's ``visible_to(actor)`` uses the filters here.

- **Vetted roster managers** (Secretariat staff with a :class:`RosterManager` record) read
  experts' sensitive fields (phone, passport, emergency contact, insurance, medical notes,
  appraisals). Nobody else does — not administrators, not other staff — except the expert.
- **Secretariat staff** read the roster without the sensitive fields, run missions.
- **An expert** reads and edits their own record, answers their own alerts.
- **A point of contact** sees the experts their state nominated (never their sensitive
  fields), decides their release, and follows their own state's requests and missions; the
  proposed team of their own state's mission shows names and roles only.
- **Everyone else** (also the anonymous API) sees aggregates only.

Models are named by string: ``roster.models`` builds its querysets on this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cicte.access import permissions as roles
from cicte.core.types import SYSTEM, actor_user

_CACHE = "_cicte_roster"


def _user(actor: Any) -> Any | None:
    user = actor_user(actor)
    return user if user is not None and user.is_active else None


def is_roster_manager(actor: Any) -> bool:
    """A vetted roster manager (Secretariat staff with a roster-manager record)."""
    user = _user(actor)
    if user is None or not roles.is_secretariat(user):
        return False
    cached = getattr(user, _CACHE, None)
    if cached is None:
        from django.apps import apps

        cached = apps.get_model("roster", "RosterManager").objects.filter(user_id=user.pk).exists()
        setattr(user, _CACHE, cached)
    return bool(cached)


def forget(user: Any) -> None:
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def is_staff(actor: Any) -> bool:
    return actor is SYSTEM or roles.is_secretariat(actor)


def can_manage_roster(actor: Any) -> bool:
    """Vet experts, record training, open missions, alert, select: Secretariat staff."""
    return is_staff(actor)


def can_grant_managers(actor: Any) -> bool:
    return actor is SYSTEM or roles.is_administrator(actor)


def is_own(actor: Any, expert: Any) -> bool:
    user = _user(actor)
    return user is not None and expert.user_id is not None and expert.user_id == user.pk


def can_see_sensitive(actor: Any, expert: Any) -> bool:
    """Sensitive fields of ``expert``: vetted roster managers and the expert themself."""
    return is_roster_manager(actor) or is_own(actor, expert)


def can_nominate(actor: Any, member_state: Any) -> bool:
    if is_staff(actor):
        return True
    return member_state is not None and member_state.pk in roles.user_member_state_ids(actor)


def can_edit_profile(actor: Any, expert: Any) -> bool:
    return is_own(actor, expert)


def can_decide_release(actor: Any, expert: Any) -> bool:
    """The nominating state's point of contact; for experts nominated by a partner
    organisation, the Secretariat records the employer's decision."""
    if expert.nominating_state_id is not None:
        return expert.nominating_state_id in roles.user_member_state_ids(actor)
    return is_staff(actor)


def can_accept_team(actor: Any, mission: Any) -> bool:
    return mission.request.member_state_id in roles.user_member_state_ids(actor)


def can_request_support(actor: Any, member_state: Any) -> bool:
    return can_nominate(actor, member_state)


def expert_filter(actor: Any) -> Q | None:
    if is_staff(actor):
        return Q()
    user = _user(actor)
    if user is None:
        return None
    return Q(user_id=user.pk) | Q(nominating_state_id__in=roles.user_member_state_ids(user))


def mission_filter(actor: Any) -> Q | None:
    """Staff: every mission; a point of contact: their own state's missions; an expert:
    missions they were alerted for (the views show them a summary only)."""
    if is_staff(actor):
        return Q()
    user = _user(actor)
    if user is None:
        return None
    return Q(request__member_state_id__in=roles.user_member_state_ids(user)) | Q(
        responses__expert__user_id=user.pk
    )


def response_filter(actor: Any) -> Q | None:
    """Staff; the expert alerted; the nominating state's point of contact (for release)."""
    if is_staff(actor):
        return Q()
    user = _user(actor)
    if user is None:
        return None
    return Q(expert__user_id=user.pk) | Q(
        expert__nominating_state_id__in=roles.user_member_state_ids(user)
    )


def assignment_filter(actor: Any) -> Q | None:
    if is_staff(actor):
        return Q()
    user = _user(actor)
    if user is None:
        return None
    return Q(expert__user_id=user.pk)
