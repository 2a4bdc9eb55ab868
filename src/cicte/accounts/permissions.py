"""Who may do what. Views, API endpoints and services ask these functions, never ``is_staff``
directly, so the role model lives in one place (see docs/security.md).

Roles (``cicte.accounts.models.Role``):

- administrator — everything, including user management and restoring history;
- secretariat — edit everything; sees personal data;
- program_manager — edits the events, targets and narratives of their programs; reads the rest
  of the workspace;
- point_of_contact — reads everything about their own member state (including that country's
  participants); nothing of other countries beyond public data; no workspace;
- donor — reads progress and spending of the work its organization funds; no workspace;
- no role / anonymous — public data only.

Superusers count as administrators. A user flagged ``is_staff`` without a profile counts as
secretariat staff (compatibility with accounts created before roles existed).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from cicte.accounts.models import STAFF_ROLES, Role

if TYPE_CHECKING:
    from cicte.accounts.models import UserProfile
    from cicte.delivery.models import Event
    from cicte.directory.models import MemberState, Organization
    from cicte.plan.models import Program

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def user_profile(user: Any) -> UserProfile | None:
    """The user's profile, or None (cached on the user instance by Django)."""
    if not _active(user):
        return None
    try:
        return user.profile
    except (ObjectDoesNotExist, AttributeError):
        return None


def user_role(user: Any) -> Role | None:
    """The effective role of ``user`` (None for anonymous, inactive and role-less users)."""
    if not _active(user):
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    profile = user_profile(user)
    if profile is not None:
        return Role(profile.role)
    if user.is_staff:
        return Role.SECRETARIAT
    return None


def is_administrator(user: Any) -> bool:
    return user_role(user) == Role.ADMINISTRATOR


def is_secretariat(user: Any) -> bool:
    """Secretariat staff (administrators, secretariat, program managers): may use the staff
    workspace."""
    return user_role(user) in STAFF_ROLES


def can_edit_everything(user: Any) -> bool:
    """Administrators and Secretariat staff edit every record (program managers do not)."""
    return user_role(user) in {Role.ADMINISTRATOR, Role.SECRETARIAT}


def user_member_state(user: Any) -> MemberState | None:
    """The member state of a point of contact; None for every other role."""
    profile = user_profile(user)
    if profile is None or user_role(user) != Role.POINT_OF_CONTACT:
        return None
    return profile.member_state


def user_donor_organization(user: Any) -> Organization | None:
    profile = user_profile(user)
    if profile is None or user_role(user) != Role.DONOR:
        return None
    return profile.organization


def user_program_ids(user: Any) -> set[int]:
    """Programs a program manager manages (empty for other roles)."""
    profile = user_profile(user)
    if profile is None or user_role(user) != Role.PROGRAM_MANAGER:
        return set()
    cached: set[int] | None = getattr(user, "_cicte_program_ids", None)
    if cached is None:
        cached = set(profile.programs.values_list("pk", flat=True))
        user._cicte_program_ids = cached
    return cached


def can_edit_program(user: Any, program: Program | None) -> bool:
    """Edit a program's targets and narratives."""
    if can_edit_everything(user):
        return True
    if program is None or user_role(user) != Role.PROGRAM_MANAGER:
        return False
    return program.pk in user_program_ids(user)


def can_edit_event(user: Any, event: Event | None) -> bool:
    """Edit an event: everything for staff; program managers when the event counts toward a
    target of one of their programs (or they recorded it)."""
    if can_edit_everything(user):
        return True
    if user_role(user) != Role.PROGRAM_MANAGER:
        return False
    if event is None:  # creating a new event: allowed, the target chosen is checked then
        return bool(user_program_ids(user))
    if event.created_by_id == user.pk:
        return True
    from cicte.delivery.models import EventTarget

    return EventTarget.objects.filter(
        event=event, target__project__program_id__in=user_program_ids(user)
    ).exists()


def can_view_member_state(user: Any, code: str) -> bool:
    """See a member state's non-public detail (its events, participants, requests)."""
    if is_secretariat(user):
        return True
    state = user_member_state(user)
    return state is not None and state.code == (code or "").upper()


def event_visibility_filter(user: Any) -> Q | None:
    """A filter on ``delivery.Event`` for the events ``user`` may read, or None for none.

    Staff read every event; a point of contact reads the events where their state is host or
    beneficiary; a donor reads the events its organization funds.
    """
    role = user_role(user)
    if role in STAFF_ROLES:
        return Q()
    if role == Role.POINT_OF_CONTACT:
        state = user_member_state(user)
        if state is None:
            return None
        return Q(host_state=state) | Q(beneficiaries=state)
    if role == Role.DONOR:
        org = user_donor_organization(user)
        if org is None:
            return None
        return Q(funding_source=org)
    return None


def can_view_event(user: Any, event: Event) -> bool:
    condition = event_visibility_filter(user)
    if condition is None:
        return False
    if condition == Q():
        return True
    from cicte.delivery.models import Event as EventModel

    return EventModel.objects.filter(condition, pk=event.pk).exists()


def can_see_personal_data(user: Any, event: Event | None = None) -> bool:
    """Participant names and e-mails. Staff: always. A point of contact: for events of their
    own country only, and then only their country's participants (use
    :func:`participant_visibility_filter`). Everybody else: never."""
    if is_secretariat(user):
        return True
    state = user_member_state(user)
    if state is None or event is None:
        return False
    if event.host_state_id == state.pk:
        return True
    return event.beneficiaries.filter(pk=state.pk).exists()


def participant_visibility_filter(user: Any) -> Q | None:
    """A filter on ``delivery.Participant`` for the personal data ``user`` may read."""
    if is_secretariat(user):
        return Q()
    state = user_member_state(user)
    if state is None:
        return None
    return Q(member_state=state)


def can_manage_users(user: Any) -> bool:
    return is_administrator(user)


def can_restore_history(user: Any) -> bool:
    return can_edit_everything(user)


def can_view_activity_log(user: Any) -> bool:
    return is_administrator(user)


def workspace_required(view: ViewFunc) -> ViewFunc:
    """Login required; 403 for signed-in users who are not Secretariat staff."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def administrator_required(view: ViewFunc) -> ViewFunc:
    """Login required; 403 for signed-in users who are not administrators."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


# django-rules predicates, for templates ({% has_perm %}) and user.has_perm(...).
is_administrator_rule = rules.predicate(is_administrator, name="is_administrator")
is_secretariat_rule = rules.predicate(is_secretariat, name="is_secretariat")
can_edit_everything_rule = rules.predicate(can_edit_everything, name="can_edit_everything")
is_point_of_contact_rule = rules.predicate(
    lambda user: user_member_state(user) is not None, name="is_point_of_contact"
)


@rules.predicate
def can_edit_program_rule(user: Any, program: Program | None) -> bool:
    return can_edit_program(user, program)


@rules.predicate
def can_edit_event_rule(user: Any, event: Event | None) -> bool:
    return can_edit_event(user, event)


@rules.predicate
def can_see_personal_data_rule(user: Any, event: Event | None) -> bool:
    return can_see_personal_data(user, event)


@rules.predicate
def can_view_member_state_rule(user: Any, code: str | None) -> bool:
    return can_view_member_state(user, code or "")
