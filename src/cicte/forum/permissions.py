"""Who may post, reply, moderate and release in the forum (built on
:mod:`cicte.sharing.permissions`; reads go through ``visible_to``)."""

from __future__ import annotations

from typing import Any

from cicte.core.types import actor_user
from cicte.sharing import permissions as sharing


def can_start_thread(actor: Any, community: Any) -> bool:
    return sharing.can_post(actor, community)


def can_reply(actor: Any, thread: Any) -> bool:
    """Members who can read an open thread may reply (its visibility is checked by the
    service through ``visible_to``)."""
    return (
        sharing.can_post(actor, thread.community)
        and not thread.locked
        and not thread.hidden
        and not thread.closed
    )


def can_moderate(actor: Any, thread: Any) -> bool:
    return sharing.can_moderate(actor, thread.community)


def is_originator(actor: Any, item: Any) -> bool:
    user = actor_user(actor)
    return user is not None and user.is_active and item.originator_id == user.pk


def can_release(actor: Any, thread: Any, community: Any) -> bool:
    """Only the originator releases an item into another community where they are a
    member."""
    return is_originator(actor, thread) and sharing.can_post(actor, community)
