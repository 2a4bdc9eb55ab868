"""The cached event list: per query, data version and the reader's visibility."""

from __future__ import annotations

from cicte.core import dataversion
from cicte.delivery.models import Event


def _titles(client, query: str = "") -> list[str]:
    response = client.get(f"/api/events{query}")
    assert response.status_code == 200
    return sorted(item["title"] for item in response.json()["items"])


def test_a_reader_with_less_access_never_gets_anothers_cached_rows(world):
    staff = world.client("secretariat", via="token")
    contact = world.client("point_of_contact", via="token")  # Jamaica
    everything = ["Cyber security course", "Port security workshop"]
    assert _titles(staff) == everything  # cached now, for staff
    assert _titles(contact) == ["Port security workshop"]  # same query, its own entry
    assert _titles(staff) == everything  # and staff's entry is not the contact's
    assert _titles(contact) == ["Port security workshop"]


def test_the_second_identical_request_is_served_from_the_cache(
    world, django_assert_max_num_queries
):
    client = world.client("point_of_contact", via="token")
    first = client.get("/api/events?limit=10").json()
    # token with user, memberships and the data version; no event query
    with django_assert_max_num_queries(3):
        assert client.get("/api/events?limit=10").json() == first


def test_a_write_moves_the_version_and_the_next_read_sees_it(world):
    client = world.client("secretariat", via="token")
    assert "Renamed" not in _titles(client, f"?plan={world.plan.year}")
    event = Event.objects.get(pk=world.jam_event.pk)
    event.title = "Renamed"
    event.save()  # any path that saves an event moves the plan's counter
    assert "Renamed" in _titles(client, f"?plan={world.plan.year}")
    assert "Renamed" in _titles(client)  # the list of every plan too


def test_bulk_paths_that_bump_explicitly_invalidate(world):
    client = world.client("secretariat", via="token")
    before = _titles(client)
    Event.objects.filter(pk=world.brb_event.pk).update(title="Bulk renamed")  # no signal
    assert _titles(client) == before  # still the cached answer: the version did not move
    dataversion.bump(world.plan.pk)  # what bulk services do
    assert "Bulk renamed" in _titles(client)
