"""Item 8: numbers typed into the event form are bounded to what the database stores
(PositiveIntegerField: 2147483647 on PostgreSQL), before anything is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cicte.delivery.models import Event
from tests.delivery.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field", ["participants_total", "participants_women", "participants_men", "targets-0-units"]
)
def test_event_form_refuses_numbers_the_database_cannot_store(client, officer, plan, field):
    client.force_login(officer)
    data = form_data(plan, **{field: "99999999999"})
    if field.startswith("participants_") and field != "participants_total":
        data["participants_total"] = "99999999999"
    response = client.post(reverse("workspace:event-create"), data)
    assert response.status_code == 200
    assert "2147483647" in response.text
    assert not Event.objects.exists()
