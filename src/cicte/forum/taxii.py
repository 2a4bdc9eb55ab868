"""A read-only TAXII 2.1 server: one API root, one collection per community the caller
belongs to, each holding the STIX objects of the threads the caller may read there.

Authentication: the existing API tokens (``Authorization: Bearer <token>``). A collection
the caller may not read answers exactly like one that does not exist (404), and the
collection list names only the caller's communities.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from cicte.accounts.services import token_authenticate
from cicte.forum.exports import stix_objects
from cicte.forum.selectors import threads_for
from cicte.sharing.models import Community
from cicte.sharing.permissions import community_ids

MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
_NAMESPACE = uuid.UUID("0c7d5f3a-42b1-4c8e-9e0f-6f1f7c3b9a21")


def collection_id(community: Community) -> str:
    return str(uuid.uuid5(_NAMESPACE, community.slug))


def _answer(body: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)


def _error(status: int, title: str) -> HttpResponse:
    return _answer({"title": title, "http_status": str(status)}, status)


def _token_user(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        user = token_authenticate(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            response = _error(401, "Send 'Authorization: Bearer <token>'.")
            response["WWW-Authenticate"] = "Bearer"
            return response
        request.user = user
        return view(request, *args, **kwargs)

    return wrapper


def _collections(user: Any) -> dict[str, Community]:
    communities = Community.objects.filter(pk__in=community_ids(user)).order_by("slug")
    return {collection_id(c): c for c in communities}


def _collection(community: Community) -> dict[str, Any]:
    return {
        "id": collection_id(community),
        "title": community.name,
        "description": community.get_kind_display(),
        "can_read": True,
        "can_write": False,
        "media_types": [STIX_MEDIA_TYPE],
    }


# The handlers below take the authenticated user; the API (``cicte.api.forum``) routes
# them under /api/taxii2/ (so they are in the OpenAPI document) and /taxii2/ serves the
# conventional discovery URL with the same handler.


def discovery_response(request: HttpRequest) -> HttpResponse:
    root = request.build_absolute_uri(API_ROOT)
    return _answer({"title": "CICTE forum", "default": root, "api_roots": [root]})


def api_root_response(request: HttpRequest) -> HttpResponse:
    return _answer(
        {
            "title": "CICTE forum",
            "versions": [MEDIA_TYPE],
            "max_content_length": 10 * 1024 * 1024,
        }
    )


def collections_response(request: HttpRequest, user: Any) -> HttpResponse:
    return _answer({"collections": [_collection(c) for c in _collections(user).values()]})


def collection_response(request: HttpRequest, user: Any, collection: str) -> HttpResponse | None:
    """None: no such collection for this caller (the API answers its 404)."""
    community = _collections(user).get(collection)
    if community is None:
        return None
    return _answer(_collection(community))


def objects_response(request: HttpRequest, user: Any, collection: str) -> HttpResponse | None:
    community = _collections(user).get(collection)
    if community is None:
        return None
    found: dict[str, Any] = {}
    for thread in threads_for(user).filter(community=community):
        for obj in stix_objects(user, thread):
            found.setdefault(obj["id"], obj)
    return _answer({"more": False, "objects": list(found.values())})


#: Where the API root is (the ninja route of :mod:`cicte.api.forum`).
API_ROOT = "/api/taxii2/root/"


@require_GET
@_token_user
def discovery(request: HttpRequest) -> HttpResponse:
    """/taxii2/: the conventional discovery URL (it names the API root under /api/)."""
    return discovery_response(request)
