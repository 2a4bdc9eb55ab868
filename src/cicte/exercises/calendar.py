"""iCalendar feeds (RFC 5545): the sessions a participant attends (planning meetings, the
exercise window, the hot wash, the after-action conference). Built from
``Session.objects.visible_to(actor)``: staff-only sessions never reach a player's feed, and
no inject is ever in a feed."""

from __future__ import annotations

from typing import Any

from django.core import signing
from icalendar import Calendar, Event

from cicte.exercises.models import Session

SALT = "cicte.exercises.calendar"


def feed_token(user: Any) -> str:
    return signing.dumps({"u": user.pk}, salt=SALT, compress=True)


def feed_user_id(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return data.get("u") if isinstance(data, dict) else None


def ics(sessions: list[Session], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//CICTE Work Plan//Exercises//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        item = Event()
        item.add("uid", f"exercise-session-{session.pk}@cicte")
        item.add("summary", f"[EXERCISE] {session.exercise.title}: {session.title}")
        item.add("dtstart", session.starts_at)
        item.add("dtend", session.ends_at)
        item.add("dtstamp", session.exercise.created_at)
        if session.location:
            item.add("location", session.location)
        item.add("categories", [session.kind])
        calendar.add_component(item)
    return calendar.to_ical()
