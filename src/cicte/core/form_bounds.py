"""Form fields bounded to what the database stores (see ``cicte.core.bounds``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.core.bounds import INT_MAX, decimal_max


def bounded_integer(**kwargs: Any) -> forms.IntegerField:
    """An ``IntegerField`` that refuses values above a PostgreSQL ``integer`` (2147483647)."""
    kwargs.setdefault("max_value", INT_MAX)
    return forms.IntegerField(**kwargs)


def check_decimal_text(value: str, *, max_digits: int, decimal_places: int) -> str:
    """Form ``clean_<field>`` helper for amounts typed as text: refuses a number that a
    ``DecimalField(max_digits, decimal_places)`` cannot store (text that is not a number is
    left for the service to explain)."""
    text = (value or "").strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return value
    limit = decimal_max(max_digits=max_digits, decimal_places=decimal_places)
    if number.is_finite() and abs(number) > limit:
        raise forms.ValidationError(
            _("Enter a number no larger than %(limit)s."),
            code="max_value",
            params={"limit": f"{limit:,}"},
        )
    return value
