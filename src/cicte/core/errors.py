"""One error vocabulary for every app.

Services raise :class:`ApplicationError` (or a subclass) with a stable machine-readable
``code`` and a ``message`` for people; optionally the ``field`` it concerns and ``details``
(a list of plain values, e.g. one entry per problem). The API turns it into
``{"error": {"code", "message", "details"}}`` with the subclass's HTTP status
(``api/base.py``, one handler); web views turn it into form errors or a message
(:func:`cicte.core.forms_actions.apply_error`); commands print ``message`` on one line.

Each app keeps its own codes as a ``StrEnum`` beside its services (``EventErrorCode``,
``AssistanceErrorCode``…); the base classes below only fix the HTTP meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied


class ApplicationError(Exception):
    """A refused operation: nothing was written. ``status`` is the HTTP status the API uses."""

    status: int = 422
    default_code: str = "invalid"

    def __init__(
        self,
        code: str | None = None,
        message: str = "",
        *,
        field: str | None = None,
        details: Sequence[Any] = (),
    ) -> None:
        self.code = str(code or self.default_code)
        self.message = str(message or self.code)
        self.field = field
        self.details = list(details)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotAllowed(ApplicationError, PermissionDenied):
    """The actor may not do this (HTTP 403; Django shows its 403 page when a view lets it
    through, because this is also a ``PermissionDenied``)."""

    status = 403
    default_code = "permission_denied"

    def __init__(
        self,
        message: str = "You may not do this.",
        *,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(code, message, field=field)


class NotFound(ApplicationError):
    status = 404
    default_code = "not_found"


class Conflict(ApplicationError):
    """The object changed since the caller read it (a stale edit), or a state clash."""

    status = 409
    default_code = "conflict"


def require(allowed: bool, message: str = "You may not do this.", *, code: str = "") -> None:
    """Raise :class:`NotAllowed` unless ``allowed`` (the one-line check at the top of a
    service)."""
    if not allowed:
        raise NotAllowed(message, code=code or None)
