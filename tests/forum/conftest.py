from __future__ import annotations

import pytest

from tests.forum.world import build_forum_world


@pytest.fixture
def forum_world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CICTE_SITE_URL = "https://cicte.test"
    return build_forum_world()
