"""Who may change the directory: Secretariat staff (program managers included) quick-add
partners and donors while recording events."""

from __future__ import annotations

from typing import Any

from cicte.access.permissions import is_secretariat


def can_add_organization(user: Any) -> bool:
    return is_secretariat(user)
