"""/api/: the REST API (django-ninja). OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, re_path

from cicte.api.accounts import router as accounts_router
from cicte.api.approvals import router as approvals_router
from cicte.api.assistance import router as assistance_router
from cicte.api.base import api, api_not_found, error_response
from cicte.api.directory import router as directory_router
from cicte.api.evaluations import router as evaluations_router
from cicte.api.events import router as events_router
from cicte.api.exercises import router as exercises_router
from cicte.api.forum import router as forum_router
from cicte.api.forum import taxii_router
from cicte.api.funding import router as funding_router
from cicte.api.knowledge import router as knowledge_router
from cicte.api.plans import router as plans_router
from cicte.api.progress import router as progress_router
from cicte.api.reports import router as reports_router
from cicte.api.roster import router as roster_router
from cicte.api.scholarships import router as scholarships_router
from cicte.api.strategies import router as strategies_router

api.add_router("", plans_router)
api.add_router("", directory_router)
api.add_router("", events_router)
api.add_router("", progress_router)
api.add_router("", reports_router)
api.add_router("", accounts_router)
api.add_router("", forum_router)
api.add_router("", taxii_router)  # TAXII 2.1, in the OpenAPI document (issue 11)
# Issue 20: period approvals and scholarships.
api.add_router("", approvals_router)
api.add_router("", scholarships_router)
api.add_router("", strategies_router)
api.add_router("", roster_router)
api.add_router("", exercises_router)
# Issue 17: requests for assistance, evaluations, funding.
api.add_router("", assistance_router)
api.add_router("", evaluations_router)
api.add_router("", funding_router)
api.add_router("", knowledge_router)  # issue 15: major-events knowledge base


def _json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """django-ninja answers unsupported methods with a plain-text 405; give it our shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error_response(
                405, "method_not_allowed", f"Method not allowed; use {allowed or 'another'}."
            )
            if allowed:
                response["Allow"] = allowed
        return response

    return wrapper


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    if isinstance(_pattern, URLPattern):
        _pattern.callback = _json_method_not_allowed(_pattern.callback)

api_urlpatterns: list[Any] = [
    path("", (_patterns, _app_name, _namespace)),
    re_path(r"^(?P<rest>.*)$", api_not_found),
]
