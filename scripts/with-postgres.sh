#!/bin/sh
# Usage: with-postgres.sh DATABASE_URL COMMAND...
# Runs COMMAND with DATABASE_URL pointing at PostgreSQL, under a database name unique to this
# run (scripts/pg_probe.py parses the URL; any database name works). If the server does not
# answer, tries to start a local cluster (Debian's pg_ctlcluster). If it still cannot be
# reached: in CI (CI=true) this FAILS (exit 1), so CI cannot go green without PostgreSQL;
# elsewhere it says so loudly and exits 0 (the SQLite run has passed).
url="$1"; shift
here="$(dirname "$0")"
python="$here/../.venv/bin/python"
probe() { "$python" "$here/pg_probe.py" "$url"; }
run_url="$(probe)"
status=$?
[ "$status" = 2 ] && exit 2  # not a PostgreSQL URL: a mistake, never "NOT RUN"
if [ "$status" != 0 ]; then
  run_url=""
  if [ -z "${CICTE_PG_NO_START:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1 \
     && [ -d /etc/postgresql ]; then
    echo "Starting the local PostgreSQL cluster..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start 2>&1 || true
    tries=0
    until run_url="$(probe 2>/dev/null)" || [ "$tries" -ge 20 ]; do
      tries=$((tries + 1)); sleep 0.5
    done
  fi
fi
if [ -z "$run_url" ]; then
  echo "================================================================"
  echo "PostgreSQL tests NOT RUN: no server at $url."
  echo "Set TEST_POSTGRES_URL=postgres://user@host:port/db to run them."
  echo "================================================================"
  case "${CI:-}" in
    true|1|yes) echo "CI=true: failing, PostgreSQL is required in CI."; exit 1 ;;
  esac
  exit 0
fi
echo "=== Test suite on PostgreSQL ($run_url) ==="
DATABASE_URL="$run_url" exec "$@"
