"""Typed errors of the assistance workflow (one code per kind of refusal)."""

from __future__ import annotations

import enum


class AssistanceErrorCode(enum.StrEnum):
    WRONG_COUNTRY = "wrong_country"
    INVALID_TRANSITION = "invalid_transition"
    FORBIDDEN = "forbidden"
    LINK_REQUIRED = "link_required"
    REASON_REQUIRED = "reason_required"
    EVENTS_REQUIRED = "events_required"
    EVENTS_NOT_HELD = "events_not_held"
    INVALID = "invalid"


class AssistanceError(Exception):
    """A refused request operation; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: AssistanceErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
