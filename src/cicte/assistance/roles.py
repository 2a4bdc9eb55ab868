"""Thin bridge to :mod:`cicte.accounts.permissions` shared by the assistance, evaluations and
funding apps. Every role question goes through the permission functions; nothing here reads
``is_staff``."""

from __future__ import annotations

from typing import Any

from cicte.accounts import permissions
from cicte.directory.models import MemberState


def is_secretariat(user: Any) -> bool:
    return permissions.is_secretariat(user)


def user_member_state(user: Any) -> MemberState | None:
    """The member state a point of contact speaks for (None for everyone else)."""
    if not (user and getattr(user, "is_authenticated", False)):
        return None
    func = getattr(permissions, "user_member_state", None)
    return func(user) if func is not None else None


def can_edit_program(user: Any, program: Any) -> bool:
    func = getattr(permissions, "can_edit_program", None)
    if func is not None:
        return bool(func(user, program))
    return is_secretariat(user)


def user_donor_organization(user: Any) -> Any:
    func = getattr(permissions, "user_donor_organization", None)
    return func(user) if func is not None else None


def user_program_ids(user: Any) -> set[int]:
    func = getattr(permissions, "user_program_ids", None)
    return set(func(user)) if func is not None else set()
