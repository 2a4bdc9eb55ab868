"""The PostgreSQL probe of `make test` cannot lie: any database name, a unique name per run,
and in CI an unreachable server fails the run instead of printing "NOT RUN"."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.ops.conftest import ROOT

SCRIPT = ROOT / "scripts/with-postgres.sh"
sys.path.insert(0, str(ROOT / "scripts"))
import pg_probe  # noqa: E402

UNREACHABLE = "postgres://nobody:pw@127.0.0.1:1/warehouse"  # port 1: refused at once


def test_any_database_name_and_a_unique_name_per_run():
    url = "postgres://ops:s%40cret@db.example.org:5433/warehouse?sslmode=require"
    assert (
        pg_probe.admin_url(url)
        == "postgres://ops:s%40cret@db.example.org:5433/postgres?sslmode=require"
    )
    assert pg_probe.run_url(url, "ab12") == (
        "postgres://ops:s%40cret@db.example.org:5433/warehouse_ab12?sslmode=require"
    )
    # Only the path is the database: "/cicte" in a user or host name is not touched.
    assert (
        pg_probe.admin_url("postgres://cicte@cicte-db/cicte")
        == "postgres://cicte@cicte-db/postgres"
    )
    assert pg_probe.run_url("postgres://u@h/x") != pg_probe.run_url("postgres://u@h/x")


def _run(ci: str | None):
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"CICTE_PG_NO_START": "1"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(  # noqa: S603
        ["/bin/sh", str(SCRIPT), UNREACHABLE, sys.executable, "-c", "print('SUITE RAN')"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_unreachable_server_fails_in_ci():
    done = _run("true")
    assert done.returncode == 1
    assert "PostgreSQL tests NOT RUN" in done.stdout and "CI=true: failing" in done.stdout
    assert "SUITE RAN" not in done.stdout


def test_a_url_that_is_not_postgresql_is_an_error_not_a_skip():
    done = subprocess.run(  # noqa: S603
        ["/bin/sh", str(SCRIPT), "mysql://u@h/db", sys.executable, "-c", "print('SUITE RAN')"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2 and "not a PostgreSQL URL" in done.stderr


def test_unreachable_server_outside_ci_says_not_run():
    done = _run(None)
    assert done.returncode == 0 and "PostgreSQL tests NOT RUN" in done.stdout
    assert "SUITE RAN" not in done.stdout
