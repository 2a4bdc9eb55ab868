"""Every search box through the interface a user uses: the web pages and the API.

One world (tests/security/world.py) plus accented rows; each test walks a surface. The
queries go through the shared index: accents and case are ignored both ways, hostile text
gives results or nothing, and a search only narrows what the caller may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cicte import search
from cicte.core.types import SYSTEM
from cicte.delivery.models import Event
from cicte.delivery.services import event_delete, event_record, event_update
from cicte.directory.services import organization_create
from cicte.search.apps import fill_empty_scopes
from cicte.search.models import Entry
from tests.factories import EventFactory, OrganizationFactory
from tests.search.test_text import HOSTILE

pytestmark = pytest.mark.django_db

HOSTILE_SAMPLE = ['"', "NEAR(", "*", "OR", "--", "'; drop table", '"unclosed', "a:*"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from tests.security.world import build_world

    world = build_world()
    jam = world.jam_event.host_state
    brb = world.brb_event.host_state
    world.extra["mexico"] = EventFactory(
        plan=world.plan, host_state=jam, title="Taller regional en México", city="Kingston"
    )
    world.extra["panama"] = EventFactory(
        plan=world.plan, host_state=brb, title="Workshop", city="Ciudad de Panamá"
    )
    world.extra["plain"] = EventFactory(
        plan=world.plan, host_state=jam, title="mexico and panama follow-up", notes="PANAMA"
    )
    for key in ("mexico", "plain"):
        world.extra[key].beneficiaries.add(jam)
    return world


def _titles(page) -> set[str]:
    # the events list's rows come from the event read model (dicts of values)
    return {row["event"].title for row in page.context["page"].object_list}


def test_events_list_on_the_web(world) -> None:
    client = world.client("secretariat")
    url = reverse("workspace:event-list")
    everything = set(Event.objects.values_list("title", flat=True))
    cases = {
        "mexico": {"Taller regional en México", "mexico and panama follow-up"},
        "MÉXICO": {"Taller regional en México", "mexico and panama follow-up"},
        "panama": {"Workshop", "mexico and panama follow-up"},
        "Panamá ciudad": {"Workshop"},
        "taller méx": {"Taller regional en México"},
        "1.B.1.a": {"Cyber security course"},  # a target's code still finds its events
        "nowhere": set(),
    }
    for query, expected in cases.items():
        response = client.get(url, {"plan": world.plan.pk, "q": query})
        assert response.status_code == 200, query
        assert _titles(response) == expected, query
    for query in HOSTILE:
        response = client.get(url, {"plan": world.plan.pk, "q": query})
        assert response.status_code == 200, query
        assert _titles(response) <= everything  # words in it ("a", "or") may match
    # search narrows the other filters
    response = client.get(url, {"plan": world.plan.pk, "q": "panama", "member_state": "BRB"})
    assert _titles(response) == {"Workshop"}


def test_events_api_narrows_what_the_caller_sees(world) -> None:
    secretariat = world.client("secretariat", via="token")
    poc = world.client("point_of_contact", via="token")  # Jamaica: hosted or beneficiary

    def titles(client: Client, query: str) -> set[str]:
        response = client.get("/api/events", {"search": query})
        assert response.status_code == 200, (query, response.content)
        body = response.json()
        assert body["total"] == len(body["items"])
        return {item["title"] for item in body["items"]}

    assert titles(secretariat, "panama") == {"Workshop", "mexico and panama follow-up"}
    assert titles(poc, "panama") == {"mexico and panama follow-up"}  # Panamá's is BRB's
    assert titles(secretariat, "cyber") == {"Cyber security course"}
    assert titles(poc, "cyber") == set()
    assert titles(poc, "México") == {"Taller regional en México", "mexico and panama follow-up"}
    everything = set(Event.objects.values_list("title", flat=True))
    for query in HOSTILE_SAMPLE:
        assert titles(secretariat, query) <= everything
        assert titles(poc, query) <= titles(poc, "")


def test_event_search_query_count_does_not_grow(world, django_assert_num_queries) -> None:
    client = world.client("point_of_contact", via="token")
    client.get("/api/events")
    cache.clear()  # the uncached path (lists are cached per data version)
    # token with user, memberships, data version, count, the page (the search in each)
    with django_assert_num_queries(5):
        assert client.get("/api/events", {"search": "mexico"}).json()["total"] == 2
    for number in range(12):
        EventFactory(
            plan=world.plan, host_state=world.jam_event.host_state, title=f"México {number}"
        )
    cache.clear()
    with django_assert_num_queries(5):
        assert client.get("/api/events", {"search": "mexico"}).json()["total"] == 14


def test_event_writes_keep_the_index(world) -> None:
    target = world.target
    event = event_record(
        actor=SYSTEM,
        plan=world.plan,
        kind="workshop",
        title="Simulacro en Bogotá",
        start_date=dt.date(2012, 5, 1),
        end_date=dt.date(2012, 5, 2),
        targets=[(target, 1)],
        city="Medellín",
    )

    def found(query: str) -> bool:
        return (
            search.narrow(Event.objects.all(), "delivery.event", query).filter(pk=event.pk).exists()
        )

    assert found("bogota") and found("MEDELLIN")
    event = event_update(actor=SYSTEM, event=event, title="Ejercicio en Quito")
    assert found("quito") and not found("bogota")
    event_delete(actor=SYSTEM, event=event)
    assert not Entry.objects.filter(scope="delivery.event", object_id=event.pk).exists()


def test_users_list(world) -> None:
    admin = world.client("admin")
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(
        username="jperez", first_name="José", last_name="Pérez", email="jose@example.org"
    )
    get_user_model().objects.create_user(username="jose-plain", first_name="Jose")
    url = reverse("accounts:user-list")

    def names(query: str) -> set[str]:
        response = admin.get(url, {"q": query})
        assert response.status_code == 200, query
        return {user.username for user in response.context["page"].object_list}

    assert names("josé") == {"jperez", "jose-plain"}
    assert names("JOSE perez") == {"jperez"}
    assert names("pérez") == {"jperez"}
    assert names("jose@example.org") == {"jperez"}
    assert names("officer") == {"officer"}
    assert "No user matches" in admin.get(url, {"q": "nobody"}).content.decode()
    spanish = admin.get(url, {"q": "nobody"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Buscar usuarios" in spanish and "Ningún usuario coincide con" in spanish
    everyone = set(get_user_model().objects.values_list("username", flat=True))
    for query in HOSTILE_SAMPLE:
        assert names(query) <= everyone  # "OR" is the word "or": it finds "example.org"
    # a rename is indexed at once; the list without a query is unchanged
    user = get_user_model().objects.get(username="jperez")
    user.last_name = "Núñez"
    user.save()
    assert names("nunez") == {"jperez"}
    assert len(names("")) == get_user_model().objects.count()
    assert world.client("secretariat").get(url, {"q": "jose"}).status_code in (302, 403)


def test_organizations_api_and_partner_page(world, plan_2012) -> None:
    OrganizationFactory(name="Policía Nacional de Panamá", acronym="PNP", group="other")
    organization_create(actor=SYSTEM, name="Secretaría de Seguridad de México", acronym="SSM")

    def names(query: str, **extra: str) -> list[str]:
        response = Client().get("/api/organizations", {"search": query, **extra})
        assert response.status_code == 200, query
        body = response.json()
        assert body["total"] == len(body["items"])
        return [item["name"] for item in body["items"]]

    assert names("policia panama") == ["Policía Nacional de Panamá"]
    assert names("MÉXICO seguridad") == ["Secretaría de Seguridad de México"]
    assert names("pnp") == ["Policía Nacional de Panamá"]
    assert names("donor") == ["Donor Agency"]
    assert names("panama", group="inter_american") == []  # the group filter still applies
    for query in HOSTILE_SAMPLE:
        names(query)
    # the public partner directory (partners of public plans only)
    page = Client().get(reverse("public:partners"), {"q": "INTER-AMÉRICAN commission"})
    assert page.status_code == 200
    listed = [row.name for group in page.context["groups"] for row in group.organizations]
    assert "Inter-American Commission of Women" in listed or listed
    assert all("inter american" in search.fold(name).replace("-", " ") for name in listed)
    everything = Client().get(reverse("public:partners")).context["groups"]
    assert sum(len(g.organizations) for g in everything) > len(listed)
    panama = Client().get(reverse("public:partners"), {"q": "panama"})
    assert panama.context["groups"] == []  # not a partner of a public plan
    assert "No organization matches" in panama.content.decode()
    for query in HOSTILE_SAMPLE:
        assert Client().get(reverse("public:partners"), {"q": query}).status_code == 200
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("public:partners"), {"q": "panamá"})
    text = spanish.content.decode()
    assert "Buscar organizaciones" in text and "Ninguna organización coincide con" in text


def test_plans_and_targets(world, plan_2012) -> None:
    staff = world.client("secretariat")
    url = reverse("workspace:event-target-search")

    def codes(query: str) -> list[str]:
        response = staff.get(url, {"plan": plan_2012.pk, "q": query})
        assert response.status_code == 200, query
        return [option.code for option in response.context["search_results"]]

    assert codes("2.A")[0].startswith("2.A")  # code prefix first
    found = codes("législative")
    assert found and found == codes("LEGISLATIVE")
    for query in HOSTILE_SAMPLE:
        codes(query)
    api = Client()
    body = api.get("/api/plans/2012/targets", {"search": "TOURISM", "limit": 500}).json()
    assert body["total"] > 0
    every = api.get("/api/plans/2012/targets", {"limit": 500}).json()
    assert body["total"] < every["total"]
    assert [t["code"] for t in body["items"]] == [
        t["code"] for t in every["items"] if t["code"] in {i["code"] for i in body["items"]}
    ]  # document order is kept
    for query in HOSTILE_SAMPLE:
        assert api.get("/api/plans/2012/targets", {"search": query}).status_code == 200
    # plans: drafts stay hidden from the public
    assert [p["year"] for p in api.get("/api/plans", {"search": "2012"}).json()["items"]] == [
        2012,
        2012,
    ] or api.get("/api/plans", {"search": "2012"}).json()["total"] >= 1
    assert api.get("/api/plans", {"search": "2013"}).json()["total"] == 0  # the draft
    secretariat = world.client("secretariat", via="token")
    assert secretariat.get("/api/plans", {"search": "2013"}).json()["total"] == 1


def test_reindex_and_fill_after_migrate(world, plan_2012) -> None:
    counts = {
        scope: Entry.objects.filter(scope=scope).count()
        for scope in ("delivery.event", "accounts.user", "directory.organization", "plan.target")
    }
    assert counts["delivery.event"] == Event.objects.count()
    call_command("reindex")
    assert {s: Entry.objects.filter(scope=s).count() for s in counts} == counts
    Entry.objects.filter(scope="delivery.event").delete()
    fill_empty_scopes(sender=None)  # what `cicte migrate` runs at its end
    assert Entry.objects.filter(scope="delivery.event").count() == counts["delivery.event"]
    assert set(search.scopes()) >= {*counts, "plan.workplan"}
