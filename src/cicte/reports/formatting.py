"""Formatters of the semi-annual report: labels, dates, places and document symbols.

Pure functions of plain values (no queries); the section builders and the report header
(:mod:`cicte.reports.build`) use them. Text is translated by the caller
(``translation.override``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from babel.dates import format_date, format_interval
from django.utils.translation import gettext_lazy

from cicte.core.periods import Period
from cicte.directory.countries import country_name
from cicte.reports.types import EventLine, Status

if TYPE_CHECKING:
    from cicte.plan.models import WorkPlan

STATUS_LABELS = {
    "achieved": gettext_lazy("Achieved"),
    "on_track": gettext_lazy("On track"),
    "behind": gettext_lazy("Behind"),
    "not_started": gettext_lazy("Not started"),
    "unfunded": gettext_lazy("Unfunded"),
    "qualitative": gettext_lazy("Qualitative"),
}


def status_cell(key: str) -> Status:
    return Status(key=key, label=str(STATUS_LABELS.get(key, key)))


def percent_of(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def document_symbol(*, plan: WorkPlan, period: Period) -> str:
    """``<organ>/INF. <n>/<yy>``: the organ is the plan symbol's first part (``CICTE``),
    ``n`` the half-year (1 or 2; the period label for other periods), ``yy`` the plan year.
    The 2012-H1 report on ``CICTE/doc.5/12 rev. 1`` is ``CICTE/INF. 1/12``."""
    organ = plan.symbol.split("/", 1)[0].strip() or "CICTE"
    match = re.match(r"^\d{4}-H([12])$", period.label)
    number = match[1] if match else period.label
    return f"{organ}/INF. {number}/{plan.year % 100:02d}"


def period_label(period: Period, language: str) -> str:
    """ "January–June 2012" / "enero–junio de 2012" / "janvier–juin 2012" / "janeiro–junho de
    2012"; a range for other periods."""
    if period.start.year == period.end.year and period.start.day == 1:
        first = format_date(period.start, "LLLL", locale=language)
        last = format_date(period.end, "LLLL", locale=language)
        if first == last:
            return format_date(period.start, "LLLL y", locale=language)
        year = format_date(period.end, "y", locale=language)
        joiner = " de " if language in ("es", "pt") else " "
        return f"{first}–{last}{joiner}{year}"
    start = format_date(period.start, "long", locale=language)
    end = format_date(period.end, "long", locale=language)
    return f"{start} – {end}"


def event_place(event: EventLine, language: str) -> str:
    country = country_name(event.host_state, language) if event.host_state else ""
    return ", ".join(part for part in (event.city, country) if part)


def event_dates(event: EventLine, language: str) -> str:
    """ "Feb 23 – 25, 2012" / "23–25 feb 2012"."""
    return date_range(event.start_date, event.end_date, language)


@lru_cache(maxsize=4096)
def date_range(start: dt.date, end: dt.date, language: str) -> str:
    if end == start:
        return format_date(start, "medium", locale=language)
    return format_interval(start, end, "yMMMd", locale=language)


def code_sort_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Document order of plan codes across programs and projects ("1.A" < "1.A.2" < "2.B.1")."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))
