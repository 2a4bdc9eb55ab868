"""The knowledge base's pages: "view as" (administrators only, read-only, audited), the
host workspace through the web, bad input on forms, Spanish pages."""

from __future__ import annotations

import pytest

from cicte.knowledge.models import (
    Document,
    MajorEvent,
    Subscription,
    ViewAsRecord,
    WorkspaceMessage,
)
from tests.knowledge.conftest import EXPECTED_DOCS, login, pdf
from tests.knowledge.test_leak_matrix import doc_tokens

pytestmark = pytest.mark.django_db


def test_view_as_a_person_shows_what_they_see_read_only_and_audited(client, leak_world):
    admin = login(client, leak_world, "admin")
    assert doc_tokens(client.get("/knowledge/").content.decode()) == EXPECTED_DOCS["admin"]
    response = client.post("/knowledge/view-as/", {"username": "poc-other"})
    assert response.status_code == 302
    record = ViewAsRecord.objects.get()
    assert record.administrator == admin and record.viewed == leak_world.users["poc_other"]
    html = client.get("/knowledge/").content.decode()
    assert doc_tokens(html) == EXPECTED_DOCS["poc_other"]
    assert "read-only" in html
    red = leak_world.docs["red"]
    assert client.get(f"/knowledge/documents/{red.pk}/").status_code == 200
    # No write while viewing as: refused, nothing written.
    before = Subscription.objects.count()
    assert client.post("/knowledge/subscriptions/", {"event_kind": "sports"}).status_code == 403
    lesson = leak_world.lessons["red"]
    assert client.post(f"/knowledge/lessons/{lesson.pk}/apply/", {"note": "x"}).status_code == 403
    assert Subscription.objects.count() == before
    assert not lesson.applications.exists()
    client.post("/knowledge/view-as/stop/")
    assert client.get(f"/knowledge/documents/{red.pk}/").status_code == 404


def test_view_as_a_role_and_the_anonymous_visitor(client, leak_world):
    login(client, leak_world, "admin")
    client.post("/knowledge/view-as/", {"role": "host_team"})
    html = client.get("/knowledge/").content.decode()
    assert doc_tokens(html) == EXPECTED_DOCS["team"]
    client.post("/knowledge/view-as/", {"role": "anonymous"})
    assert doc_tokens(client.get("/knowledge/").content.decode()) == EXPECTED_DOCS["anonymous"]
    assert ViewAsRecord.objects.count() == 2


@pytest.mark.parametrize("reader", ["staff", "poc_other", "team"])
def test_only_administrators_view_as(client, leak_world, reader):
    login(client, leak_world, reader)
    assert client.get("/knowledge/view-as/").status_code == 403
    client.post("/knowledge/view-as/", {"username": "poc-other"})
    assert not ViewAsRecord.objects.exists()
    assert doc_tokens(client.get("/knowledge/").content.decode()) == EXPECTED_DOCS[reader]


def test_host_workspace_on_the_web(client, leak_world):
    event = leak_world.events["validated"]
    login(client, leak_world, "team")
    page = client.get(f"/knowledge/events/{event.pk}/workspace/")
    assert page.status_code == 200
    client.post(f"/knowledge/events/{event.pk}/workspace/checklist/")
    html = client.get(f"/knowledge/events/{event.pk}/workspace/").content.decode()
    assert "<progress" in html and "0 of 14 items done" in html
    task = event.tasks.first()
    client.post(
        f"/knowledge/tasks/{task.pk}/",
        {f"task{task.pk}-status": "done", f"task{task.pk}-evidence": "Minutes"},
    )
    html = client.get(f"/knowledge/events/{event.pk}/workspace/").content.decode()
    assert "1 of 14 items done (7%)" in html
    client.post(f"/knowledge/events/{event.pk}/workspace/messages/", {"body": "Reunión el lunes"})
    assert WorkspaceMessage.objects.get().body == "Reunión el lunes"
    client.post(
        f"/knowledge/events/{event.pk}/workspace/documents/",
        {
            "file": pdf("Plan interno"),
            "title": "Internal plan",
            "kind": "plan",
            "language": "en",
            "area": "venues",
        },
    )
    internal = Document.objects.get(title="Internal plan")
    assert internal.host_team_only and internal.tlp == "red"
    # Other readers: not even the page.
    for reader in ("poc_other", "staff", "admin", "poc_host"):
        login(client, leak_world, reader)
        assert client.get(f"/knowledge/events/{event.pk}/workspace/").status_code == 404
        response = client.post(
            f"/knowledge/events/{event.pk}/workspace/messages/", {"body": "Intruder"}
        )
        assert response.status_code in (302, 404)
    assert not WorkspaceMessage.objects.filter(body="Intruder").exists()


def test_bad_upload_on_the_form_names_the_problem(client, leak_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, leak_world, "poc_other")
    response = client.post(
        "/knowledge/documents/new/",
        {
            "file": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf"),
            "title": "Bad file",
            "kind": "plan",
            "language": "en",
            "area": "venues",
            "tlp": "green",
            "audience_kind": "community",
        },
    )
    assert response.status_code == 200
    assert "Only PDF, DOCX, ODT and HTML" in response.content.decode()
    assert not Document.objects.filter(title="Bad file").exists()


def test_register_an_event_on_the_web(client, leak_world):
    login(client, leak_world, "poc_host")
    response = client.post(
        "/knowledge/events/new/",
        {
            "name": "Juegos del Caribe",
            "kind": "sports",
            "host_state": "JAM",
            "starts_on": "2027-07-01",
            "ends_on": "2027-07-10",
            "expected_attendance": "50000",
        },
    )
    assert response.status_code == 302
    assert MajorEvent.objects.get(name="Juegos del Caribe").status == "submitted"
    response = client.post(
        "/knowledge/events/new/",
        {
            "name": "Backwards",
            "kind": "sports",
            "host_state": "JAM",
            "starts_on": "2027-07-10",
            "ends_on": "2027-07-01",
        },
    )
    assert "The event ends before it starts." in response.content.decode()
    assert not MajorEvent.objects.filter(name="Backwards").exists()


def test_pages_in_spanish(client, leak_world):
    client.cookies["django_language"] = "es"
    html = client.get("/knowledge/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Base de conocimientos" in html
    html = client.get("/knowledge/events/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Registro de grandes eventos" in html


def test_exercise_report_page_links_the_release_and_then_the_lesson(client):
    """The director of a final after-action report finds "release to the knowledge base" on
    the report's page, releases it through the web, and the page then links the lesson; an
    evaluator of the same exercise is offered no release."""
    from cicte.exercises import services as exercise_services
    from cicte.knowledge.models import Lesson
    from tests.exercises.world import build_world

    world = build_world()
    director = world.users["director"]
    page = f"/exercises/{world.exercise.pk}/report/"
    release = f"/knowledge/exercises/{world.exercise.pk}/release/"
    client.force_login(director)
    assert release not in client.get(page).content.decode()  # a draft is not released
    exercise_services.exercise_control(actor=director, exercise=world.exercise, action="end")
    exercise_services.report_finalize(actor=director, report=world.report)
    assert release in client.get(page).content.decode()
    client.force_login(world.users["evaluator"])
    assert release not in client.get(page).content.decode()
    client.force_login(director)
    response = client.post(
        release, {"title": "Port tabletop", "area": "training", "language": "en"}
    )
    lesson = Lesson.objects.get(source_exercise_report=world.report)
    assert response.status_code == 302 and response["Location"] == lesson.get_absolute_url()
    html = client.get(page).content.decode()
    assert lesson.get_absolute_url() in html and release not in html
