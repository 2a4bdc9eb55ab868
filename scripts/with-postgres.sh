#!/bin/sh
# Usage: with-postgres.sh DATABASE_URL COMMAND...
# Runs COMMAND with DATABASE_URL pointing at PostgreSQL. Reaches the server at the URL; if it
# does not answer, tries to start a local cluster (Debian's pg_ctlcluster). If PostgreSQL still
# cannot be reached, says so loudly and exits 0 without running (the SQLite run has passed).
url="$1"; shift
reach() { "$(dirname "$0")/../.venv/bin/python" - "$url" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("/cicte", "/postgres"), connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not reachable: {exc}".strip())
    sys.exit(1)
PY
}
if ! reach; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting the local PostgreSQL cluster..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start 2>&1 || true
    sleep 2
  fi
fi
if ! reach; then
  echo "================================================================"
  echo "PostgreSQL tests NOT RUN: no server at $url."
  echo "Set TEST_POSTGRES_URL=postgres://user@host:port/db to run them."
  echo "================================================================"
  exit 0
fi
echo "=== Test suite on PostgreSQL ($url) ==="
DATABASE_URL="$url" exec "$@"
