"""The leak matrix: every marking × audience kind × kind of reader × path, plus replies with
narrower audiences and a released item. Each cell says whether the reader sees the item on
that path, and is checked through the interface the reader uses (pages, the API with their
token, TAXII with taxii2-client, exports, the digest mail, downloads, the audit views).

Every item carries a unique word in its text and its attachment's name (threads also in
their title); "not seen" means the word appears nowhere in the answer (no title, no count,
no search hit), and pages that must not reveal existence answer 404, like an item that does
not exist. The world is built once per module (see conftest.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from cicte.forum.notifications import digest_mails
from cicte.sharing.stix import TLP2_IDS
from tests.forum.world import (
    COMMUNITY_MEMBERS,
    EXTRA,
    EXTRA_WORDS,
    HIDDEN_MEMBER,
    ITEMS,
    READERS,
    SEES,
    word,
)

pytestmark = pytest.mark.django_db

PATHS = [
    "list",
    "detail",
    "count",
    "search",
    "autocomplete",
    "api",
    "taxii",
    "stix",
    "misp",
    "digest",
    "attachment",
    "history",
]


@dataclass(frozen=True)
class Cell:
    key: Any
    word: str
    readers: frozenset[str]
    communities: frozenset[str]
    in_title: bool
    tlp: str


def cells() -> list[Cell]:
    found = [
        Cell(item, word(*item), frozenset(r for r in READERS if item in SEES[r]),
             frozenset({"csirts"}), True, item[0])
        for item in ITEMS
    ]  # fmt: skip
    tlps = {"reply_red": "red", "reply_amber": "amber", "released": "green"}
    for key, (readers, communities, in_title) in EXTRA.items():
        found.append(
            Cell(key, EXTRA_WORDS[key], frozenset(readers), frozenset(communities), in_title,
                 tlps[key])
        )  # fmt: skip
    return found


CELLS = cells()


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


class Reader:
    """One reader's answers, fetched once per test and shared by the items."""

    def __init__(self, world, reader: str) -> None:
        self.world = world
        self.reader = reader
        self.client = world.client(reader)
        self.api = world.token_client(reader)
        self._cache: dict[str, Any] = {}

    def once(self, key: str, fetch) -> Any:
        if key not in self._cache:
            self._cache[key] = fetch()
        return self._cache[key]


def seen_on(r: Reader, path: str, cell: Cell) -> bool:
    """Whether the reader sees ``cell`` on ``path`` (asserting the answer reveals nothing
    when not)."""
    world, reader, w = r.world, r.reader, cell.word
    thread = world.threads[cell.key]
    client, api = r.client, r.api
    if path == "list":
        pages = r.once(
            "list",
            lambda: " ".join(
                _text(client.get(url))
                for url in ("/forum/", "/forum/communities/csirts/", "/forum/communities/finance/")
            ),
        )
        return w in pages
    if path == "detail":
        response = client.get(f"/forum/threads/{thread.pk}/")
        assert response.status_code in {200, 404}
        if response.status_code == 404:
            assert w not in _text(response)
        return response.status_code == 200 and w in _text(response)
    if path == "count":
        total = api.get("/api/forum/threads", {"q": w}).json()["total"]
        assert total in {0, 1}
        return total == 1
    if path == "search":
        body = _text(client.get("/forum/search/", {"q": w}))
        # The page repeats the reader's own query in the search box: look for the link.
        return f'href="/forum/threads/{thread.pk}/"' in body
    if path == "autocomplete":
        results = client.get("/forum/autocomplete/", {"q": w}).json()["results"]
        return any(res["id"] == thread.pk for res in results)
    if path == "api":
        detail = api.get(f"/api/forum/threads/{thread.pk}")
        posts = api.get(f"/api/forum/threads/{thread.pk}/posts")
        listed = r.once("api-list", lambda: _text(api.get("/api/forum/threads?limit=200")))
        assert detail.status_code in {200, 404} and posts.status_code == detail.status_code
        assert (f'"id": {thread.pk},' in listed) == (detail.status_code == 200)
        return detail.status_code == 200 and w in _text(posts)
    if path == "taxii":
        objects = r.once("taxii", lambda: _taxii(world, reader))
        return w in objects
    if path in {"stix", "misp"}:
        response = client.get(f"/forum/threads/{thread.pk}/export/{path}/")
        assert response.status_code in {200, 404}
        if response.status_code == 404:
            assert w not in _text(response)
            return False
        body = _text(response)
        if path == "stix":
            assert TLP2_IDS[thread.tlp] in body
        else:
            assert f"tlp:{thread.tlp}" in body
        return w in body
    if path == "digest":
        mails = r.once("digest", lambda: digest_mails("daily"))
        if reader == "anonymous":
            known = {u.email for u in world.users.values()}
            assert {m.to for m in mails} <= known
            return False
        text = " ".join(m.subject + m.body for m in mails if m.to == world.users[reader].email)
        if cell.tlp in {"amber", "amber+strict", "red"}:
            assert w not in text, "AMBER and RED mail carries a link only"
        if not cell.in_title:
            return w in text  # a reply's text is never mailed
        return f"/forum/threads/{thread.pk}/" in text
    if path == "attachment":
        response = client.get(world.attachments[cell.key].get_absolute_url())
        assert response.status_code in {200, 404}
        return response.status_code == 200 and w in _text(response)
    if path == "history":
        # The audit views never copy content: nobody reads an item there, whoever they are.
        answers = [client.get(f"/accounts/history/forum/thread/{thread.pk}/")]
        attachment = world.attachments[cell.key]
        answers.append(client.get(f"/accounts/history/forum/attachment/{attachment.pk}/"))
        answers.append(client.get(f"/accounts/history/forum/post/{attachment.post_id}/"))
        activity = r.once("activity", lambda: _text(client.get("/accounts/activity/")))
        return w in activity or any(w in _text(a) for a in answers)
    raise AssertionError(path)


