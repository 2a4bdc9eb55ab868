"""The assignment's iCalendar file: all-day, DTEND exclusive, text escaped and folded."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from cicte.roster.calendar import assignment_ics


def test_assignment_ics_is_valid_and_all_day():
    text = assignment_ics(
        uid="assignment-7@cicte",
        summary="Mission; Kingston, Jamaica",
        start=dt.date(2012, 5, 7),
        end=dt.date(2012, 5, 9),
        description="Terms of reference " * 10,
        stamp=dt.datetime(2012, 5, 1, 12, tzinfo=dt.UTC),
    )
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.date(2012, 5, 7)
    assert event.decoded("dtend") == dt.date(2012, 5, 10)  # exclusive
    assert str(event["summary"]) == "Mission; Kingston, Jamaica"
    assert str(event["class"]) == "CONFIDENTIAL"
