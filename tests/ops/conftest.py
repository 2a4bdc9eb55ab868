"""Fixtures for the operations tests: a migrated SQLite file (copied from the test database
with SQLite's backup API, instead of migrating again), sites on such a file for the real
commands (`python -m cicte ...` in a subprocess), and the database task queue."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "CICTE_", "DJANGO_", "PYTEST_", "COV_"))
    }


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database file, made once per test process by ``cicte migrate``
    (SQLite pass of the suite only: on the PostgreSQL pass these tests are skipped, they ran
    in the SQLite pass)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("runs on the SQLite pass of the suite (the command under test uses SQLite)")
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    env = _clean_env() | {
        "DATABASE_URL": f"sqlite:///{path}",
        "CICTE_VAR_DIR": str(folder),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-m", "cicte", "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
        timeout=600,
    )
    with sqlite3.connect(path) as conn:  # one file, no -wal beside it, for plain copies
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


@dataclass
class Site:
    root: Path
    db: Path
    media: Path
    env: dict[str, str]

    def cicte(self, *args: str, check: bool = True, timeout: int = 240):
        done = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "cicte", *args],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"cicte {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture
def sqlite_site(sqlite_template, tmp_path):
    """A site on its own SQLite file and data directory, for commands run as subprocesses."""
    var = tmp_path / "var"
    var.mkdir()
    db = var / "cicte.sqlite3"
    shutil.copyfile(sqlite_template, db)
    env = _clean_env()
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "CICTE_VAR_DIR": str(var),
            "DJANGO_SETTINGS_MODULE": "cicte.settings",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
    )
    return Site(root=tmp_path, db=db, media=var / "media", env=env)


@pytest.fixture
def file_db(sqlite_template, tmp_path, django_db_blocker):
    """Point this process's database at a copy of the migrated file, so that threads use
    real, separate SQLite connections (WAL, busy timeout) as the web and worker processes do."""
    from django.db import connections
    from django.db.utils import load_backend

    path = tmp_path / "live.sqlite3"
    shutil.copyfile(sqlite_template, path)
    in_memory = connections["default"]
    shared = in_memory.settings_dict  # new connections (other threads) are made from this
    old_name = shared["NAME"]
    with django_db_blocker.unblock():
        shared["NAME"] = str(path)
        # This thread keeps its own connection object (SQLite never closes an in-memory
        # database): give it a fresh one on the file, and put the old one back afterwards.
        live = load_backend(shared["ENGINE"]).DatabaseWrapper(dict(shared), "default")
        connections["default"] = live
        try:
            yield path
        finally:
            live.close()
            connections["default"] = in_memory
            shared["NAME"] = old_name


@pytest.fixture
def queue(settings):
    """Jobs go on the database queue (run by the worker), as in production."""
    settings.TASKS = QUEUE
    return QUEUE


@pytest.fixture
def plan(db):
    """A small plan: target 1.A.1.a (4 workshops) in program 1.A."""
    from tests.factories import (
        ProgramFactory,
        ProjectFactory,
        TargetFactory,
        WorkAreaFactory,
        WorkPlanFactory,
    )

    plan = WorkPlanFactory(symbol="CICTE/doc.5/12 rev. 1", year=2012, title="2012 Work Plan")
    area = WorkAreaFactory(plan=plan, number=1, title="Border controls")
    program = ProgramFactory(work_area=area, letter="A", code="1.A", title="Maritime security")
    project = ProjectFactory(program=program, number=1, code="1.A.1", title="Port security")
    TargetFactory(project=project, code="1.A.1.a", quantity=4, unit="Workshops", position=1)
    return plan


@pytest.fixture
def officer(db, django_user_model):
    return django_user_model.objects.create_user(
        username="ops-officer", password="a-long-test-password", is_staff=True
    )


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def run_worker(monkeypatch):
    """Run the worker in this process until the queue is empty (``cicte worker --batch``).

    The worker closes stale connections between tasks; inside a test's transaction that
    would close the test's own connection (PostgreSQL), so that step is skipped here."""
    from django_tasks_db.management.commands import db_worker

    from cicte.ops import worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    return lambda: worker.make_worker(batch=True, interval=0).run()
