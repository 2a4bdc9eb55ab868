"""Inject attachments through the pages: upload (type and size judged by the server),
listed on the MSEL, downloaded with a permission check (attachment, nosniff), and delivered
to players only when the inject is released to their team — never before, never to another
team, never to an outsider — through the feed, the participant link and the release mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cicte.exercises import services
from cicte.exercises.models import InjectAttachment
from tests.exercises.world import build_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% zqattachmentword\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str = "Port manifest.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_inject_attachments_reach_players_only_when_released(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    exercise = world.exercise
    future = world.injects["future_inject"]  # Alpha's, pending
    director = world.client("director")
    base = f"/exercises/{exercise.pk}"

    # A player, an observer, an outsider and the Secretariat may not upload.
    for role in ("player_alpha", "observer", "outsider", "secretariat"):
        world.client(role).post(f"{base}/msel/attachments/", {"inject": future.pk, "file": _pdf()})
    assert not InjectAttachment.objects.exists()

    # Bad input: a forbidden type (HTML named .pdf), too large, a released inject.
    director.post(
        f"{base}/msel/attachments/",
        {"inject": future.pk, "file": _pdf("x.pdf", b"<html><script>alert(1)</script>")},
    )
    settings.CICTE_EXERCISES_MAX_UPLOAD_BYTES = 10
    page = director.post(
        f"{base}/msel/attachments/", {"inject": future.pk, "file": _pdf()}, follow=True
    )
    assert "larger than the limit" in page.content.decode()
    settings.CICTE_EXERCISES_MAX_UPLOAD_BYTES = 1024 * 1024
    released = world.injects["released_alpha"]
    page = director.post(
        f"{base}/msel/attachments/", {"inject": released.pk, "file": _pdf()}, follow=True
    )
    assert not InjectAttachment.objects.exists()

    # The director attaches a PDF; the MSEL lists it.
    page = director.post(
        f"{base}/msel/attachments/", {"inject": future.pk, "file": _pdf()}, follow=True
    )
    assert "The document was attached to inject" in page.content.decode()
    doc = InjectAttachment.objects.get()
    assert doc.inject == future and doc.content_type == "application/pdf"
    assert "Port manifest.pdf" in director.get(f"{base}/msel/").content.decode()
    url = f"{base}/attachments/{doc.pk}/"
    x_url = f"/exercises/x/{world.bravo_token}/attachments/{doc.pk}/"
    response = director.get(url)
    assert response.status_code == 200 and _body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"

    # Before the release: nobody outside exercise staff gets it, on any path.
    for role in ("player_alpha", "observer", "outsider", "secretariat", "anonymous"):
        assert world.client(role).get(url).status_code in {302, 404}, role
        assert "Port manifest" not in world.client(role).get(f"{base}/play/").content.decode()
    assert world.client("anonymous").get(x_url).status_code == 404
    assert (
        "Port manifest"
        not in world.client("anonymous").get(f"/exercises/x/{world.bravo_token}/").content.decode()
    )

    # The controller releases the inject: Alpha's player gets the document with it.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        world.client("controller").post(f"{base}/injects/{future.pk}/release/")
    future.refresh_from_db()
    assert future.status == "released"
    feed = world.client("player_alpha").get(f"{base}/play/").content.decode()
    assert "Port manifest.pdf" in feed and url in feed
    response = world.client("player_alpha").get(url)
    assert response.status_code == 200 and _body(response) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert world.client("observer").get(url).status_code == 200  # the live feed's reader
    # Never to another team (Bravo, through its link), nor to outsiders.
    assert world.client("anonymous").get(x_url).status_code == 404
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("secretariat").get(url).status_code == 404
    # The release mail names the document (the players then open it on their feed).
    (message,) = [m for m in mail.outbox if "zebrafutureword" in m.subject]
    assert message.subject.startswith("[EXERCISE]") and "Port manifest.pdf" in message.body
    assert message.to == ["player_alpha@ex.test"]

    # Once released, the documents are fixed.
    director.post(f"{base}/msel/attachments/{doc.pk}/remove/")
    assert InjectAttachment.objects.filter(pk=doc.pk).exists()


def test_a_team_on_a_link_gets_its_documents_after_release(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    exercise = world.exercise
    inject = services.inject_add(
        actor=world.users["controller"],
        exercise=exercise,
        offset_minutes=60,
        title="Navy contingency",
        teams=[world.teams["bravo"]],
        method="document",
        content="See the attached chart.",
        contingency=True,
    )
    world.client("controller").post(
        f"/exercises/{exercise.pk}/msel/attachments/",
        {"inject": inject.pk, "file": _pdf("Chart.pdf")},
    )
    doc = InjectAttachment.objects.get(inject=inject)
    x_url = f"/exercises/x/{world.bravo_token}/attachments/{doc.pk}/"
    link = world.client("anonymous")
    assert link.get(x_url).status_code == 404
    assert "Chart.pdf" not in link.get(f"/exercises/x/{world.bravo_token}/").content.decode()
    # Removing and re-attaching is allowed while pending.
    world.client("controller").post(f"/exercises/{exercise.pk}/msel/attachments/{doc.pk}/remove/")
    assert not InjectAttachment.objects.filter(pk=doc.pk).exists()
    world.client("controller").post(
        f"/exercises/{exercise.pk}/msel/attachments/",
        {"inject": inject.pk, "file": _pdf("Chart.pdf")},
    )
    doc = InjectAttachment.objects.get(inject=inject)
    x_url = f"/exercises/x/{world.bravo_token}/attachments/{doc.pk}/"
    services.inject_release(actor=world.users["controller"], inject=inject)
    page = link.get(f"/exercises/x/{world.bravo_token}/").content.decode()
    assert "Chart.pdf" in page and x_url in page
    response = link.get(x_url)
    assert response.status_code == 200 and _body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Alpha's player is another team: not theirs.
    other = world.client("player_alpha").get(f"/exercises/{exercise.pk}/attachments/{doc.pk}/")
    assert other.status_code == 404
    # An expired link gets nothing.
    world.bravo.expires_at = world.bravo.created_at - dt.timedelta(days=1)
    world.bravo.save()
    assert link.get(x_url).status_code == 410
