"""Object permissions registered with django-rules (autodiscovered at start-up).

``user.has_perm("cicte.edit_event", event)`` and ``{% has_perm "cicte.edit_event" user event
as can_edit %}`` ask the same functions as :mod:`cicte.accounts.permissions`.
"""

from __future__ import annotations

import rules

from cicte.accounts import permissions as p

PERMISSIONS = {
    "cicte.use_workspace": p.is_secretariat_rule,
    "cicte.manage_users": p.is_administrator_rule,
    "cicte.view_activity_log": p.is_administrator_rule,
    "cicte.restore_history": p.can_edit_everything_rule,
    "cicte.edit_program": p.can_edit_program_rule,
    "cicte.edit_event": p.can_edit_event_rule,
    "cicte.see_personal_data": p.can_see_personal_data_rule,
    "cicte.view_member_state": p.can_view_member_state_rule,
    "cicte.view_own_country": p.is_point_of_contact_rule,
}
# Deliberately not registered under Django's model permission names (delivery.change_event…):
# that would open the Django admin, which bypasses the services, to program managers.

for _name, _predicate in PERMISSIONS.items():
    if not rules.perm_exists(_name):
        rules.add_perm(_name, _predicate)
