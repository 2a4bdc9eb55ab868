"""Typed errors of the funding app."""

from __future__ import annotations

import enum


class FundingErrorCode(enum.StrEnum):
    FORBIDDEN = "forbidden"
    NEGATIVE_AMOUNT = "negative_amount"
    UNKNOWN_CURRENCY = "unknown_currency"
    BAD_RATE = "bad_rate"
    INVALID = "invalid"


class FundingError(Exception):
    def __init__(self, code: FundingErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
