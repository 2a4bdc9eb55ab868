"""Types shared by every app. ``core`` is the ground floor: it imports no other app.

``Actor`` is who performs a write or a read: a signed-in user, the anonymous user, or
:data:`SYSTEM` — the operator at the command line (``cicte import-plan``, ``cicte demo``), who
already holds the database and is trusted like an administrator. Every service takes
``actor=`` and checks it; the audit trail records the user (none for ``SYSTEM``).
"""

from __future__ import annotations

from typing import Any, Final


class SystemActor:
    """The command line / scheduled work: trusted, recorded in the audit trail as no user."""

    is_authenticated: Final = True
    is_active: Final = True
    is_superuser: Final = False
    is_staff: Final = False
    is_anonymous: Final = False
    pk: Final = None
    id: Final = None
    username: Final = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"

    def __bool__(self) -> bool:
        return True


#: The one system actor.
SYSTEM: Final = SystemActor()

#: A signed-in user, the anonymous user, ``SYSTEM``, or None (treated as anonymous).
Actor = Any


def is_system(actor: object) -> bool:
    return actor is SYSTEM


def actor_user(actor: object) -> Any | None:
    """The user model instance behind ``actor`` (None for SYSTEM, anonymous or None)."""
    if actor is None or actor is SYSTEM:
        return None
    if not getattr(actor, "is_authenticated", False):
        return None
    return actor
