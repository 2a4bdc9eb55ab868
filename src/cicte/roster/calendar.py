"""An assignment as an iCalendar (RFC 5545) file, for the expert only. Pure: text out.

Written with the ``icalendar`` library (a project dependency, used by the exercises' feeds
too), which escapes and folds the lines."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event


def assignment_ics(
    *, uid: str, summary: str, start: dt.date, end: dt.date, description: str, stamp: dt.datetime
) -> str:
    """One all-day event from ``start`` to ``end`` inclusive (DTEND is exclusive)."""
    calendar = Calendar()
    calendar.add("prodid", "-//CICTE Work Plan System//Experts roster//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("class", "CONFIDENTIAL")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
