"""The forum world is built once per test module, inside a transaction that is rolled back
at the end of the module; each test runs in a savepoint of it (pytest-django's ``db``), so
writes of one test never reach the next. ``forum_world`` hands each test fresh instances
(no cached permission facts, no stale fields)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test.utils import override_settings

from tests.forum.world import ForumWorld, build_forum_world


@pytest.fixture(scope="module")
def _forum_world_built(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("forum-media")
    with (
        override_settings(
            MEDIA_ROOT=str(media),
            CICTE_SITE_URL="https://cicte.test",
            # The readers sign in with force_login: a fast hasher for their unused passwords.
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_forum_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def forum_world(_forum_world_built, db, settings) -> ForumWorld:
    settings.MEDIA_ROOT = _forum_world_built.media_root
    settings.CICTE_SITE_URL = "https://cicte.test"
    return _forum_world_built.fresh()
