"""The knowledge base's lists, search, autocomplete, feed and API: the number of queries a
page makes does not grow with the number of documents, lessons or events (N and 5N)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cicte.knowledge import extraction, services
from tests.knowledge.conftest import login, make_event, pdf

pytestmark = pytest.mark.django_db

PATHS = (
    "/knowledge/",
    "/knowledge/?q=kmsleak",
    "/knowledge/?kind=plan&language=es&area=venues",
    "/knowledge/lessons/",
    "/knowledge/events/",
    "/knowledge/autocomplete/?q=leak",
    "/knowledge/feed.atom",
    "/api/knowledge/documents?q=kmsleak",
    "/api/knowledge/lessons",
    "/api/knowledge/events",
    "/api/knowledge/search?q=kmsleak",
)


def _counts(client) -> dict[str, int]:
    counts = {}
    for path in PATHS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[path] = len(queries)
    return counts


def _more(world, times: int) -> None:
    u = world.users
    for i in range(times):
        event = make_event(u["poc_host"], f"Leakevent more summit {i}")
        services.event_validate(actor=u["staff"], event=event)
        services.event_set_public(actor=u["poc_host"], event=event, public=True)
        for tlp, kind in (("clear", "public"), ("green", "community")):
            document = services.document_create(
                actor=u["author"],
                file=pdf(f"Plan de seguridad more{i}"),
                title=f"Leakdoc more {i} {tlp} kmsleak",
                kind="plan",
                language="es",
                area="venues",
                tlp=tlp,
                audience_kind=kind,
                organisations=[],
                people=[],
                event=world.events["public"],
                relations=[world.docs["clearpublic"]],
            )
            extraction.document_extract(document_id=document.pk, number=1)
            lesson = services.lesson_submit(
                actor=u["author"],
                title=f"Leaklesson more {i} {tlp} kmsleak",
                observation="Observación",
                recommendation="Recomendación",
                area="venues",
                language="es",
                event=world.events["public"],
                source_document=document,
                tlp=tlp,
                audience_kind=kind,
                organisations=[],
                people=[],
            )
            services.lesson_validate(actor=u["staff"], lesson=lesson)
            services.lesson_publish(actor=u["staff"], lesson=lesson)


@pytest.mark.parametrize("reader", ["anonymous", "poc_other", "staff"])
def test_query_counts_do_not_grow_with_the_library(client, leak_world, reader):
    login(client, leak_world, reader)
    before = _counts(client)
    _more(leak_world, 4)
    login(client, leak_world, reader)
    after = _counts(client)
    grew = {path: (before[path], after[path]) for path in PATHS if after[path] > before[path]}
    assert grew == {}, grew
