"""The record-history pages apply the same visibility as the records: old versions of an
item hold its content, so whoever may not read the item now gets a plain 404."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("reader", ["program_manager", "administrator"])
def test_history_of_a_restricted_thread_is_not_found(forum_world, reader):
    amber = forum_world.threads[("amber", "organisations")]
    client = forum_world.client(reader)
    assert client.get(f"/accounts/history/forum/thread/{amber.pk}/").status_code == 404
    assert client.get(f"/accounts/history/forum/thread/{amber.pk + 10**6}/").status_code == 404


def test_history_of_a_thread_the_reader_may_read(forum_world):
    public = forum_world.threads[("clear", "public")]
    response = forum_world.client("program_manager").get(
        f"/accounts/history/forum/thread/{public.pk}/"
    )
    assert response.status_code in {200, 404}  # 404 only when the thread kept no history
    if response.status_code == 200:
        assert str(public.pk).encode() in response.content
