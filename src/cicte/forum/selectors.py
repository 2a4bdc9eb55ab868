"""Every read of the forum goes through :func:`threads_for` / :func:`posts_for` (the
sharing layer's ``visible_to`` plus moderation): lists, pages, counts, search,
autocomplete, the API, TAXII, exports, mail and attachment downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from cicte import search as search_index
from cicte.core.types import actor_user
from cicte.forum.indexing import POSTS, THREADS
from cicte.forum.models import Attachment, Post, Thread


def threads_for(actor: Any) -> QuerySet[Thread]:
    """Threads ``actor`` may read: visible by audience, and not hidden by a moderator
    (the originator still sees a hidden thread, with the reason)."""
    user = actor_user(actor)
    shown = Q(hidden=False) | Q(originator_id=user.pk) if user is not None else Q(hidden=False)
    return (
        Thread.objects.visible_to(actor)
        .filter(shown)
        .select_related("community", "originator_organisation")
    )


def posts_for(actor: Any, thread: Thread | None = None) -> QuerySet[Post]:
    posts = Post.objects.visible_to(actor).filter(thread__in=threads_for(actor).values("pk"))
    if thread is not None:
        posts = posts.filter(thread=thread)
    return posts.select_related("originator", "originator_organisation", "thread").prefetch_related(
        "attachments"
    )


def thread_for(actor: Any, pk: int) -> Thread | None:
    return threads_for(actor).filter(pk=pk).first()


def attachment_for(actor: Any, pk: int) -> Attachment | None:
    return (
        Attachment.objects.filter(pk=pk, post__in=posts_for(actor).values("pk"))
        .select_related("post__thread")
        .first()
    )


def search(actor: Any, query: str, *, community_id: int | None = None) -> QuerySet[Thread]:
    """Threads matching ``query`` (every word, accents and case ignored, each a prefix) in
    their title and advisory text or in one of their messages ``actor`` may read: the
    shared index (:mod:`cicte.search`) only narrows the reader's ``visible_to`` querysets,
    so the result is always visible ∩ matches. Any punctuation or operator is inert."""
    threads = threads_for(actor)
    if community_id is not None:
        threads = threads.filter(community_id=community_id)
    if not search_index.terms(query):
        return threads.none()
    in_posts = posts_for(actor).filter(pk__in=search_index.ids(POSTS, query)).values("thread_id")
    return threads.filter(Q(pk__in=search_index.ids(THREADS, query)) | Q(pk__in=in_posts))


def autocomplete(actor: Any, prefix: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Titles for a search box: visible threads only."""
    if not search_index.terms(prefix):
        return []
    rows = search_index.narrow(threads_for(actor), THREADS, prefix).values("pk", "title")[:limit]
    return [{"id": r["pk"], "title": r["title"]} for r in rows]


@dataclass(frozen=True)
class ExistenceRow:
    """What an administrator sees of any item: that it exists; never its content (no
    title, text or file name)."""

    kind: str  # "thread", "post", "attachment"
    pk: int
    tlp: str
    community: str
    created_at: Any
    hidden: bool
    thread_pk: int

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.pk}"


def existence(actor: Any) -> list[ExistenceRow]:
    """Every thread, post and attachment, by number and label, for administrators."""
    from cicte.sharing.permissions import can_see_existence

    if not can_see_existence(actor):
        return []
    rows = [
        ExistenceRow("thread", pk, tlp, community, created, hidden, pk)
        for pk, tlp, community, created, hidden in Thread.objects.values_list(
            "pk", "tlp", "community__name", "created_at", "hidden"
        ).order_by("-created_at", "-pk")
    ]
    posts = Post.objects.values_list(
        "pk", "tlp", "community__name", "created_at", "thread__hidden", "thread_id"
    ).order_by("thread_id", "pk")
    rows += [ExistenceRow("post", *row) for row in posts]
    attachments = Attachment.objects.values_list(
        "pk",
        "post__tlp",
        "post__community__name",
        "uploaded_at",
        "post__thread__hidden",
        "post__thread_id",
    ).order_by("post__thread_id", "pk")
    rows += [ExistenceRow("attachment", *row) for row in attachments]
    return rows
