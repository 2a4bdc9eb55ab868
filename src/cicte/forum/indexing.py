"""The forum in the shared full-text index (:mod:`cicte.search`): threads (title, summary,
recommendations; advisories included) under ``forum.thread``, messages under
``forum.post``. Every single write goes through a service and ``core.audit`` (create, edit,
hide, release, widen, removal), and ``search.track`` follows those saves and deletes inside
the same transaction; ``cicte reindex forum.thread forum.post`` rebuilds both.

The index never decides who sees what: :func:`cicte.forum.selectors.search` narrows the
reader's ``visible_to`` querysets with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from cicte import search
from cicte.forum.models import Post, Thread

THREADS = "forum.thread"
POSTS = "forum.post"


def thread_document(thread: Thread) -> Mapping[str, str]:
    return {
        "title": thread.title,
        "body": " ".join([thread.summary, thread.recommendations, thread.affected_countries]),
        "language": thread.language,
    }


def post_document(post: Post) -> Mapping[str, str]:
    return {"title": "", "body": post.body, "language": ""}


def register() -> None:
    search.track(
        Thread,
        THREADS,
        thread_document,
        fields={"title", "summary", "recommendations", "affected_countries", "language"},
    )
    search.track(Post, POSTS, post_document, fields={"body"})
