"""The permission world of tests/security, for the access-model tests."""

from __future__ import annotations

from tests.security.conftest import _media_in_tmp, world

__all__ = ["_media_in_tmp", "world"]
