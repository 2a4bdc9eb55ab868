"""Pure helpers for amounts and currencies (no Django models)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pycountry

CENT = Decimal("0.01")


class MoneyError(ValueError):
    pass


def parse_amount(value: object) -> Decimal:
    """A decimal amount; raises MoneyError for text that is not a number (or NaN/Infinity)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(f"{value!r} is not an amount.") from None
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not an amount.")
    return amount


def normalize_currency(code: str) -> str:
    """The ISO 4217 alphabetic code, upper-cased; raises MoneyError when unknown."""
    text = (code or "").strip().upper()
    if len(text) != 3 or pycountry.currencies.get(alpha_3=text) is None:
        raise MoneyError(f"Unknown currency {code!r}: use an ISO 4217 code such as USD or EUR.")
    return text


def to_usd(amount: Decimal, rate_to_usd: Decimal) -> Decimal:
    return (amount * rate_to_usd).quantize(CENT, rounding=ROUND_HALF_UP)
