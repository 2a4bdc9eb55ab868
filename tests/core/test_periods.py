"""Reporting periods: half-years, quarters, years and date ranges (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cicte.core.periods import Period, PeriodError, half_year_of, parse_period

D = dt.date
years = st.integers(min_value=1000, max_value=9998)
dates = st.dates(min_value=D(1000, 1, 1), max_value=D(9998, 12, 31))


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2012-H1", D(2012, 1, 1), D(2012, 6, 30), "2012-H1"),
        ("2012-H2", D(2012, 7, 1), D(2012, 12, 31), "2012-H2"),
        (" 2012-h1 ", D(2012, 1, 1), D(2012, 6, 30), "2012-H1"),
        ("2012", D(2012, 1, 1), D(2012, 12, 31), "2012"),
        ("2012-Q1", D(2012, 1, 1), D(2012, 3, 31), "2012-Q1"),
        ("2012-Q3", D(2012, 7, 1), D(2012, 9, 30), "2012-Q3"),
        ("2012-q4", D(2012, 10, 1), D(2012, 12, 31), "2012-Q4"),
        ("2012-01-15..2012-03-31", D(2012, 1, 15), D(2012, 3, 31), "2012-01-15..2012-03-31"),
        ("2012-01-15/2012-03-31", D(2012, 1, 15), D(2012, 3, 31), "2012-01-15..2012-03-31"),
        ("2012-01-15 to 2012-03-31", D(2012, 1, 15), D(2012, 3, 31), "2012-01-15..2012-03-31"),
        ("2012-02-29..2012-02-29", D(2012, 2, 29), D(2012, 2, 29), "2012-02-29..2012-02-29"),
    ],
)
def test_parse(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.year == start.year


def test_leap_years():
    assert parse_period("2012-Q1").end == D(2012, 3, 31)
    assert (parse_period("2012-H1").end - parse_period("2012-H1").start).days + 1 == 182
    assert (parse_period("2013-H1").end - parse_period("2013-H1").start).days + 1 == 181


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2012-H3", "Unknown period"),
        ("2012-Q5", "Unknown period"),
        ("12", "Unknown period"),
        ("", "Unknown period"),
        ("H1-2012", "Unknown period"),
        ("2012-13-01..2012-12-31", "Invalid date"),
        ("2012-02-30..2012-03-01", "Invalid date"),
        ("2012-03-01..2012-02-01", "ends before it starts"),
    ],
)
def test_bad_periods(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_contains():
    h1 = parse_period("2012-H1")
    assert D(2012, 6, 30) in h1
    assert D(2012, 1, 1) in h1
    assert D(2012, 7, 1) not in h1
    assert D(2011, 12, 31) not in h1
    assert "2012-03-01" not in h1
    assert h1.is_half_year
    assert not parse_period("2012").is_half_year


@given(dates)
def test_half_year_of_contains_the_day(day):
    period = half_year_of(day)
    assert day in period
    assert period.is_half_year
    assert period.label == f"{day.year}-H{1 if day.month <= 6 else 2}"


@given(years)
def test_halves_and_quarters_tile_the_year(year):
    year_period = parse_period(str(year))
    for parts in (["H1", "H2"], ["Q1", "Q2", "Q3", "Q4"]):
        periods = [parse_period(f"{year}-{p}") for p in parts]
        assert periods[0].start == year_period.start
        assert periods[-1].end == year_period.end
        for before, after in itertools.pairwise(periods):
            assert before.end + dt.timedelta(days=1) == after.start
            # every part ends on the last day of a month
            assert (before.end + dt.timedelta(days=1)).day == 1


@given(years, st.sampled_from(["", "-H1", "-H2", "-Q1", "-Q2", "-Q3", "-Q4"]))
def test_labels_round_trip(year, suffix):
    period = parse_period(f"{year}{suffix}")
    assert parse_period(period.label) == period
    assert period.start <= period.end


@given(dates, dates)
def test_ranges(a, b):
    start, end = min(a, b), max(a, b)
    period = parse_period(f"{start.isoformat()}..{end.isoformat()}")
    assert (period.start, period.end) == (start, end)
    assert parse_period(period.label) == period
    assert start in period and end in period
    if start != end:
        with pytest.raises(PeriodError, match="ends before it starts"):
            parse_period(f"{end.isoformat()}..{start.isoformat()}")


def _not_year_zero(text: str) -> bool:
    match = re.match(r"\s*(\d{4})", text)
    return match is None or int(match[1]) != 0


@given(st.text(max_size=30).filter(_not_year_zero))
def test_any_text_is_a_period_or_a_period_error(text):
    """Garbage never raises anything but PeriodError (year 0000 is the known exception)."""
    try:
        period = parse_period(text)
    except PeriodError as exc:
        assert str(exc)
    else:
        assert isinstance(period, Period)
        assert period.start <= period.end


def test_year_zero_is_a_period_error():
    with pytest.raises(PeriodError):
        parse_period("0000")
