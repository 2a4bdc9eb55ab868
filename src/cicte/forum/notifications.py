"""Mail about new posts: immediately, or in daily / weekly digests (one function,
:func:`send_digests`, that a command or a scheduler calls). Every recipient gets only what
they may read (``visible_to`` per recipient); AMBER and RED items are announced by a link
only, never their title or text; every subject starts with the label (``[TLP:AMBER]``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.forum.models import Frequency, NotificationPreference, Thread
from cicte.sharing.markings import LINK_ONLY_TLPS, TLP_RANK, subject_label

DIGEST_PERIODS: dict[str, dt.timedelta] = {
    Frequency.DAILY: dt.timedelta(days=1),
    Frequency.WEEKLY: dt.timedelta(days=7),
}


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def _link(thread: Thread) -> str:
    base = getattr(settings, "CICTE_SITE_URL", "").rstrip("/")
    return f"{base}{thread.get_absolute_url()}"


def _line(thread: Thread) -> str:
    label = thread.tlp_label
    if thread.tlp in LINK_ONLY_TLPS:
        return f"{label} " + _("A new item for you: %(link)s") % {"link": _link(thread)}
    return f"{label} {thread.title} — {_link(thread)}"


def mail_for(user: Any, threads: list[Thread]) -> Mail | None:
    """One message to ``user`` about ``threads`` (already filtered for them)."""
    if not threads or not user.email:
        return None
    widest = max(threads, key=lambda t: TLP_RANK[t.tlp])
    subject = f"{subject_label(widest.tlp)} " + _("CICTE forum: %(n)s new items") % {
        "n": len(threads)
    }
    body = "\n".join(_line(t) for t in threads)
    return Mail(user.email, subject, body)


def _recipients(frequency: str) -> list[Any]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, forum_preference__frequency=frequency)
        .select_related("forum_preference")
    )
    return list(users)


def _visible_new(
    user: Any, since: dt.datetime | None, thread_ids: list[int] | None = None
) -> list[Thread]:
    from cicte.forum.selectors import threads_for

    threads = threads_for(user).exclude(originator_id=user.pk)
    if since is not None:
        threads = threads.filter(updated_at__gt=since)
    if thread_ids is not None:
        threads = threads.filter(pk__in=thread_ids)
    return list(threads.order_by("-updated_at")[:200])


def _send(mails: list[Mail]) -> int:
    if not mails:
        return 0
    connection = get_connection()
    messages = [EmailMessage(m.subject, m.body, None, [m.to], connection=connection) for m in mails]
    return connection.send_messages(messages) or 0


def digest_mails(frequency: str, *, now: dt.datetime | None = None) -> list[Mail]:
    now = now or timezone.now()
    mails = []
    for user in _recipients(frequency):
        preference = user.forum_preference
        since = preference.last_sent_at or now - DIGEST_PERIODS.get(frequency, dt.timedelta(1))
        mail = mail_for(user, _visible_new(user, since))
        if mail is not None:
            mails.append(mail)
    return mails


def send_digests(frequency: str, *, now: dt.datetime | None = None) -> int:
    """Send the daily or weekly digests; returns how many messages were sent."""
    now = now or timezone.now()
    mails = digest_mails(frequency, now=now)
    sent = _send(mails)
    NotificationPreference.objects.filter(frequency=frequency).update(last_sent_at=now)
    return sent


def _sector_subscribers(thread: Thread | None) -> list[Any]:
    """Readers who follow a sector an advisory affects (mailed at once, whatever their
    digest frequency, unless they chose never)."""
    if thread is None or thread.kind != "advisory" or not thread.affected_sectors:
        return []
    affected = set(thread.affected_sectors.split(","))
    users = (
        get_user_model()
        .objects.filter(is_active=True, forum_preference__isnull=False)
        .exclude(forum_preference__frequency__in=[Frequency.NEVER, Frequency.IMMEDIATE])
        .exclude(forum_preference__sectors="")
        .select_related("forum_preference")
    )
    return [u for u in users if affected & set(u.forum_preference.sector_list())]


def immediate_mails(thread_pk: int) -> list[Mail]:
    """The immediate mails about a thread: one per reader who asked for immediate mail or
    follows a sector the advisory affects, and who may read it (``visible_to``)."""
    thread = Thread.objects.filter(pk=thread_pk).first()
    mails = []
    for user in _recipients(Frequency.IMMEDIATE) + _sector_subscribers(thread):
        mail = mail_for(user, _visible_new(user, None, [thread_pk]))
        if mail is not None:
            mails.append(mail)
    return mails


def notify_new_post(thread_pk: int, *, post_pk: int | None = None) -> int:
    """Immediate mail to readers who asked for it (or follow an affected sector) and may
    read the thread."""
    return _send(immediate_mails(thread_pk))