def _taxii(world, reader: str) -> str:
    from tests.forum.test_taxii import taxii_objects

    return json.dumps(taxii_objects(world, reader))


def expected(reader: str, path: str, cell: Cell) -> bool:
    if path == "history":
        return False  # content never reaches the audit trail
    if reader not in cell.readers:
        return False
    if path in {"list", "autocomplete"}:
        return cell.in_title  # lists and suggestions show titles only
    if path == "digest":
        # nobody is mailed about their own items; a reply's text is never mailed
        return cell.in_title and reader != "author" and reader != "anonymous"
    if path == "taxii":
        # collections are offered to a community's members only
        return any(reader in COMMUNITY_MEMBERS[c] for c in cell.communities)
    return True


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("reader", READERS)
def test_leak_matrix(forum_world, reader, path):
    r = Reader(forum_world, reader)
    r.client.raise_request_exception = True
    wrong = []
    for cell in CELLS:
        try:
            seen = seen_on(r, path, cell)
        except Exception as exc:  # a reader who may not open a view gets a clear refusal
            raise AssertionError(f"{reader} × {path} × {cell.key}: {exc!r}") from exc
        wanted = expected(reader, path, cell)
        if seen != wanted:
            wrong.append(
                f"{reader} × {path} × {cell.key}: {'seen' if seen else 'not seen'}, "
                f"expected {'seen' if wanted else 'not seen'}"
            )
    assert not wrong, "\n".join(wrong)


#: Who sees the names of a community with hidden membership: its managers only; its own
#: members (and everyone else) see a count.
SEES_HIDDEN_MEMBERS = {"administrator"}


@pytest.mark.parametrize("reader", READERS)
def test_hidden_membership(forum_world, reader):
    client = forum_world.client(reader)
    api = forum_world.token_client(reader)
    released = forum_world.threads["released"]
    answers = [
        _text(client.get("/forum/")),
        _text(client.get("/forum/communities/finance/")),
        _text(client.get("/forum/communities/finance/new/")),
        _text(client.get("/forum/communities/finance/submit/")),
        _text(client.get(f"/forum/threads/{released.pk}/")),
        _text(client.get("/forum/directory/")),
        _text(api.get("/api/forum/communities")),
        _text(api.get("/api/forum/organisations")),
        _text(client.get("/forum/autocomplete/", {"q": "zqxhidden"})),
        _text(client.get("/forum/search/", {"q": "zqxhidden"})),
        _text(client.get(f"/forum/threads/{released.pk}/export/stix/")),
        _text(client.get(f"/forum/threads/{released.pk}/export/misp/")),
    ]
    if reader != "anonymous":
        answers.append(_taxii(forum_world, reader))
        answers.append(_text(api.get(f"/api/forum/threads/{released.pk}/posts")))
    shown = any(HIDDEN_MEMBER in a for a in answers)
    assert shown == (reader in SEES_HIDDEN_MEMBERS), reader
    finance = next(c for c in api.get("/api/forum/communities").json() if c["slug"] == "finance")
    assert finance["member_count"] == 2  # the count, for everyone
    assert finance["members"] is None or reader in SEES_HIDDEN_MEMBERS


EXISTENCE_READERS = [r for r in READERS if r != "administrator"]


def test_administrators_see_that_every_item_exists_never_its_content(forum_world):
    """Threads, posts and attachments of every label: listed by number and label in the
    administrators' existence list, never by title, text or file name."""
    from cicte.forum.models import Attachment, Post

    page = _text(forum_world.client("administrator").get("/workspace/forum/"))
    for cell in CELLS:
        thread = forum_world.threads[cell.key]
        attachment = forum_world.attachments[cell.key]
        assert f"thread-{thread.pk}" in page
        assert f"post-{attachment.post_id}" in page
        assert f"attachment-{attachment.pk}" in page
        if cell.key != ("clear", "public"):
            assert cell.word not in page, cell.key
    assert Post.objects.count() and Attachment.objects.count()
    for reader in EXISTENCE_READERS:
        client = forum_world.client(reader)
        client.raise_request_exception = False
        assert client.get("/workspace/forum/").status_code in {302, 403}, reader
