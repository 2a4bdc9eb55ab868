"""The knowledge base's leak world: ONE fixture with documents and lessons of every marking
× audience (and a host workspace document, an unpublished lesson), three registry entries
(waiting, validated, public) and a reader of every kind. ``EXPECTED`` says which items each
reader may see; tests/knowledge/test_leak_matrix.py walks every path with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cicte.access.models import Role
from cicte.core.types import SYSTEM
from cicte.directory.models import MemberState
from cicte.knowledge import extraction, permissions, services
from cicte.knowledge.models import Document, Lesson, MajorEvent
from cicte.sharing import services as sharing_services
from cicte.sharing.models import Community, SharingOrganisation
from tests.accounts.factories import user_with_role
from tests.strategies.documents import make_docx, make_pdf

READERS = ("anonymous", "poc_host", "poc_other", "team", "csirt", "staff", "admin", "donor")

#: Item keys (letters only: one search word each).
DOCS = ("clearpublic", "clearcommunity", "green", "amber", "amberstrict", "red", "workspace")
LESSONS = (
    "clearpublic",
    "clearcommunity",
    "green",
    "amber",
    "amberstrict",
    "red",
    "unpublished",
)
EVENTS = ("waiting", "validated", "public")

_ALL_NETWORK = {"clearpublic", "clearcommunity", "green", "amber", "amberstrict", "red"}

#: Which documents each reader sees (the rule, written out; administrators get no bypass).
EXPECTED_DOCS: dict[str, set[str]] = {
    "anonymous": {"clearpublic"},
    "poc_host": {"clearpublic"},
    "poc_other": set(_ALL_NETWORK),  # network member, of the named organisation, named person
    "team": {"clearpublic", "workspace"},
    "csirt": {"clearpublic"},
    "staff": {"clearpublic"},
    "admin": {"clearpublic"},
    "donor": {"clearpublic"},
}
#: Published lessons each reader sees (search, lists, feed, API list, digest).
EXPECTED_LESSONS: dict[str, set[str]] = {
    **{reader: {"clearpublic"} for reader in READERS},
    "poc_other": set(_ALL_NETWORK),
}
#: Lesson pages (an unpublished lesson: its originator, the event's host team, the
#: Secretariat who validate it).
EXPECTED_LESSON_PAGES: dict[str, set[str]] = {
    reader: EXPECTED_LESSONS[reader]
    | ({"unpublished"} if reader in ("team", "staff", "admin") else set())
    for reader in READERS
}
EXPECTED_EVENTS: dict[str, set[str]] = {
    "anonymous": {"public"},
    "poc_host": {"waiting", "validated", "public"},  # the host state's points of contact
    "poc_other": {"validated", "public"},  # the network sees validated entries
    "team": {"validated", "public"},
    "csirt": {"public"},
    "staff": {"waiting", "validated", "public"},  # the Secretariat validates
    "admin": {"waiting", "validated", "public"},
    "donor": {"public"},
}


def pdf(text: str, name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(text), content_type="application/pdf")


def docx(text: str, name: str = "plan.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_docx(text))


def grant(user: Any, organisation: SharingOrganisation, community: Community) -> None:
    sharing_services.membership_grant(
        actor=SYSTEM, community=community, user=user, organisation=organisation
    )


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, Document] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    events: dict[str, MajorEvent] = field(default_factory=dict)
    network: Any = None

    def reader(self, name: str) -> Any:
        return self.users.get(name)


def login(client: Any, world: World, reader: str) -> Any:
    client.logout()
    user = world.reader(reader)
    if user is not None:
        client.force_login(user)
    return user


def today() -> dt.date:
    return timezone.localdate()


def make_event(
    actor: Any, name: str, *, kind: str = "summit", state: str = "JAM", past: bool = False
) -> MajorEvent:
    start = today() + dt.timedelta(days=-30 if past else 60)
    return services.event_register(
        actor=actor,
        name=name,
        kind=kind,
        host_state=MemberState.objects.get(code=state),
        starts_on=start,
        ends_on=start + dt.timedelta(days=3),
        expected_attendance=20000,
        cities="Kingston",
    )


@pytest.fixture
def network(db) -> Community:
    return permissions.network_community()


@pytest.fixture
def leak_world(db, network, settings) -> World:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The API takes an administrator's session only after two-factor sign-in.
    settings.CICTE_OTP_REQUIRED_FOR_ADMINISTRATORS = False
    world = World(network=network)
    csirt_community = sharing_services.community_create(
        actor=SYSTEM, slug="csirt-americas", name="CSIRT Americas", kind="csirt"
    )
    org = {
        name: SharingOrganisation.objects.create(name=name, kind="government")
        for name in ("Author agency", "Other agency", "National CSIRT")
    }
    u = world.users
    u["author"] = user_with_role(None, username="author", email="author@example.org")
    grant(u["author"], org["Author agency"], network)
    u["poc_host"] = user_with_role(
        Role.POINT_OF_CONTACT, username="poc-host", member_state="JAM", email="host@example.org"
    )
    u["poc_other"] = user_with_role(
        Role.POINT_OF_CONTACT, username="poc-other", member_state="COL", email="col@example.org"
    )
    grant(u["poc_other"], org["Other agency"], network)
    u["team"] = user_with_role(None, username="team", email="team@example.org")
    u["csirt"] = user_with_role(None, username="csirt", email="csirt@example.org")
    grant(u["csirt"], org["National CSIRT"], csirt_community)
    u["staff"] = user_with_role(Role.SECRETARIAT, username="staff", email="staff@example.org")
    u["admin"] = user_with_role(Role.ADMINISTRATOR, username="admin", email="admin@example.org")
    u["donor"] = user_with_role(Role.DONOR, username="donor", email="donor@example.org")

    ev = world.events
    ev["waiting"] = make_event(u["poc_host"], "Leakevent waiting summit")
    ev["validated"] = make_event(u["poc_host"], "Leakevent validated summit")
    ev["public"] = make_event(u["poc_host"], "Leakevent public summit")
    for key in ("validated", "public"):
        services.event_validate(actor=u["staff"], event=ev[key])
    services.event_set_public(actor=u["poc_host"], event=ev["public"], public=True)
    # The host team of the validated event: the focal point (lead) adds a planner; the
    # focal point then steps out so the host-state reader is not a team member.
    services.team_add(actor=u["poc_host"], event=ev["validated"], user=u["team"], role="lead")
    seat = ev["validated"].team.get(user=u["poc_host"])
    services.team_remove(actor=u["team"], seat=seat)
    for key in ("waiting", "public"):
        services.team_remove(actor=SYSTEM, seat=ev[key].team.get(user=u["poc_host"]))

    markings = {
        "clearpublic": ("clear", "public", [], []),
        "clearcommunity": ("clear", "community", [], []),
        "green": ("green", "community", [], []),
        "amber": ("amber", "organisations", [org["Other agency"]], []),
        "amberstrict": ("amber+strict", "organisations", [org["Other agency"]], []),
        "red": ("red", "people", [], [u["poc_other"]]),
    }
    docs = world.docs
    for key, (tlp, kind, orgs, people) in markings.items():
        docs[key] = services.document_create(
            actor=u["author"],
            file=pdf(f"Plan de seguridad {key}body"),
            title=f"Leakdoc {key} kmsleak",
            kind="plan",
            language="es",
            area="venues",
            tlp=tlp,
            audience_kind=kind,
            organisations=orgs,
            people=people,
            event=ev["public"],
            relations=[docs["clearpublic"]] if key != "clearpublic" else [],
        )
    docs["workspace"] = services.document_create(
        actor=u["team"],
        file=docx("Plan interno workspacebody"),
        title="Leakdoc workspace kmsleak",
        kind="plan",
        language="es",
        area="venues",
        event=ev["validated"],
        host_team_only=True,
    )
    Document.relations.through.objects.create(
        from_document=docs["workspace"], to_document=docs["clearpublic"]
    )
    for document in docs.values():
        extraction.document_extract(document_id=document.pk, number=1)

    lessons = world.lessons
    for key, (tlp, kind, orgs, people) in markings.items():
        lesson = services.lesson_submit(
            actor=u["author"],
            title=f"Leaklesson {key} kmsleak",
            observation=f"Observación {key}obs",
            recommendation="Recomendación",
            area="venues",
            language="es",
            event=ev["public"],
            source_document=docs["clearpublic"],
            tlp=tlp,
            audience_kind=kind,
            organisations=orgs,
            people=people,
        )
        services.lesson_validate(actor=u["staff"], lesson=lesson)
        lessons[key] = services.lesson_publish(actor=u["staff"], lesson=lesson)
    lessons["unpublished"] = services.lesson_submit(
        actor=u["team"],
        title="Leaklesson unpublished kmsleak",
        observation="Observación unpublishedobs",
        recommendation="Recomendación",
        area="venues",
        language="es",
        event=ev["validated"],
    )
    for name in READERS:
        if name != "anonymous":
            services.subscription_add(actor=u[name], event_kind="summit")
    from cicte.knowledge.models import Subscription

    Subscription.objects.update(last_sent_at=timezone.now() - dt.timedelta(days=1))
    return world
