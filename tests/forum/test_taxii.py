"""The TAXII 2.1 server, read with ``taxii2-client`` (its requests go to Django's test client
through a small adapter: no network)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
import requests
from django.test import Client
from taxii2client.v21 import ApiRoot, Collection, Server

from tests.forum.world import word

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


class DjangoAdapter(requests.adapters.BaseAdapter):
    """Sends a ``requests`` request to the Django test client."""

    def __init__(self) -> None:
        super().__init__()
        self.client = Client()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        headers = {
            f"HTTP_{k.upper().replace('-', '_')}": v
            for k, v in request.headers.items()
            if k.lower() not in {"content-type", "content-length"}
        }
        answer = self.client.generic(request.method or "GET", request.url or "", **headers)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers.update(dict(answer.items()))
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


_ADAPTER = DjangoAdapter()


@contextmanager
def in_process() -> Iterator[None]:
    """Every ``requests`` session sends to the Django test client (taxii2-client opens new
    sessions for the API roots it discovers)."""
    with mock.patch.object(requests.Session, "get_adapter", lambda self, url: _ADAPTER):
        yield


def server(token: str) -> Server:
    return Server(f"{BASE}/taxii2/", auth=Bearer(token))


def taxii_objects(world, reader: str) -> list[dict]:
    """Every object the reader's token gets from every collection it is offered; for
    readers without a token (anonymous), the server's 401."""
    if reader == "anonymous":
        assert Client().get("/taxii2/").status_code == 401
        return []
    found: list[dict] = []
    with in_process():
        for root in server(world.tokens[reader]).api_roots:
            for collection in root.collections:
                found += collection.get_objects().get("objects", [])
    return found


def test_discovery_and_collections(forum_world):
    with in_process():
        named = server(forum_world.tokens["named"])
        assert named.title == "CICTE forum"
        root = named.default
        assert isinstance(root, ApiRoot)
        assert [c.title for c in root.collections] == ["CSIRT community"]
        objects = root.collections[0].get_objects()["objects"]
    types = {o["type"] for o in objects}
    assert {"report", "note", "marking-definition"} <= types


def test_another_communitys_collection_is_not_found(forum_world):
    """The stakeholder asks for the CSIRT community's collection by its id: 404, the same
    answer as for a collection that does not exist, and no object."""
    with in_process():
        csirt_url = server(forum_world.tokens["named"]).default.collections[0].url
    client = Client(HTTP_AUTHORIZATION=f"Bearer {forum_world.tokens['stakeholder']}")
    for url in (csirt_url, csirt_url + "objects/", f"{BASE}/api/taxii2/root/collections/nope/"):
        response = client.get(url, HTTP_ACCEPT="application/taxii+json;version=2.1")
        assert response.status_code == 404
        assert word("clear", "community") not in response.content.decode()
    with in_process(), pytest.raises(requests.exceptions.HTTPError):
        Collection(csirt_url, auth=Bearer(forum_world.tokens["stakeholder"])).get_objects()


def test_unknown_token_is_refused(forum_world):
    response = Client(HTTP_AUTHORIZATION="Bearer nope").get("/api/taxii2/root/collections/")
    assert response.status_code == 401


def test_taxii_is_in_the_openapi_document():
    from cicte.api.openapi import openapi_document

    paths = openapi_document()["paths"]
    for path in (
        "/api/taxii2/",
        "/api/taxii2/root/",
        "/api/taxii2/root/collections/",
        "/api/taxii2/root/collections/{collection}/",
        "/api/taxii2/root/collections/{collection}/objects/",
    ):
        assert "get" in paths[path], path
    assert "application/taxii+json" in paths["/api/taxii2/root/"]["get"]["description"]


def test_no_token_no_collections(forum_world):
    for url in ("/taxii2/", "/api/taxii2/", "/api/taxii2/root/collections/"):
        assert Client().get(url).status_code == 401, url
