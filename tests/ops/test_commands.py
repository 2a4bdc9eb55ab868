"""The operator's commands, run as an operator runs them (``python -m cicte ...`` in a fresh
process on its own SQLite file): serve, worker (killed mid-job), backup/restore, scheduler."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ops.conftest import ROOT

DEADLINE = 300  # seconds to wait for a server or worker to get somewhere, at most (a cap: a
# loaded 2-core machine collecting and compressing the static files can take a minute)
SECRET = "s3cr3t-" + "x" * 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _production(site, port: int) -> dict[str, str]:
    return site.env | {
        "CICTE_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(site.root / "static"),
        "LOG_LEVEL": "INFO",
    }


def test_serve_answers_a_page_a_static_file_and_healthz(sqlite_site):
    port = _free_port()
    env = _production(sqlite_site, port)
    log = (sqlite_site.root / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cicte", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=sqlite_site.root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert server.poll() is None, (sqlite_site.root / "serve.log").read_text()
        try:
            return _get(base + "/healthz")[0] == 200
        except OSError:
            return False

    try:
        _wait_for(up, "cicte serve to answer")
        status, headers, body = _get(base + "/healthz")
        health = json.loads(body)
        assert health["status"] == "ok" and health["database"] == "ok"
        assert health["tasks"].startswith("ok")
        # A page, as behind nginx (which says the original request was HTTPS).
        status, headers, body = _get(base + "/", **{"X-Forwarded-Proto": "https"})
        page = body.decode()
        assert status == 200 and "CICTE" in page
        assert len(headers["X-Request-ID"]) == 32
        # Its stylesheet, by its hashed name, compressed and cached for good.
        css = next(
            p for p in page.split('"') if p.startswith("/static/cicte/site.") and p.endswith(".css")
        )
        assert css != "/static/cicte/site.css"
        status, headers, body = _get(
            base + css, **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}
        )
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert headers.get("Content-Encoding") == "gzip"
        assert "immutable" in headers["Cache-Control"]
        # The structured log has the request, with time, level, request id.
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=DEADLINE)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
    lines = [
        json.loads(line)
        for line in (sqlite_site.root / "serve.log").read_text().splitlines()
        if line.startswith("{")
    ]
    request_lines = [
        line for line in lines if line["logger"] == "cicte.request" and line["path"] == "/"
    ]
    assert request_lines and request_lines[0]["status"] == 200
    assert {"time", "level", "request_id", "user_id"} <= set(request_lines[0])


def test_serve_without_production_settings_says_so_in_one_line(sqlite_site):
    done = sqlite_site.cicte("serve", check=False)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "CommandError: cicte serve needs production settings: set CICTE_ENV=production, "
        "SECRET_KEY (50+ random characters) and ALLOWED_HOSTS (see docs/operations.md); for "
        "development use 'make run'."
    ]
    weak = sqlite_site.env | {"CICTE_ENV": "production", "SECRET_KEY": "short"}
    done = subprocess.run(
        [sys.executable, "-m", "cicte", "serve"],
        env=weak,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "cicte: configuration error: CICTE_ENV=production needs SECRET_KEY set to a random "
        "value of 50+ characters."
    ]


def _enqueue_slow_effect(site, marker_dir: Path) -> str:
    code = (
        "from tests.ops.jobfuncs import slow_effect; "
        f"print(slow_effect.enqueue(label='slow', marker_dir={str(marker_dir)!r}).pk)"
    )
    return site.cicte("shell", "--no-imports", "-c", code).stdout.strip()


def test_worker_killed_mid_job_the_job_is_retried_and_its_effect_happens_once(sqlite_site):
    markers = sqlite_site.root / "markers"
    markers.mkdir()
    job_id = _enqueue_slow_effect(sqlite_site, markers)
    worker = subprocess.Popen(
        [sys.executable, "-m", "cicte", "worker", "--interval", "0.1"],
        env=sqlite_site.env,
        cwd=sqlite_site.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: (markers / "started").exists(), "the job to start")
        worker.kill()  # SIGKILL: no clean-up at all
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
    status = sqlite_site.query(
        "SELECT status, attempts FROM ops_job WHERE id = ?", (job_id.replace("-", ""),)
    )
    assert status == [("running", 1)]  # what a dead worker leaves behind
    # The next worker notices (the dead worker's process is gone), re-queues and runs it.
    sqlite_site.cicte("worker", "--batch")
    [(status, attempts)] = sqlite_site.query(
        "SELECT status, attempts FROM ops_job WHERE id = ?", (job_id.replace("-", ""),)
    )
    assert (status, attempts) == ("succeeded", 2)
    assert (markers / "effects.txt").read_text().splitlines() == [f"{job_id} attempt 2"]
    # The queue's record of the lost attempt is closed, not left running forever.
    statuses = sorted(
        s for (s,) in sqlite_site.query("SELECT status FROM django_tasks_database_dbtaskresult")
    )
    assert statuses == ["FAILED", "SUCCESSFUL"]
    # Running the worker again does not repeat anything.
    sqlite_site.cicte("worker", "--batch")
    assert len((markers / "effects.txt").read_text().splitlines()) == 1


def _media_sums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _table_counts(site) -> dict[str, int]:
    names = [
        n
        for (n,) in site.query(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: site.query(f'SELECT COUNT(*) FROM "{n}"')[0][0] for n in names}  # noqa: S608


@pytest.fixture
def site_with_data(sqlite_site):
    plan = ROOT / "src/cicte/plan/fixtures/2012-work-plan.txt"
    sqlite_site.cicte("import-plan", str(plan))
    (sqlite_site.media / "reports" / "2012").mkdir(parents=True)
    (sqlite_site.media / "reports" / "2012" / "report.pdf").write_bytes(b"%PDF-1.7 report" * 100)
    (sqlite_site.media / "attachments").mkdir()
    (sqlite_site.media / "attachments" / "agenda.docx").write_bytes(os.urandom(4096))
    return sqlite_site


def test_backup_destroy_restore_round_trip(site_with_data):
    site = site_with_data
    counts, sums = _table_counts(site), _media_sums(site.media)
    assert counts["plan_target"] > 10 and len(sums) == 2
    done = site.cicte("backup", "-o", str(site.root / "backups"))
    [archive] = (site.root / "backups").glob("cicte-backup-*.tar.gz")
    assert f"Backup written: {archive}" in done.stdout
    # Destroy: the database and every media file.
    for path in site.db.parent.glob("cicte.sqlite3*"):
        path.unlink()
    for path in site.media.rglob("*"):
        if path.is_file():
            path.unlink()
    assert site.cicte("restore", str(archive), check=False).returncode != 0  # asks for --yes
    done = site.cicte("restore", str(archive), "--yes")
    assert "counts checked" in done.stdout
    assert _table_counts(site) == counts
    assert _media_sums(site.media) == sums


def _rewrite(archive: Path, target: Path, change) -> None:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            data = change(member.name, data)
            member.size = len(data) if data is not None else 0
            import io

            out.addfile(member, io.BytesIO(data) if data is not None else None)


def test_restore_refuses_tampered_and_truncated_backups(site_with_data):
    site = site_with_data
    site.cicte("backup", "-o", str(site.root / "backups"))
    [archive] = (site.root / "backups").glob("cicte-backup-*.tar.gz")
    before = _table_counts(site)
    site.cicte(
        "shell",
        "-c",
        "from cicte.plan.models import WorkPlan; "
        "WorkPlan.objects.update(title='Changed after the backup')",
    )

    tampered = site.root / "tampered.tar.gz"
    _rewrite(
        archive,
        tampered,
        lambda name, data: b"%PDF-1.7 forged" if name == "media/reports/2012/report.pdf" else data,
    )
    done = site.cicte("restore", str(tampered), "--yes", check=False)
    assert done.returncode == 1
    assert "media/reports/2012/report.pdf has SHA-256" in done.stderr
    assert hashlib.sha256(b"%PDF-1.7 forged").hexdigest() in done.stderr
    assert "nothing was restored" in done.stderr

    truncated = site.root / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    done = site.cicte("restore", str(truncated), "--yes", check=False)
    assert done.returncode == 1 and "is truncated or not a backup archive" in done.stderr

    # The database was not touched by either attempt.
    assert site.query("SELECT DISTINCT title FROM plan_workplan") == [("Changed after the backup",)]
    assert _table_counts(site) == before
    assert "Backup verified" in site.cicte("restore", str(archive), "--verify-only").stdout


def test_scheduler_enqueues_due_work_once(sqlite_site):
    first = sqlite_site.cicte("scheduler", "--once").stdout
    assert "Enqueued: Re-queue jobs whose worker stopped" in first
    again = sqlite_site.cicte("scheduler", "--once").stdout
    assert "Re-queue jobs whose worker stopped" not in again  # not due again within a minute
    listing = sqlite_site.cicte("scheduler", "--list").stdout
    assert "reminders: every 1 day, 0:00:00 at 07:00" in listing
    sqlite_site.cicte("worker", "--batch")
    assert ("succeeded",) in sqlite_site.query("SELECT status FROM ops_job")
