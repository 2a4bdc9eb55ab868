"""What the database can store, checked before any write (SQLite and PostgreSQL alike).

Pure: no Django imports, so parsers (``delivery/parsing/spreadsheet.py``,
``plan/parsing/canonical.py``), forms and API schemas share the same numbers.

SQLite stores any 64-bit integer, PostgreSQL's ``integer`` only 32 bits: a value that passes
on one and fails on the other (``OverflowError`` / ``integer out of range``) is refused here,
with a message naming the field, before anything is written.
"""

from __future__ import annotations

import re
from decimal import Decimal

#: ``PositiveIntegerField`` / ``IntegerField`` (PostgreSQL ``integer``).
INT_MAX = 2_147_483_647
#: ``PositiveSmallIntegerField`` / ``SmallIntegerField`` (PostgreSQL ``smallint``).
SMALLINT_MAX = 32_767
#: How deeply a user's JSON or YAML document may nest (a Work Plan needs about 10 levels).
MAX_NESTING = 64


def integer_problem(
    value: int, *, field: str, minimum: int = 0, maximum: int = INT_MAX
) -> str | None:
    """``None`` when ``minimum <= value <= maximum``; else one line naming ``field``."""
    if value < minimum:
        return f"{field} must be {minimum} or more, not {value}"
    if value > maximum:
        return f"{field} must be at most {maximum}, not {_short(value)}"
    return None


def decimal_problem(
    value: Decimal, *, field: str, max_digits: int, decimal_places: int, minimum: Decimal | None
) -> str | None:
    """``None`` when ``value`` fits a ``DecimalField(max_digits, decimal_places)`` (after
    rounding to its places) and is not below ``minimum``; else one line naming ``field``."""
    if not value.is_finite():
        return f"{field} must be a number, not {value}"
    if minimum is not None and value < minimum:
        return f"{field} must be {minimum} or more, not {value}"
    limit = Decimal(10) ** (max_digits - decimal_places)
    if abs(value.quantize(Decimal(1).scaleb(-decimal_places))) >= limit:
        return f"{field} must be less than 10^{max_digits - decimal_places}, not {_short(value)}"
    return None


def decimal_max(*, max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a ``DecimalField(max_digits, decimal_places)`` stores."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)} digits)"


def nesting_depth_exceeded(text: str, *, limit: int = MAX_NESTING) -> int | None:
    """The 1-based line where brackets/braces in JSON-like ``text`` nest deeper than
    ``limit`` (strings are skipped), or ``None``. Linear, no recursion: run it before a
    recursive parser so that a hostile document gets an error instead of a RecursionError."""
    depth = 0
    in_string = False
    for match in _JSON_TOKENS.finditer(text):
        piece = match.group()
        if in_string:
            in_string = piece != '"'  # escapes (backslash + char) are tokens of their own
        elif piece == '"':
            in_string = True
        elif piece in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif piece in "]}":
            depth -= 1
    return None


_JSON_TOKENS = re.compile(r'\\.|[\[\]{}"]', re.DOTALL)
