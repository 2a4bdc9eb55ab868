"""Property-based API fuzzing with schemathesis against the committed OpenAPI document:
generated requests (valid and invalid) never produce a server error, and every error has the
JSON error shape. Bounded: a few examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from cicte.api.openapi import openapi_document

schema = schemathesis.openapi.from_dict(openapi_document())
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes the
    database connection (and the test's transaction, on PostgreSQL); Django's test client
    disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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
