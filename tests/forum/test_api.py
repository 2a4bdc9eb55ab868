"""/api/forum/: writes go through the same services (same refusals, nothing written), and
pages speak Spanish."""

from __future__ import annotations

import pytest

from cicte.forum.models import Post, Thread

pytestmark = pytest.mark.django_db


def test_api_thread_and_reply(forum_world):
    api = forum_world.token_client("author")
    created = api.post(
        "/api/forum/threads",
        {
            "community": "csirts",
            "title": "Via the API",
            "body": "text",
            "tlp": "amber",
            "audience": "organisations",
            "organisations": [forum_world.teams["B"].pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    reply = forum_world.token_client("named").post(
        f"/api/forum/threads/{pk}/posts", {"body": "ok"}, content_type="application/json"
    )
    assert reply.status_code == 201
    assert (
        forum_world.token_client("other_member").get(f"/api/forum/threads/{pk}").status_code == 404
    )


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"tlp": "red", "audience": "community"}, 422, "audience_not_allowed"),
        ({"tlp": "amber", "audience": "organisations"}, 422, "organisations_required"),
        (
            {"tlp": "green", "audience": "community", "community": "other"},
            403,
            "permission_denied",
        ),
        ({"tlp": "green", "audience": "community", "community": "nope"}, 404, "not_found"),
    ],
)
def test_api_bad_input_writes_nothing(forum_world, payload, status, code):
    before = (Thread.objects.count(), Post.objects.count())
    body = {"community": "csirts", "title": "Bad", "body": "x", **payload}
    response = forum_world.token_client("author").post(
        "/api/forum/threads", body, content_type="application/json"
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert (Thread.objects.count(), Post.objects.count()) == before


def test_api_reply_cannot_widen(forum_world):
    thread = forum_world.threads[("amber", "organisations")]
    response = forum_world.token_client("named").post(
        f"/api/forum/threads/{thread.pk}/posts",
        {"body": "wider", "tlp": "green", "audience": "community"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "widens_audience"
    assert thread.posts.count() == 1


def test_pages_in_spanish(forum_world):
    client = forum_world.client("named")
    page = client.get("/forum/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Foro de CSIRT y plataforma de partes interesadas" in page
    assert "Hilos que puede leer" in page
    thread = forum_world.threads[("amber", "organisations")]
    detail = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Exportar como STIX 2.1" in detail and "Organizaciones nombradas" in detail


def test_new_member_pages_in_spanish(forum_world):
    client = forum_world.client("stakeholder")
    for url, text in (
        ("/forum/reshare/", "Solicitudes para compartir más ampliamente"),
        ("/forum/submissions/", "Sus envíos"),
        ("/forum/communities/finance/submit/", "Enviar al anfitrión"),
        ("/forum/preferences/", "Enviarme de inmediato las alertas"),
        (f"/forum/directory/{forum_world.teams['Bank'].pk}/edit/", "Clave pública PGP"),
    ):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert text in page, url
