from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cicte.accounts.home import home_for, role_label
from cicte.site import navigation


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    in_workspace = bool(match and match.namespace == "workspace")
    return {
        "LANGUAGES_AVAILABLE": settings.LANGUAGES,
        "SITE_NAME": "CICTE Work Plan",
        "account_nav": SimpleLazyObject(lambda: navigation.account_items(user)),
        # The user's home (sign-in lands there; refusal pages link to it) and widest role.
        "home": SimpleLazyObject(lambda: home_for(user)),
        "role_label": SimpleLazyObject(lambda: role_label(user)),
        "workspace_nav": (
            SimpleLazyObject(lambda: navigation.workspace_items(user)) if in_workspace else []
        ),
    }
