"""PostgreSQL probe for `make test`: can the server in TEST_POSTGRES_URL be reached?

    python scripts/pg_probe.py URL      -> prints the URL to test with, exit 0
                                           (exit 3: server unreachable, reason on stderr)

The URL is parsed properly (any database name, user, password, host, port, query): the probe
connects to the server's maintenance database ``postgres``; the printed URL keeps everything
but the database name, which becomes ``<name>_<random>``, unique to this run, so that two
runs on one server (two colleagues, CI) never share a test database. pytest-django creates
``test_<that>`` (``test_<that>_gw0``... with pytest-xdist) and drops it at the end.
"""

from __future__ import annotations

import secrets
import sys
from urllib.parse import urlsplit, urlunsplit


def run_url(url: str, suffix: str | None = None) -> str:
    """The URL with a database name unique to this run."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ValueError(f"not a PostgreSQL URL: {url!r}")
    name = parts.path.lstrip("/") or "cicte"
    unique = f"{name}_{suffix or secrets.token_hex(4)}"[:50]
    return urlunsplit(parts._replace(path="/" + unique))


def admin_url(url: str) -> str:
    """The same server and credentials, database ``postgres``."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def reachable(url: str) -> str | None:
    """None when the server answers, else the reason."""
    import psycopg

    try:
        psycopg.connect(admin_url(url), connect_timeout=3).close()
    except Exception as exc:  # any reason: refused, unknown host, authentication
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: pg_probe.py POSTGRES_URL\n")
        return 2
    try:
        target = run_url(argv[1])
    except ValueError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    problem = reachable(argv[1])
    if problem:
        sys.stderr.write(f"PostgreSQL not reachable: {problem}\n")
        return 3
    sys.stdout.write(target + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
