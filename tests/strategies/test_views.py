"""The pages through the web client: the submission form, verification, profile, compare,
filters, search with any accents and case, exports and the tile map."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from cicte.core.types import SYSTEM
from cicte.strategies import services
from cicte.strategies.models import PolicyDocument
from tests.strategies.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _published(world, code="JAM", **kw):
    users = {"JAM": "poc_jam", "COL": "poc_col"}
    args = {
        "kind": "strategy",
        "title": "National Cyber Security Strategy",
        "status": "adopted",
        "adopted_on": dt.date(2015, 3, 1),
    }
    args.update(kw)
    document = services.document_submit(
        actor=world.users[users.get(code, "officer")] if code in users else SYSTEM,
        jurisdiction=world.jurisdiction(code),
        **args,
    )
    return services.document_publish(actor=SYSTEM, document=document)


def test_point_of_contact_submits_with_pdf_and_staff_publish(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    poc = _client(world.users["poc_jam"])
    page = poc.get(reverse("strategies:submit"))
    assert page.status_code == 200
    # Only their own state is offered.
    assert b'value="JAM"' in page.content and b'value="COL"' not in page.content
    response = poc.post(
        reverse("strategies:submit"),
        {
            "jurisdiction": "JAM",
            "kind": "strategy",
            "title": "National Cyber Security Strategy",
            "language": "en",
            "translations": "es: Estrategia Nacional de Ciberseguridad",
            "status": "adopted",
            "adopted_on": "2015-03-01",
            "lead_agency": "Ministry of Science, Energy and Technology",
            "dimensions": ["D1", "D4"],
            "pillars": ["legal"],
            "archive": pdf_upload(),
            "submit": "on",
        },
    )
    document = PolicyDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.review == "submitted"
    assert _client().get(document.get_absolute_url()).status_code == 404
    # Another state's point of contact: a 404 too (existence is not revealed).
    assert _client(world.users["poc_col"]).get(document.get_absolute_url()).status_code == 404
    officer = _client(world.users["officer"])
    queue = officer.get(reverse("workspace:strategies-queue"))
    assert document.title.encode() in queue.content
    page = officer.get(document.get_absolute_url())
    assert b"Verify and publish" in page.content
    officer.post(reverse("strategies:verify", args=[document.pk]), {"action": "publish"})
    document.refresh_from_db()
    assert document.review == "published"
    public = _client().get(document.get_absolute_url())
    assert public.status_code == 200
    assert document.archive_sha256.encode() in public.content
    download = _client().get(reverse("strategies:archive", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_another_states_point_of_contact_cannot_post_for_jamaica(world):
    poc = _client(world.users["poc_col"])
    response = poc.post(
        reverse("strategies:submit"),
        {
            "jurisdiction": "JAM",
            "kind": "strategy",
            "title": "X",
            "language": "en",
            "status": "adopted",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert b"Select a valid choice" in response.content
    assert not PolicyDocument.objects.exists()
    assert _client(world.users["no_role"]).get(reverse("strategies:submit")).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "estrategia nacional",
        "ESTRATEGIA NACIONAL",
        "Estrategía Nacionál",
        "jamaica",
        "JAMAÏCA",
        "Jamaïca",
        "ciberseguridad",
    ],
)
def test_search_ignores_accents_and_case(world, query):
    _published(world, translations={"es": "Estrategia Nacional de Ciberseguridad"})
    _published(
        world, "COL", title="Política Nacional de Seguridad Digital", kind="policy", language="es"
    )
    page = _client().get(reverse("strategies:index"), {"q": query})
    assert b"National Cyber Security Strategy" in page.content
    assert "Política Nacional".encode() not in page.content


def test_filters(world):
    _published(world, dimensions=["D1"], pillars=["legal"])
    _published(
        world, "COL", title="Ley 1273", kind="law", language="es", adopted_on=dt.date(2009, 1, 5)
    )
    index = reverse("strategies:index")
    for params, expected, absent in [
        ({"kind": "law"}, "Ley 1273", "National Cyber"),
        ({"year": "2015"}, "National Cyber", "Ley 1273"),
        ({"language": "es"}, "Ley 1273", "National Cyber"),
        ({"dimension": "D1"}, "National Cyber", "Ley 1273"),
        ({"pillar": "legal"}, "National Cyber", "Ley 1273"),
        ({"status": "adopted", "jurisdiction": "COL"}, "Ley 1273", "National Cyber"),
    ]:
        body = _client().get(index, params).content.decode()
        assert expected in body and absent not in body, params


def test_profile_compare_and_exports(world):
    jam = _published(world, translations={"es": "Estrategia Nacional"})
    _published(world, "COL", title="Política Nacional de Seguridad Digital", language="es")
    profile = _client().get(reverse("strategies:profile", args=["jam"]))
    assert profile.status_code == 200 and b"National Cyber Security Strategy" in profile.content
    compare = _client().get(reverse("strategies:compare"), {"j": ["JAM", "COL", "PAN", "MEX"]})
    body = compare.content.decode()
    assert "Jamaica" in body and "Colombia" in body and "Panam" in body
    assert "At most three" in body and 'id="cmp-MEX"' not in body
    rows = list(
        csv.DictReader(
            io.StringIO(
                _client().get(reverse("strategies:documents-csv")).content.decode("utf-8-sig")
            )
        )
    )
    assert {r["jurisdiction"] for r in rows} == {"JAM", "COL"}
    assert next(r for r in rows if r["jurisdiction"] == "JAM")["title_es"] == "Estrategia Nacional"
    profile_json = json.loads(
        b"".join([_client().get(reverse("strategies:profile-json", args=["JAM"])).content])
    )
    assert profile_json["documents"][0]["id"] == jam.pk
    graph = json.loads(_client().get(reverse("strategies:documents-jsonld")).content)
    record = next(r for r in graph["@graph"] if r["dcterms:coverage"] == "JAM")
    assert {"@value": "Estrategia Nacional", "@language": "es"} in record["dcterms:title"]
    assert graph["@context"]["dcterms"] == "http://purl.org/dc/terms/"


def test_tile_map_coloured_by_status(world):
    _published(world)
    _published(world, "COL", status="in_progress", title="Borrador")
    body = _client().get(reverse("strategies:index")).content.decode()
    assert body.count("<rect x=") >= 35
    assert 'aria-label="JAM Jamaica: National strategy adopted or in force"' in body
    assert 'aria-label="COL Colombia: Strategy in progress"' in body
    assert "Panamá: Nothing recorded" in body or "Panama: Nothing recorded" in body
    assert "The map as a table" in body


def test_spanish_pages(world):
    _published(world)
    client = _client()
    client.cookies["django_language"] = "es"
    body = client.get(reverse("strategies:index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Estrategias de ciberseguridad" in body
    assert "Buscar en las estrategias" in body
