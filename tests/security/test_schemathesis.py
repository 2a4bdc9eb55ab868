"""Property-based API fuzzing with schemathesis against the committed OpenAPI document:
generated requests (valid and invalid) never produce a server error, and every error has the
JSON error shape. Bounded: a few examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from cicte.api.openapi import openapi_document

schema = schemathesis.openapi.from_dict(openapi_document())
APP = get_wsgi_application()


@pytest.fixture
def token(world):
    return world.tokens["secretariat"]


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_never_fails(case, world, token):
    headers = {"Authorization": f"Bearer {token}"}
    response = case.call(app=APP, headers=headers)
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert {"code", "message", "details"} <= set(body["error"])


@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_never_fails_anonymously(case, world):
    response = case.call(app=APP)
    case.validate_response(response, checks=[not_a_server_error])
    assert "zqxpersonal" not in response.text.lower()
