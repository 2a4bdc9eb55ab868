"""Object permissions registered with django-rules (autodiscovered at start-up).

``user.has_perm("cicte.manage_users")`` and ``{% has_perm "cicte.edit_program" user program
as can_edit %}`` ask the same functions as :mod:`cicte.access.permissions`; each app
registers the permissions on its own objects in its ``permissions.py`` (``cicte.edit_event``
in :mod:`cicte.delivery.permissions`).
"""

from __future__ import annotations

import rules

from cicte.access import permissions as p

PERMISSIONS = {
    "cicte.use_workspace": p.is_secretariat_rule,
    "cicte.manage_users": p.is_administrator_rule,
    "cicte.view_activity_log": p.is_administrator_rule,
    "cicte.restore_history": p.can_edit_everything_rule,
    "cicte.edit_program": p.can_edit_program_rule,
    "cicte.view_member_state": p.can_view_member_state_rule,
    "cicte.view_own_country": p.is_point_of_contact_rule,
}
# Deliberately not registered under Django's model permission names (delivery.change_event…):
# that would open the Django admin, which bypasses the services, to program managers.

for _name, _predicate in PERMISSIONS.items():
    if not rules.perm_exists(_name):
        rules.add_perm(_name, _predicate)
