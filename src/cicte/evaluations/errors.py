"""Typed errors of the evaluations app."""

from __future__ import annotations

import enum


class EvaluationErrorCode(enum.StrEnum):
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    QUESTIONNAIRE_CLOSED = "questionnaire_closed"
    ALREADY_ANSWERED = "already_answered"
    BAD_CODE = "bad_code"


class EvaluationError(Exception):
    def __init__(self, code: EvaluationErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
