"""The leak matrix: every marking × audience kind × kind of reader × path. Each cell says
whether the reader sees the item on that path, and is checked through the interface the
reader uses (pages, the API with their token, exports, the digest mail, downloads).

Every item carries a unique word in its title, its text and its attachment's name; "not
seen" means the word appears nowhere in the answer (no title, no count, no search hit),
and pages that must not reveal existence answer 404, like an item that does not exist.
"""

from __future__ import annotations

import json

import pytest

from cicte.forum.notifications import digest_mails
from cicte.sharing.stix import TLP2_IDS
from tests.forum.world import HIDDEN_MEMBER, ITEMS, READERS, SEES, word

pytestmark = pytest.mark.django_db

#: The readers who are members of the community the items are posted in.
CSIRT_MEMBERS = {"author", "named", "colleague", "other_member"}

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
]


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def seen_on(world, reader: str, path: str, item: tuple[str, str]) -> bool:
    """Whether ``reader`` sees ``item`` on ``path`` (asserting the answer reveals nothing
    when not)."""
    thread = world.threads[item]
    w = word(*item)
    client = world.client(reader)
    api = world.token_client(reader)
    if path == "list":
        return w in _text(client.get("/forum/")) or w in _text(
            client.get("/forum/communities/csirts/")
        )
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
        # The page repeats the reader's own query in the search box: look for the title.
        return f"Title {w}" in _text(client.get("/forum/search/", {"q": w}))
    if path == "autocomplete":
        results = client.get("/forum/autocomplete/", {"q": w}).json()["results"]
        return any(r["id"] == thread.pk for r in results)
    if path == "api":
        detail = api.get(f"/api/forum/threads/{thread.pk}")
        posts = api.get(f"/api/forum/threads/{thread.pk}/posts")
        listed = w in _text(api.get("/api/forum/threads"))
        assert detail.status_code in {200, 404} and posts.status_code == detail.status_code
        assert listed == (detail.status_code == 200)
        return detail.status_code == 200 and w in _text(posts)
    if path == "taxii":
        return _taxii_seen(world, reader, w)
    if path in {"stix", "misp"}:
        response = client.get(f"/forum/threads/{thread.pk}/export/{path}/")
        assert response.status_code in {200, 404}
        if response.status_code == 404:
            return False
        body = _text(response)
        if path == "stix":
            assert TLP2_IDS[item[0]] in body
        else:
            assert f"tlp:{item[0]}" in body
        return w in body
    if path == "digest":
        if reader == "anonymous":
            known = {u.email for u in world.users.values()}
            assert {m.to for m in digest_mails("daily")} <= known
            return False
        mails = [m for m in digest_mails("daily") if m.to == world.users[reader].email]
        text = " ".join(m.subject + m.body for m in mails)
        link = f"/forum/threads/{thread.pk}/"
        if item[0] in {"amber", "amber+strict", "red"}:
            assert w not in text, "AMBER and RED mail carries a link only"
        return link in text
    if path == "attachment":
        response = client.get(world.attachments[item].get_absolute_url())
        assert response.status_code in {200, 404}
        return response.status_code == 200 and w in _text(response)
    raise AssertionError(path)


def _taxii_seen(world, reader: str, w: str) -> bool:
    from tests.forum.test_taxii import taxii_objects

    return any(w in json.dumps(o) for o in taxii_objects(world, reader))


def expected(reader: str, path: str, item: tuple[str, str]) -> bool:
    if path == "digest" and reader == "author":
        return False  # nobody is mailed about their own items
    if path == "digest" and reader == "anonymous":
        return False  # no address, no mail
    if path == "taxii" and reader not in CSIRT_MEMBERS:
        return False  # collections are offered to a community's members only
    return item in SEES[reader]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("reader", READERS)
def test_leak_matrix(forum_world, reader, path):
    cells = {item: seen_on(forum_world, reader, path, item) for item in ITEMS}
    wanted = {item: expected(reader, path, item) for item in ITEMS}
    wrong = [
        f"{reader} × {path} × TLP:{tlp.upper()}/{kind}: "
        f"{'seen' if cells[(tlp, kind)] else 'not seen'}, expected "
        f"{'seen' if wanted[(tlp, kind)] else 'not seen'}"
        for tlp, kind in ITEMS
        if cells[(tlp, kind)] != wanted[(tlp, kind)]
    ]
    assert not wrong, "\n".join(wrong)


#: Who sees the names of a community with hidden membership: its managers only; its own
#: members (and everyone else) see a count.
SEES_HIDDEN_MEMBERS = {"administrator"}


@pytest.mark.parametrize("reader", READERS)
def test_hidden_membership(forum_world, reader):
    client = forum_world.client(reader)
    api = forum_world.token_client(reader)
    answers = [
        _text(client.get("/forum/")),
        _text(client.get("/forum/communities/finance/")),
        _text(client.get("/forum/communities/finance/new/")),
        _text(client.get("/forum/directory/")),
        _text(api.get("/api/forum/communities")),
        _text(api.get("/api/forum/organisations")),
        _text(client.get("/forum/autocomplete/", {"q": "zqxhidden"})),
        _text(client.get("/forum/search/", {"q": "zqxhidden"})),
    ]
    shown = any(HIDDEN_MEMBER in a for a in answers)
    assert shown == (reader in SEES_HIDDEN_MEMBERS), reader
    finance = next(c for c in api.get("/api/forum/communities").json() if c["slug"] == "finance")
    assert finance["member_count"] == 1  # the count, for everyone
