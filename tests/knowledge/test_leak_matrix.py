"""Every path of the knowledge base shows each reader exactly what ``visible_to`` allows:
lists, pages, counts, facets, search (metadata and extracted text), autocomplete, related
items, backlinks, the Atom feed, the API (lists, details, search), the CSV/XLSX exports, the
digest e-mail and the attachment download — for every kind of reader (the world is in
conftest.py: every marking × audience, a host workspace document, an unpublished lesson)."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from openpyxl import load_workbook

from cicte.knowledge import notifications
from tests.knowledge.conftest import (
    DOCS,
    EVENTS,
    EXPECTED_DOCS,
    EXPECTED_EVENTS,
    EXPECTED_LESSON_PAGES,
    EXPECTED_LESSONS,
    LESSONS,
    READERS,
    login,
)


def doc_tokens(text: str) -> set[str]:
    return {key for key in DOCS if f"Leakdoc {key} kmsleak" in text}


def lesson_tokens(text: str) -> set[str]:
    return {key for key in LESSONS if f"Leaklesson {key} kmsleak" in text}


def _each_reader(client, leak_world):
    for reader in READERS:
        login(client, leak_world, reader)
        yield reader


def test_library_list(client, leak_world):
    for reader in _each_reader(client, leak_world):
        html = client.get("/knowledge/").content.decode()
        assert doc_tokens(html) == EXPECTED_DOCS[reader], reader
        assert lesson_tokens(html) == EXPECTED_LESSONS[reader], reader


def test_counts(client, leak_world):
    for reader in _each_reader(client, leak_world):
        html = client.get("/knowledge/").content.decode()
        shown = re.search(r'id="documents-title">(\d+) document', html)
        assert shown and int(shown.group(1)) == len(EXPECTED_DOCS[reader]), reader
        total = client.get("/api/knowledge/documents").json()["total"]
        assert total == len(EXPECTED_DOCS[reader]), reader
        assert client.get("/api/knowledge/lessons").json()["total"] == len(
            EXPECTED_LESSONS[reader]
        ), reader


def test_facets(client, leak_world):
    for reader in _each_reader(client, leak_world):
        facets = client.get("/api/knowledge/search?q=kmsleak").json()["facets"]
        for facet in facets:
            assert sum(v["count"] for v in facet["values"]) == len(EXPECTED_DOCS[reader]), (
                reader,
                facet,
            )
        html = client.get("/knowledge/?q=kmsleak").content.decode()
        count = len(EXPECTED_DOCS[reader])
        assert "Planning-model area</h3>" in html
        assert f"({count})" in html, reader


def test_search_metadata_and_extracted_text(client, leak_world):
    for reader in _each_reader(client, leak_world):
        html = client.get("/knowledge/?q=KMSLEAK").content.decode()
        assert doc_tokens(html) == EXPECTED_DOCS[reader], reader
        assert lesson_tokens(html) == EXPECTED_LESSONS[reader], reader
        # The extracted text is found by its readers only.
        for key in DOCS:
            html = client.get(f"/knowledge/?q={key}body").content.decode()
            assert doc_tokens(html) == ({key} & EXPECTED_DOCS[reader]), (reader, key)


def test_autocomplete(client, leak_world):
    for reader in _each_reader(client, leak_world):
        found = client.get("/knowledge/autocomplete/?q=leakdoc").json()["results"]
        assert doc_tokens(" ".join(r["title"] for r in found)) == EXPECTED_DOCS[reader], reader
        found = client.get("/knowledge/autocomplete/?q=leaklesson").json()["results"]
        assert lesson_tokens(" ".join(r["title"] for r in found)) == EXPECTED_LESSONS[reader]


def test_document_pages(client, leak_world):
    for reader in _each_reader(client, leak_world):
        for key, document in leak_world.docs.items():
            status = client.get(f"/knowledge/documents/{document.pk}/").status_code
            assert status == (200 if key in EXPECTED_DOCS[reader] else 404), (reader, key)


def test_lesson_and_event_pages(client, leak_world):
    for reader in _each_reader(client, leak_world):
        for key, lesson in leak_world.lessons.items():
            status = client.get(f"/knowledge/lessons/{lesson.pk}/").status_code
            assert status == (200 if key in EXPECTED_LESSON_PAGES[reader] else 404), (reader, key)
        for key, event in leak_world.events.items():
            status = client.get(f"/knowledge/events/{event.pk}/").status_code
            assert status == (200 if key in EXPECTED_EVENTS[reader] else 404), (reader, key)
        html = client.get("/knowledge/events/").content.decode()
        shown = {key for key in EVENTS if f"Leakevent {key} summit" in html}
        assert shown == EXPECTED_EVENTS[reader], reader


def test_related_and_backlinks(client, leak_world):
    public = leak_world.docs["clearpublic"]
    for reader in _each_reader(client, leak_world):
        html = client.get(f"/knowledge/documents/{public.pk}/").content.decode()
        related = html.split("Related documents", 1)[1].split("What links here", 1)[0]
        backlinks = html.split("What links here", 1)[1]
        expected = EXPECTED_DOCS[reader] - {"clearpublic"}
        assert doc_tokens(related) == expected, reader
        assert doc_tokens(backlinks) == expected, reader
        assert lesson_tokens(backlinks) == EXPECTED_LESSONS[reader], reader


def test_related_lessons(client, leak_world):
    public = leak_world.lessons["clearpublic"]
    for reader in _each_reader(client, leak_world):
        html = client.get(f"/knowledge/lessons/{public.pk}/").content.decode()
        related = html.split("Related lessons", 1)[1]
        assert lesson_tokens(related) == EXPECTED_LESSONS[reader] - {"clearpublic"}, reader


def test_atom_feed(client, leak_world):
    for reader in _each_reader(client, leak_world):
        response = client.get("/knowledge/feed.atom")
        assert response["Content-Type"].startswith("application/atom+xml")
        text = response.content.decode()
        assert doc_tokens(text) == EXPECTED_DOCS[reader], reader
        assert lesson_tokens(text) == EXPECTED_LESSONS[reader], reader


def test_api_lists_details_and_search(client, leak_world):
    for reader in _each_reader(client, leak_world):
        items = client.get("/api/knowledge/documents?q=kmsleak").json()["items"]
        assert doc_tokens(" ".join(i["title"] for i in items)) == EXPECTED_DOCS[reader], reader
        items = client.get("/api/knowledge/lessons").json()["items"]
        assert lesson_tokens(" ".join(i["title"] for i in items)) == EXPECTED_LESSONS[reader]
        found = client.get("/api/knowledge/search?q=kmsleak").json()
        assert (
            doc_tokens(" ".join(i["title"] for i in found["documents"]["items"]))
            == (EXPECTED_DOCS[reader])
        )
        events = client.get("/api/knowledge/events").json()
        assert {k for k in EVENTS if f"Leakevent {k} summit" in str(events)} == (
            EXPECTED_EVENTS[reader]
        ), reader
        for key, document in leak_world.docs.items():
            status = client.get(f"/api/knowledge/documents/{document.pk}").status_code
            assert status == (200 if key in EXPECTED_DOCS[reader] else 404), (reader, key)
        for key, lesson in leak_world.lessons.items():
            status = client.get(f"/api/knowledge/lessons/{lesson.pk}").status_code
            assert status == (200 if key in EXPECTED_LESSON_PAGES[reader] else 404), (reader, key)
        for key, event in leak_world.events.items():
            status = client.get(f"/api/knowledge/events/{event.pk}").status_code
            assert status == (200 if key in EXPECTED_EVENTS[reader] else 404), (reader, key)


def test_exports_csv_and_xlsx(client, leak_world):
    for reader in _each_reader(client, leak_world):
        csv = client.get("/knowledge/?format=csv&table=knowledge-documents")
        assert csv.status_code == 200
        assert doc_tokens(b"".join(csv.streaming_content).decode()) == EXPECTED_DOCS[reader]
        xlsx = client.get("/knowledge/?format=xlsx&table=knowledge-documents")
        book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
        cells = " ".join(
            str(c)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for c in row
        )
        assert doc_tokens(cells) == EXPECTED_DOCS[reader], reader


def test_digest_email(leak_world):
    mail.outbox.clear()
    sent = notifications.digests_send()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sent == len(by_address)
    for reader in READERS:
        user = leak_world.reader(reader)
        if user is None:
            continue
        message = by_address.get(user.email)
        body = message.body if message else ""
        shown = {k for k, d in leak_world.docs.items() if d.get_absolute_url() in body}
        assert shown == EXPECTED_DOCS[reader], reader
        shown = {k for k, x in leak_world.lessons.items() if x.get_absolute_url() in body}
        assert shown == EXPECTED_LESSONS[reader], reader
        # AMBER and RED: a link only, never the title.
        for key in ("amber", "amberstrict", "red"):
            assert f"Leakdoc {key} kmsleak" not in body
    assert notifications.digests_send() == 0  # nothing new since


@pytest.mark.parametrize("reader", READERS)
def test_attachment_download(client, leak_world, reader):
    login(client, leak_world, reader)
    for key, document in leak_world.docs.items():
        response = client.get(f"/knowledge/documents/{document.pk}/v1/download/")
        if key in EXPECTED_DOCS[reader]:
            assert response.status_code == 200, key
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
        else:
            assert response.status_code == 404, (reader, key)
