"""Archiving an official URL: an allow-list, private/loopback/link-local addresses refused
after DNS resolution, no redirects, a timeout and a size cap; the copy type-checked. No
network here: the resolver and the connection are replaced."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.strategies import fetching, finding, services
from cicte.strategies.models import PolicyDocument
from cicte.strategies.services import StrategyError
from tests.strategies.documents import make_pdf

pytestmark = pytest.mark.django_db


class FakeResponse:
    def __init__(self, status=200, body=b"", headers=None):
        self.status = status
        self._body = body
        self._headers = headers or {}

    def getheader(self, name, default=None):
        return self._headers.get(name, default)

    def read(self, amount=None):
        return self._body[:amount] if amount is not None else self._body


class FakeConnection:
    def __init__(self, response=None, error=None):
        self.response = response
        self.error = error
        self.requests = []

    def request(self, method, path, headers=None):
        self.requests.append((method, path))
        if self.error:
            raise self.error

    def getresponse(self):
        return self.response

    def close(self):
        pass


@pytest.fixture
def net(monkeypatch, settings):
    settings.CICTE_STRATEGIES_ARCHIVE_HOSTS = ["gov.jm", ".gob.pa"]
    # A public address (never contacted: the connection is a fake).
    state = {"addresses": ["93.184.215.14"], "connection": None, "connected": []}

    def resolve(host, port):
        return state["addresses"]

    def connect(scheme, host, port, address):
        state["connected"].append((scheme, host, port, address))
        return state["connection"]

    monkeypatch.setattr(fetching, "resolve", resolve)
    monkeypatch.setattr(fetching, "connect", connect)
    return state


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://gov.jm/ncs.pdf", "archive_url_scheme"),
        ("file:///etc/passwd", "archive_url_scheme"),
        ("https://evil.example/ncs.pdf", "archive_host_not_allowed"),
        ("https://gov.jm.evil.example/x", "archive_host_not_allowed"),
        ("https://user:pw@gov.jm/x", "archive_url_invalid"),
        ("https://gov.jm:8443/x", "archive_url_port"),
    ],
)
def test_refused_before_any_connection(net, url, code):
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.fetch(url)
    assert caught.value.code == code
    assert net["connected"] == []


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.5",
        "127.0.0.1",
        "169.254.169.254",
        "192.168.1.1",
        "172.16.0.1",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, never bound
        "100.64.0.1",
    ],
)
def test_private_addresses_refused_after_resolution(net, address):
    net["addresses"] = ["93.184.215.14", address]  # one bad address is enough
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.fetch("https://www.gob.pa/estrategia.pdf")
    assert caught.value.code == "archive_private_address"
    assert net["connected"] == []


def test_literal_private_host_refused(net, settings):
    settings.CICTE_STRATEGIES_ARCHIVE_HOSTS = ["127.0.0.1"]
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.fetch("https://127.0.0.1/x.pdf")
    assert caught.value.code == "archive_private_address"


def test_fetch_connects_to_the_checked_address(net):
    net["connection"] = FakeConnection(FakeResponse(body=b"%PDF-1.4 x"))
    fetched = fetching.fetch("https://gov.jm/ncs.pdf?v=2")
    assert fetched.content == b"%PDF-1.4 x"
    assert net["connected"] == [("https", "gov.jm", 443, "93.184.215.14")]
    assert net["connection"].requests == [("GET", "/ncs.pdf?v=2")]


def test_redirect_size_and_timeout(net, settings):
    net["connection"] = FakeConnection(FakeResponse(302, headers={"Location": "http://10.0.0.1/"}))
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.fetch("https://gov.jm/a")
    assert caught.value.code == "archive_redirect"
    settings.CICTE_STRATEGIES_MAX_ARCHIVE_BYTES = 10
    net["connection"] = FakeConnection(FakeResponse(body=b"%PDF-" + b"x" * 50))
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.fetch("https://gov.jm/a")
    assert caught.value.code == "archive_too_large"
    net["connection"] = FakeConnection(FakeResponse(body=b"", headers={"Content-Length": "999"}))
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.fetch("https://gov.jm/a")
    assert caught.value.code == "archive_too_large"
    net["connection"] = FakeConnection(error=TimeoutError("timed out"))
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.fetch("https://gov.jm/a")
    assert caught.value.code == "archive_unreachable"


def test_default_allow_list_is_empty(settings):
    del settings.CICTE_STRATEGIES_ARCHIVE_HOSTS
    with pytest.raises(fetching.FetchRefused) as caught:
        fetching.check_url("https://gov.jm/a")
    assert caught.value.code == "archive_host_not_allowed"


def test_service_archives_and_type_checks(world, net, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.document_submit(
        actor=world.users["poc_jam"],
        jurisdiction=world.jurisdiction("JAM"),
        kind="strategy",
        title="NCS",
        status="adopted",
        adopted_on=dt.date(2015, 1, 1),
    )
    net["addresses"] = ["10.1.2.3"]
    with pytest.raises(StrategyError) as caught:
        services.document_archive_url(
            actor=world.users["poc_jam"], document=document, url="https://gov.jm/ncs.pdf"
        )
    assert caught.value.code == "archive_private_address" and caught.value.field == "archive_url"
    net["addresses"] = ["93.184.215.14"]
    net["connection"] = FakeConnection(FakeResponse(body=b"MZ\x90\x00 executable"))
    with pytest.raises(StrategyError) as caught:
        services.document_archive_url(
            actor=world.users["poc_jam"], document=document, url="https://gov.jm/ncs.pdf"
        )
    assert caught.value.code == "file_type"
    document.refresh_from_db()
    assert document.archive_sha256 == ""
    net["connection"] = FakeConnection(FakeResponse(body=make_pdf("Estrategia descargada")))
    services.document_archive_url(
        actor=world.users["poc_jam"], document=document, url="https://gov.jm/ncs.pdf"
    )
    document = PolicyDocument.objects.get(pk=document.pk)
    assert document.archive_source_url == "https://gov.jm/ncs.pdf"
    assert len(document.archive_sha256) == 64
    assert list(finding.matches(PolicyDocument.objects.all(), "DESCARGADA")) == [document]
    with pytest.raises(StrategyError):
        services.document_archive_url(
            actor=world.users["poc_col"], document=document, url="https://gov.jm/ncs.pdf"
        )
