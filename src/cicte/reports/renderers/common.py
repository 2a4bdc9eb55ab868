"""Formatting shared by the renderers (numbers and percentages in the report language)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from cicte.reports.types import Cell, Column, Status


def number(value: int | float | Decimal | None, language: str) -> str:
    if value is None:
        return "—"
    return format_decimal(value, locale=language)


def percent(value: float | None, language: str) -> str:
    if value is None:
        return "—"
    text = format_decimal(round(value), locale=language)
    # Spanish and French put a space before the sign (CLDR: "50 %"); English and Portuguese not.
    return f"{text} %" if language in ("es", "fr") else f"{text}%"


def cell_text(value: Cell, column: Column, language: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Status):
        return value.label
    if isinstance(value, dt.date):
        return format_date(value, "medium", locale=language)
    if column.percent and isinstance(value, int | float | Decimal):
        return percent(float(value), language)
    if isinstance(value, int | float | Decimal):
        return number(value, language)
    return str(value)
