"""Subscription digests: one message per subscriber listing the new published documents
and lessons of the event types and countries they follow, **as they may read them**
(``visible_to`` per recipient). AMBER and RED items are announced by a link only, never
their title; every subject starts with the widest label (``[TLP:AMBER]``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.knowledge import selectors
from cicte.knowledge.models import Subscription
from cicte.sharing.markings import LINK_ONLY_TLPS, TLP, TLP_RANK, subject_label


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def _line(item: selectors.FeedItem) -> str:
    base = getattr(settings, "CICTE_SITE_URL", "").rstrip("/")
    link = f"{base}{item.url}"
    label = TLP(item.tlp).label
    if item.tlp in LINK_ONLY_TLPS:
        return f"{label} " + _("A new item for you: %(link)s") % {"link": link}
    return f"{label} {item.title} — {link}"


def digest_mails() -> list[tuple[Mail, list[Any]]]:
    by_user: dict[int, list[Any]] = defaultdict(list)
    for s in Subscription.objects.select_related("user").filter(user__is_active=True):
        by_user[s.user_id].append(s)
    out = []
    for subscriptions in by_user.values():
        user = subscriptions[0].user
        if not user.email:
            continue
        since = min(s.last_sent_at for s in subscriptions)
        items = selectors.digest_items(user, subscriptions, since)
        if not items:
            continue
        widest = max(items, key=lambda i: TLP_RANK[i.tlp])
        subject = f"{subject_label(widest.tlp)} " + _(
            "CICTE major-events knowledge base: %(n)s new items"
        ) % {"n": len(items)}
        out.append((Mail(user.email, subject, "\n".join(_line(i) for i in items)), subscriptions))
    return out


def digests_send() -> int:
    """Send every due digest; returns how many messages were sent."""
    now = timezone.now()
    pending = digest_mails()
    if not pending:
        return 0
    connection = get_connection()
    sent = 0
    for mail, subscriptions in pending:
        message = EmailMessage(mail.subject, mail.body, None, [mail.to], connection=connection)
        sent += connection.send_messages([message]) or 0
        Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(last_sent_at=now)
    return sent
