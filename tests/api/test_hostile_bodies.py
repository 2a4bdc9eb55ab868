"""Item 8 through the API: hostile JSON bodies (deep nesting, numbers the database cannot
store) answer 4xx in the JSON error shape, never 500, and write nothing."""

from __future__ import annotations

import pytest

from cicte.delivery.models import Event

pytestmark = pytest.mark.django_db


def _post(world, body: str):
    client = world.client("secretariat", via="token")
    return client.post("/api/events", data=body, content_type="application/json")


def test_deeply_nested_body(world):
    before = Event.objects.count()
    response = _post(world, '{"title": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"]
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("participants_total", 10**12), ("funding_source", 2**31), ("cost", "1e20")],
)
def test_numbers_beyond_storage(world, field, value):
    before = Event.objects.count()
    body = (
        '{"plan": "2012", "kind": "workshop", "title": "T", "start_date": "2012-03-05", '
        f'"end_date": "2012-03-06", "{field}": {value}'
        ', "targets": [{"code": "1.A.1.a", "units": 1}]}'
    )
    response = _post(world, body)
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["code"]
    assert Event.objects.count() == before
