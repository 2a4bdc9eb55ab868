"""Who may write narratives and publish the semi-annual report.

- A period narrative belongs to its program: Secretariat staff, or a program manager of that
  program (:func:`cicte.access.permissions.can_edit_program`).
- Publishing the report — which puts every program's narrative in front of the 35 member
  states and the public — is a decision of the Secretariat: administrators and Secretariat
  staff only, never a program manager (docs/security.md).
"""

from __future__ import annotations

from typing import Any

from cicte.access.permissions import can_edit_everything, can_edit_program, is_secretariat


def can_write_narrative(user: Any, program: Any) -> bool:
    return program is not None and can_edit_program(user, program)


def can_publish_report(user: Any) -> bool:
    return can_edit_everything(user)


def can_read_draft_report(user: Any) -> bool:
    """Drafts (and their stored renders) are for Secretariat staff; the public and the
    member states read published reports."""
    return is_secretariat(user)
