"""Who may read and change events and see participants' personal data.

Built on the role lookups of :mod:`cicte.access.permissions` (memberships: a user may do the
union of what each of their memberships allows). Services check these before every write
(:mod:`cicte.delivery.services`); ``Event.objects.visible_to(actor)`` and
``Participant.objects.visible_to(actor)`` apply them to every read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.db.models import Q

from cicte.access import permissions as roles

# Events are typed ``Any``: delivery.models builds its ``visible_to`` querysets on this module,
# so this module must not import the models back (tests/test_layers.py forbids the cycle).
Event = Any


def event_visibility_filter(user: Any) -> Q | None:
    """A filter on ``delivery.Event`` for the events ``user`` may read, or None for none.

    Staff read every event; a point of contact reads the events where one of their states is
    host or beneficiary; a donor reads the events its organizations fund — the union of these
    for a user with several memberships.
    """
    if roles.is_secretariat(user):
        return Q()
    condition: Q | None = None
    state_ids = roles.user_member_state_ids(user)
    if state_ids:
        condition = Q(host_state_id__in=state_ids) | Q(beneficiaries__in=state_ids)
    organization_ids = [o.pk for o in roles.user_donor_organizations(user)]
    if organization_ids:
        funded = Q(funding_source_id__in=organization_ids)
        condition = funded if condition is None else condition | funded
    return condition


def can_view_event(user: Any, event: Event) -> bool:
    condition = event_visibility_filter(user)
    if condition is None:
        return False
    if condition == Q():
        return True
    return type(event).objects.filter(condition, pk=event.pk).exists()


def can_record_events(user: Any) -> bool:
    """May record new events at all (the targets chosen are checked by
    :func:`can_count_toward`)."""
    return roles.can_edit_everything(user) or bool(roles.user_program_ids(user))


def can_import_events(user: Any) -> bool:
    """Spreadsheet imports may touch every program: Secretariat staff only."""
    return roles.can_edit_everything(user)


def can_count_toward(user: Any, targets: Iterable[Any]) -> bool:
    """May make an event count toward every one of ``targets`` (program managers: only
    targets of their programs)."""
    if roles.can_edit_everything(user):
        return True
    allowed = roles.user_program_ids(user)
    targets = list(targets)
    return bool(allowed) and all(t.project.program_id in allowed for t in targets)


def can_edit_event(user: Any, event: Event | None) -> bool:
    """Edit an event: everything for Secretariat staff; program managers when the event counts
    toward a target of one of their programs (or they recorded it)."""
    if roles.can_edit_everything(user):
        return True
    allowed = roles.user_program_ids(user)
    if not allowed:
        return False
    if event is None:  # creating a new event: allowed, the targets chosen are checked then
        return True
    if event.created_by_id is not None and event.created_by_id == getattr(user, "pk", None):
        return True
    return event.contributions.filter(target__project__program_id__in=allowed).exists()


def can_see_personal_data(user: Any, event: Event | None = None) -> bool:
    """Participant names and e-mails. Staff: always. A point of contact: for events of one of
    their countries only, and then only their countries' participants (use
    :func:`participant_visibility_filter`). Everybody else: never."""
    if roles.is_secretariat(user):
        return True
    state_ids = roles.user_member_state_ids(user)
    if not state_ids or event is None:
        return False
    if event.host_state_id in state_ids:
        return True
    return event.beneficiaries.filter(pk__in=state_ids).exists()


def participant_visibility_filter(user: Any) -> Q | None:
    """A filter on ``delivery.Participant`` for the personal data ``user`` may read."""
    if roles.is_secretariat(user):
        return Q()
    state_ids = roles.user_member_state_ids(user)
    if not state_ids:
        return None
    return Q(member_state_id__in=state_ids)


@rules.predicate
def can_edit_event_rule(user: Any, event: Event | None) -> bool:
    return can_edit_event(user, event)


@rules.predicate
def can_see_personal_data_rule(user: Any, event: Event | None) -> bool:
    return can_see_personal_data(user, event)


PERMISSIONS = {
    "cicte.edit_event": can_edit_event_rule,
    "cicte.see_personal_data": can_see_personal_data_rule,
}
for _name, _predicate in PERMISSIONS.items():
    if not rules.perm_exists(_name):
        rules.add_perm(_name, _predicate)
