"""Archiving an official URL without server-side request forgery.

The server never fetches an arbitrary URL. :func:`fetch` refuses, before any connection:

- a scheme other than ``https`` (or ``http`` when ``CICTE_STRATEGIES_ARCHIVE_ALLOW_HTTP``);
- a host that is not on the allow-list ``CICTE_STRATEGIES_ARCHIVE_HOSTS`` (exact names or
  ``.suffix`` for a domain and its subdomains; empty by default: nothing is fetched until an
  operator lists the official publishers' hosts);
- a host any of whose resolved addresses is private, loopback, link-local, multicast,
  reserved or otherwise not global (checked **after** DNS resolution, and the connection is
  then made to the checked address, so a second lookup cannot switch it: no DNS rebinding);
- user names or passwords in the URL, ports other than the scheme's.

It then reads with a timeout (``CICTE_STRATEGIES_ARCHIVE_TIMEOUT``, 10 s) and at most
``CICTE_STRATEGIES_MAX_ARCHIVE_BYTES`` (the upload cap), follows no redirect (the redirect's
target must be archived on its own, and pass the same checks), and returns the bytes; the
caller type-checks them (:mod:`cicte.strategies.files`).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings


class FetchRefused(ValueError):
    """The URL may not be fetched, or the fetch failed (the message says why)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


def allowed_hosts() -> list[str]:
    value = getattr(settings, "CICTE_STRATEGIES_ARCHIVE_HOSTS", ())
    if isinstance(value, str):
        value = value.split(",")
    return [h.strip().lower() for h in value if h.strip()]


def max_bytes() -> int:
    return int(getattr(settings, "CICTE_STRATEGIES_MAX_ARCHIVE_BYTES", 20 * 1024 * 1024))


def timeout() -> float:
    return float(getattr(settings, "CICTE_STRATEGIES_ARCHIVE_TIMEOUT", 10.0))


def host_allowed(host: str, allowed: list[str]) -> bool:
    host = host.lower().rstrip(".")
    for entry in allowed:
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


#: Replaced in tests (no network here): host, port -> addresses.
resolve: Callable[[str, int], list[str]] = _resolve


def check_address(address: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    ):
        raise FetchRefused(
            "archive_private_address",
            f"The archive URL resolves to a private or local address ({ip}): refused.",
        )


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an allowed URL; :class:`FetchRefused` otherwise."""
    try:
        parts = urlsplit(url.strip())
        port_value = parts.port
    except ValueError:
        raise FetchRefused("archive_url_invalid", "The archive URL is not valid.") from None
    schemes = {"https"}
    if getattr(settings, "CICTE_STRATEGIES_ARCHIVE_ALLOW_HTTP", False):
        schemes.add("http")
    if parts.scheme not in schemes:
        raise FetchRefused("archive_url_scheme", "Only https:// URLs can be archived.")
    if parts.username or parts.password:
        raise FetchRefused("archive_url_invalid", "The archive URL may not carry a password.")
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchRefused("archive_url_invalid", "The archive URL has no host.")
    default_port = 443 if parts.scheme == "https" else 80
    if port_value not in (None, default_port):
        raise FetchRefused("archive_url_port", "The archive URL may not name another port.")
    allowed = allowed_hosts()
    if not host_allowed(host, allowed):
        raise FetchRefused(
            "archive_host_not_allowed",
            f"{host} is not on the list of hosts the server may archive from "
            "(CICTE_STRATEGIES_ARCHIVE_HOSTS); upload the file instead.",
        )
    try:
        # A literal address as host is checked the same way.
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        check_address(host.strip("[]"))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, host, default_port, path


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked against the host name."""

    def __init__(self, host: str, address: str, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _connection(scheme: str, host: str, port: int, address: str) -> Any:
    cls = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    return cls(host, address, port=port, timeout=timeout())


#: Replaced in tests: (scheme, host, port, address) -> an http.client-like connection.
connect: Callable[[str, str, int, str], Any] = _connection


def fetch(url: str) -> Fetched:
    scheme, host, port, path = check_url(url)
    try:
        addresses = resolve(host, port)
    except OSError:
        raise FetchRefused("archive_unreachable", f"{host} could not be resolved.") from None
    if not addresses:
        raise FetchRefused("archive_unreachable", f"{host} could not be resolved.")
    for address in addresses:
        check_address(address)
    limit = max_bytes()
    conn = connect(scheme, host, port, addresses[0])
    try:
        conn.request("GET", path, headers={"User-Agent": "cicte-archiver", "Accept": "*/*"})
        response = conn.getresponse()
        if 300 <= response.status < 400:
            raise FetchRefused(
                "archive_redirect",
                "The URL redirects elsewhere; archive the final address instead "
                f"({response.getheader('Location', '')[:200]}).",
            )
        if response.status != 200:
            raise FetchRefused("archive_http_error", f"The server answered {response.status}.")
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > limit:
            raise FetchRefused(
                "archive_too_large", f"The file is larger than the limit of {limit} bytes."
            )
        content = response.read(limit + 1)
        if len(content) > limit:
            raise FetchRefused(
                "archive_too_large", f"The file is larger than the limit of {limit} bytes."
            )
        return Fetched(
            url=url, content=content, content_type=response.getheader("Content-Type", "")
        )
    except (OSError, http.client.HTTPException) as exc:
        raise FetchRefused(
            "archive_unreachable", f"The file could not be fetched ({exc.__class__.__name__})."
        ) from None
    finally:
        conn.close()
