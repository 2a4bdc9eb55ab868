"""Who may submit, decide and unlock a period approval.

- submit: whoever edits the program (its program managers; Secretariat staff);
- approve or return: the Secretariat (administrators and Secretariat staff), never a
  program manager alone — the figures go to the 35 member states;
- unlock: administrators only, with a reason (audited);
- read: Secretariat staff (the workspace).
"""

from __future__ import annotations

from typing import Any

from cicte.access import permissions as roles


def can_view_approvals(user: Any) -> bool:
    return roles.is_secretariat(user)


def can_submit(user: Any, program: Any) -> bool:
    return program is not None and roles.can_edit_program(user, program)


def can_decide(user: Any) -> bool:
    return roles.can_edit_everything(user)


def can_unlock(user: Any) -> bool:
    return roles.is_administrator(user)
