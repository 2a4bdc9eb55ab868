"""Who holds which role, in which scope — the ground of every permission decision.

A user's roles are :class:`~cicte.accounts.models.Membership` rows. A user may hold many; what
they may see and do is the **union** of what each membership allows. The questions about one
domain's objects live in that domain's app (``delivery/permissions.py``,
``reports/permissions.py``…), built on the lookups here; services ask them before every
write, and selectors' ``visible_to(actor)`` before every read (see docs/security.md).

Roles (``cicte.accounts.models.Role``):

- administrator — everything, including user management and restoring history;
- secretariat — edit everything; sees personal data; publishes the semi-annual report;
- program_manager (per program) — edits the events, targets and narratives of that program;
  reads the rest of the workspace;
- point_of_contact (per member state) — reads everything about that member state (including
  that country's participants) and requests assistance for it;
- donor (per organization) — reads progress and spending of the work the organization funds;
- no membership / anonymous — public data only.

Superusers count as administrators. A user flagged ``is_staff`` without memberships counts as
Secretariat staff (accounts created before roles existed). ``SYSTEM`` (the command line) is
trusted like an administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from cicte.access.models import STAFF_ROLES, Membership, Role
from cicte.core.types import SYSTEM

# Member states and organizations (cicte.directory) are typed ``Any`` here: access is the
# bottom of the permission layers and imports no domain app (tests/test_layers.py).
MemberState = Any
Organization = Any

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])

#: From the widest role to the narrowest: the "main" role shown in the UI and used to choose
#: a user's home page.
ROLE_ORDER = (
    Role.ADMINISTRATOR,
    Role.SECRETARIAT,
    Role.PROGRAM_MANAGER,
    Role.POINT_OF_CONTACT,
    Role.DONOR,
)
_CACHE = "_cicte_memberships"


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def user_memberships(user: Any) -> tuple[Membership, ...]:
    """The user's memberships with their scopes (one query, cached on the user instance)."""
    if user is SYSTEM or not _active(user):
        return ()
    cached: tuple[Membership, ...] | None = getattr(user, _CACHE, None)
    if cached is None:
        cached = tuple(
            Membership.objects.filter(user_id=user.pk).select_related(
                "member_state", "program", "organization"
            )
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_memberships(user: Any) -> None:
    """Drop the cached memberships (after a change)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def user_roles(user: Any) -> frozenset[Role]:
    """Every role ``user`` holds (empty for anonymous, inactive and role-less users)."""
    if user is SYSTEM:
        return frozenset({Role.ADMINISTRATOR})
    if not _active(user):
        return frozenset()
    roles = {Role(m.role) for m in user_memberships(user)}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    if not roles and user.is_staff:
        roles.add(Role.SECRETARIAT)
    return frozenset(roles)


def user_role(user: Any) -> Role | None:
    """The widest role ``user`` holds (for display and the home page), or None."""
    roles = user_roles(user)
    return next((role for role in ROLE_ORDER if role in roles), None)


def has_role(user: Any, role: Role) -> bool:
    return role in user_roles(user)


def is_administrator(user: Any) -> bool:
    return Role.ADMINISTRATOR in user_roles(user)


def is_secretariat(user: Any) -> bool:
    """Secretariat staff (administrators, secretariat, program managers): may use the staff
    workspace."""
    return bool(user_roles(user) & STAFF_ROLES)


def can_edit_everything(user: Any) -> bool:
    """Administrators and Secretariat staff edit every record (program managers do not)."""
    return bool(user_roles(user) & {Role.ADMINISTRATOR, Role.SECRETARIAT})


def user_member_states(user: Any) -> list[MemberState]:
    """The member states ``user`` is a point of contact of (in code order)."""
    states = {
        m.member_state.code: m.member_state
        for m in user_memberships(user)
        if m.role == Role.POINT_OF_CONTACT and m.member_state is not None
    }
    return [states[code] for code in sorted(states)]


def user_member_state_ids(user: Any) -> set[int]:
    return {state.pk for state in user_member_states(user)}


def user_member_state(user: Any) -> MemberState | None:
    """The member state of a point of contact when they speak for exactly one (the common
    case); None otherwise. Code that must handle several uses :func:`user_member_states`."""
    states = user_member_states(user)
    return states[0] if len(states) == 1 else None


def is_point_of_contact(user: Any) -> bool:
    return bool(user_member_states(user))


def is_point_of_contact_for(user: Any, code: str) -> bool:
    code = (code or "").upper()
    return any(state.code == code for state in user_member_states(user))


def user_donor_organizations(user: Any) -> list[Organization]:
    organizations = {
        m.organization.pk: m.organization
        for m in user_memberships(user)
        if m.role == Role.DONOR and m.organization is not None
    }
    return [organizations[pk] for pk in sorted(organizations)]


def user_donor_organization(user: Any) -> Organization | None:
    """The donor organization when the user follows exactly one; None otherwise."""
    organizations = user_donor_organizations(user)
    return organizations[0] if len(organizations) == 1 else None


def is_donor(user: Any) -> bool:
    return bool(user_donor_organizations(user))


def user_program_ids(user: Any) -> set[int]:
    """Programs ``user`` manages as a program manager."""
    return {
        m.program_id
        for m in user_memberships(user)
        if m.role == Role.PROGRAM_MANAGER and m.program_id is not None
    }


def can_edit_program(user: Any, program: Any) -> bool:
    """Edit a program's targets, narratives and funding needs. With ``program=None``: may the
    user edit every program (administrators and Secretariat staff)."""
    if can_edit_everything(user):
        return True
    if program is None:
        return False
    return program.pk in user_program_ids(user)


def can_view_member_state(user: Any, code: str) -> bool:
    """See a member state's non-public detail (its events, participants, requests)."""
    return is_secretariat(user) or is_point_of_contact_for(user, code)


def can_manage_users(user: Any) -> bool:
    return is_administrator(user)


def can_restore_history(user: Any) -> bool:
    return can_edit_everything(user)


def can_view_activity_log(user: Any) -> bool:
    return is_administrator(user)


def _role_required(check: Callable[[Any], bool]) -> Callable[[ViewFunc], ViewFunc]:
    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


#: Login required; 403 for signed-in users who are not Secretariat staff.
workspace_required = _role_required(is_secretariat)
#: Login required; 403 for signed-in users who are not administrators.
administrator_required = _role_required(is_administrator)
#: Login required; 403 unless the user is a point of contact of some member state.
point_of_contact_required = _role_required(is_point_of_contact)
#: Login required; 403 unless the user follows a donor organization.
donor_required = _role_required(is_donor)


# django-rules predicates, for templates ({% has_perm %}) and user.has_perm(...).
is_administrator_rule = rules.predicate(is_administrator, name="is_administrator")
is_secretariat_rule = rules.predicate(is_secretariat, name="is_secretariat")
can_edit_everything_rule = rules.predicate(can_edit_everything, name="can_edit_everything")
is_point_of_contact_rule = rules.predicate(is_point_of_contact, name="is_point_of_contact")


@rules.predicate
def can_edit_program_rule(user: Any, program: Any) -> bool:
    return can_edit_program(user, program)


@rules.predicate
def can_view_member_state_rule(user: Any, code: str | None) -> bool:
    return can_view_member_state(user, code or "")


def chosen_member_state(user: Any, code: str | None = None) -> MemberState | None:
    """The member state a point-of-contact page is about: ``code`` (``?state=JAM``) when the
    user speaks for it, else the first of their states; None when they speak for none."""
    states = user_member_states(user)
    wanted = (code or "").strip().upper()
    return next((s for s in states if s.code == wanted), states[0] if states else None)


def chosen_donor_organization(user: Any, pk: str | int | None = None) -> Organization | None:
    """The donor organization a donor page is about (``?organization=ID``, else the first)."""
    organizations = user_donor_organizations(user)
    wanted = str(pk or "")
    return next(
        (o for o in organizations if str(o.pk) == wanted),
        organizations[0] if organizations else None,
    )
