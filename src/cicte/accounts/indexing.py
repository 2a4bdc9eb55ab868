"""Users in the shared search index (scope ``accounts.user``; docs/access.md, "Users").

A user's entry is the username and full name (title) and the e-mail address (body). Users
are saved one at a time everywhere (invitations, edits, ``create-user``, ``ensure-admin``,
``createsuperuser``, the admin), so signals (``search.track``) keep the index in step; a save
of other fields only (``last_login``, ``is_active``) is skipped.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from cicte import search

SCOPE = "accounts.user"


def user_document(user: Any) -> dict[str, str]:
    return {
        "title": f"{user.username} {user.first_name} {user.last_name}",
        "body": user.email or "",
    }


def connect() -> None:
    search.track(
        get_user_model(),
        SCOPE,
        user_document,
        fields=("username", "first_name", "last_name", "email"),
    )
