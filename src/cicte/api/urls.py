"""/api/: the REST API (django-ninja). OpenAPI at /api/openapi.json, docs at /api/docs."""

from __future__ import annotations

from typing import Any

from django.urls import path, re_path

from cicte.api.base import api, api_not_found
from cicte.api.directory import router as directory_router
from cicte.api.events import router as events_router
from cicte.api.plans import router as plans_router
from cicte.api.progress import router as progress_router
from cicte.api.reports import router as reports_router

api.add_router("", plans_router)
api.add_router("", directory_router)
api.add_router("", events_router)
api.add_router("", progress_router)
api.add_router("", reports_router)

api_urlpatterns: list[Any] = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", api_not_found),
]
