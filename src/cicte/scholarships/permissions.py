"""Who may do what with scholarships.

- manage a call (create, publish, close, select, award, complete): Secretariat staff, and
  the program managers of the program its target belongs to;
- nominate: a point of contact, for officials of their own member state only;
- read nominations (personal data): Secretariat staff; a point of contact, those of their
  own states;
- read a call: staff; points of contact once it is published; the public when it is
  marked public and open;
- completions by state, sex and course (no names): staff, and donors of the calls their
  organizations fund.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cicte.access import permissions as roles


def can_create_calls(user: Any) -> bool:
    return roles.can_edit_everything(user) or bool(roles.user_program_ids(user))


def can_manage_target(user: Any, target: Any) -> bool:
    return roles.can_edit_program(user, target.project.program)


def can_manage_call(user: Any, call: Any) -> bool:
    return roles.can_edit_everything(user) or (
        call is not None and call.target.project.program_id in roles.user_program_ids(user)
    )


def can_nominate(user: Any, member_state: Any) -> bool:
    return member_state is not None and roles.is_point_of_contact_for(user, member_state.code)


def call_visibility_filter(user: Any) -> Q | None:
    """A filter on ``ScholarshipCall`` for the calls ``user`` may read (None: none)."""
    if roles.is_secretariat(user):
        return Q()
    published = ~Q(status="draft")
    if roles.is_point_of_contact(user):
        return published
    return Q(status="open", public=True)


def nomination_visibility_filter(user: Any) -> Q | None:
    if roles.is_secretariat(user):
        return Q()
    state_ids = roles.user_member_state_ids(user)
    if state_ids:
        return Q(member_state_id__in=state_ids)
    return None


def can_withdraw(user: Any, nomination: Any) -> bool:
    return can_manage_call(user, nomination.call) or roles.is_point_of_contact_for(
        user, nomination.member_state.code
    )


def can_view_completions(user: Any) -> bool:
    return roles.is_secretariat(user) or roles.is_donor(user)


def donor_organization_ids(user: Any) -> set[int] | None:
    """The organizations whose calls a donor follows; None: every call (staff)."""
    if roles.is_secretariat(user):
        return None
    return {o.pk for o in roles.user_donor_organizations(user)}
