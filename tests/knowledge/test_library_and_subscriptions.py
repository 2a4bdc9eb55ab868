"""Points of issue 15 the other modules did not show on their own, each through the web or
the API: a document's Dublin Core on its page and in the API, and no public media URL for
its file; search in French and Portuguese with accents and case ignored, and the four
facets; a subscription to a country on the web and the scheduled digest job; the knowledge
API in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string

from cicte.knowledge import services
from cicte.knowledge.models import Document, Subscription
from tests.knowledge.conftest import docx, login, make_event, pdf

pytestmark = pytest.mark.django_db


def test_dublin_core_on_the_page_and_in_the_api_and_no_public_media_url(
    client, leak_world, django_capture_on_commit_callbacks
):
    login(client, leak_world, "poc_other")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/knowledge/documents/new/",
            {
                "file": pdf("Ley de seguridad de eventos"),
                "title": "Major events security act",
                "kind": "legislation",
                "language": "en",
                "area": "legal",
                "country": "JAM",
                "creator": "Parliament of Jamaica",
                "subject": "Security of major events",
                "publisher": "Government printer",
                "date": "2011-05-02",
                "rights": "Public domain",
                "tlp": "clear",
                "audience_kind": "public",
            },
        )
    assert response.status_code == 302
    document = Document.objects.get(title="Major events security act")
    stored = document.versions.get().file.name

    html = client.get(document.get_absolute_url()).content.decode()
    dublin_core = html.split("Dublin Core</h2>", 1)[1].split("</dl>", 1)[0]
    for shown in (
        "Parliament of Jamaica",
        "Security of major events",
        "Government printer",
        "2011-05-02",
        "Public domain",
        "application/pdf",
        "JAM",
        document.identifier,
    ):
        assert shown in dublin_core, shown
    api = client.get(f"/api/knowledge/documents/{document.pk}").json()
    assert document.identifier.startswith("urn:uuid:")
    assert api["identifier"] == document.identifier
    assert (api["creator"], api["publisher"], api["date"], api["rights"]) == (
        "Parliament of Jamaica",
        "Government printer",
        "2011-05-02",
        "Public domain",
    )
    assert (api["type"], api["language"], api["coverage"]) == ("legislation", "en", "JAM")
    assert api["versions"][0]["format"] == "application/pdf"

    # The file is reached only through the checked download, never by a media URL.
    for text in (html, str(api)):
        assert settings.MEDIA_URL not in text and stored not in text
    assert api["versions"][0]["url"] == f"/knowledge/documents/{document.pk}/v1/download/"
    client.logout()
    assert client.get(f"{settings.MEDIA_URL}{stored}").status_code == 404
    assert client.get(api["versions"][0]["url"]).status_code == 200  # public: downloadable


@pytest.mark.parametrize(
    ("language", "title", "text", "query"),
    [
        (
            "fr",
            "Sécurité des grands événements",
            "Contrôle d'accès à la zone",
            "securite EVENEMENTS",
        ),
        ("fr", "Plan de sûreté", "Coordination interministérielle élargie", "INTERMINISTERIELLE"),
        ("pt", "Segurança de grandes eventos", "Proteção de dignitários", "seguranca Eventos"),
        ("pt", "Plano da Copa", "Gestão de multidões e evacuação", "GESTAO evacuacao"),
    ],
)
def test_search_in_french_and_portuguese_ignores_accents_and_case(
    client, leak_world, language, title, text, query
):
    author = leak_world.users["author"]
    document = services.document_create(
        actor=author,
        file=docx(text),
        title=title,
        kind="guide",
        language=language,
        area="coordination",
        tlp="clear",
        audience_kind="public",
        event=leak_world.events["public"],
    )
    from cicte.knowledge import extraction

    assert extraction.document_extract(document_id=document.pk, number=1) == "done"
    html = client.get("/knowledge/", {"q": query}).content.decode()
    assert title in html, query
    found = client.get("/api/knowledge/search", {"q": query}).json()
    assert [i["title"] for i in found["documents"]["items"]] == [title]
    facets = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in found["facets"]}
    assert facets == {
        "event_kind": {"summit": 1},
        "country": {"JAM": 1},
        "area": {"coordination": 1},
        "language": {language: 1},
    }
    filtered = client.get("/api/knowledge/search", {"q": query, "language": "es"}).json()
    assert filtered["documents"]["items"] == []


def test_subscription_to_a_country_on_the_web_and_the_scheduled_digest(client, leak_world):
    from cicte.ops import schedule

    u = leak_world.users
    reader = login(client, leak_world, "poc_other")
    for subscription in Subscription.objects.filter(user=reader):  # the world's "summit"
        client.post(f"/knowledge/subscriptions/{subscription.pk}/remove/")
    assert not Subscription.objects.filter(user=reader).exists()
    response = client.post("/knowledge/subscriptions/", {"country": "JAM"})
    assert response.status_code == 302
    page = client.get("/knowledge/subscriptions/").content.decode()
    assert "JAM" in page
    # An empty subscription is refused, nothing written.
    client.post("/knowledge/subscriptions/", {"event_kind": "", "country": ""})
    assert Subscription.objects.filter(user=reader).count() == 1

    colombia = make_event(u["poc_other"], "Juegos de Colombia", kind="sports", state="COL")
    for title, event in (
        ("Jamaica venue plan", leak_world.events["public"]),
        ("Bogota plan", colombia),
    ):
        services.document_create(
            actor=u["author"],
            file=pdf(title),
            title=title,
            kind="plan",
            language="en",
            area="venues",
            tlp="clear",
            audience_kind="public",
            event=event,
        )
    entry = schedule.REGISTRY["knowledge-digest"]
    assert entry.function == "cicte.knowledge.tasks.send_digests"
    mail.outbox.clear()
    job = import_string(entry.function).enqueue(label="Knowledge base digests")
    job.refresh_from_db()
    assert job.status == "succeeded", job.status
    body = next(m.body for m in mail.outbox if m.to == [reader.email])
    assert "Jamaica venue plan" in body and "Bogota plan" not in body


def test_knowledge_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/knowledge/events",
        "/api/knowledge/events/{pk}",
        "/api/knowledge/documents",
        "/api/knowledge/documents/{pk}",
        "/api/knowledge/lessons",
        "/api/knowledge/lessons/{pk}",
        "/api/knowledge/checklists",
        "/api/knowledge/search",
    ):
        assert path in paths, path
    assert "post" in paths["/api/knowledge/events"]


def test_only_the_secretariat_validates_and_publishes_lessons(client, leak_world):
    from cicte.knowledge.models import Lesson

    lesson = leak_world.lessons["unpublished"]  # submitted by the host team, who read it
    url = f"/knowledge/lessons/{lesson.pk}/"
    for reader in ("team", "poc_other", "poc_host"):
        login(client, leak_world, reader)
        client.post(f"{url}validate/", follow=True)
        assert Lesson.objects.get(pk=lesson.pk).status == "submitted", reader
    login(client, leak_world, "staff")
    client.post(f"{url}validate/")
    assert Lesson.objects.get(pk=lesson.pk).status == "validated"
    login(client, leak_world, "team")
    client.post(f"{url}publish/", follow=True)
    assert Lesson.objects.get(pk=lesson.pk).status == "validated"
    login(client, leak_world, "staff")
    response = client.post(f"{url}publish/", follow=True)
    assert "The lesson is published to its audience." in response.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).status == "published"
