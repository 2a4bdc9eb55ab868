"""Media in a temporary directory and the shared world fixture for these tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    from tests.security.world import build_world

    return build_world()
