"""The OpenAPI document, as committed in docs/openapi.json."""

from __future__ import annotations

import json
from typing import Any


def openapi_document() -> dict[str, Any]:
    import cicte.api.urls  # noqa: F401 - registers the routers
    from cicte.api.base import api

    schema = api.get_openapi_schema(path_prefix="/api/")
    document: dict[str, Any] = json.loads(json.dumps(schema))
    return document


def openapi_text() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
