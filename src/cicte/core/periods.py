"""Reporting periods: ``2012-H1`` (Jan–Jun), ``2012-H2``, ``2012`` (a year), ``2012-Q3``,
or a range ``2012-01-15..2012-03-31``. Pure Python; the error messages go through gettext
(the active language)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_HALF = re.compile(r"^(\d{4})-H([12])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/|to)\s*(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def is_half_year(self) -> bool:
        return bool(_HALF.match(self.label))


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """Parse a period; raises PeriodError with a message naming the accepted forms."""
    try:
        return _parse_period(text)
    except ValueError as exc:  # e.g. year 0000: out of the calendar's range
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(
            _("Invalid period '%(period)s': %(error)s.") % {"period": text, "error": exc}
        ) from None


def _parse_period(text: str) -> Period:
    value = (text or "").strip().upper()
    if match := _HALF.match(value):
        year, half = int(match[1]), int(match[2])
        start = dt.date(year, 1 if half == 1 else 7, 1)
        return Period(start, _month_end(year, 6 if half == 1 else 12), f"{year}-H{half}")
    if match := _QUARTER.match(value):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * (quarter - 1) + 1
        return Period(dt.date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{quarter}")
    if match := _YEAR.match(value):
        year = int(match[1])
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    if match := _RANGE.match(text.strip()):
        try:
            start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        except ValueError as exc:
            raise PeriodError(
                _("Invalid date in period '%(period)s': %(error)s.")
                % {"period": text, "error": exc}
            ) from None
        if end < start:
            raise PeriodError(_("Period '%(period)s' ends before it starts.") % {"period": text})
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    raise PeriodError(
        _(
            "Unknown period '%(period)s': use a half-year (2012-H1), a quarter (2012-Q3), "
            "a year (2012) or a date range (2012-01-01..2012-06-30)."
        )
        % {"period": text}
    )


def half_year_of(day: dt.date) -> Period:
    return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
