"""Who may change the Work Plan: importing (creating or updating) a plan is Secretariat work;
a program's targets and narratives belong to its managers too
(:func:`cicte.access.permissions.can_edit_program`)."""

from __future__ import annotations

from typing import Any

from cicte.access.permissions import can_edit_everything


def can_import_plan(user: Any) -> bool:
    return can_edit_everything(user)
