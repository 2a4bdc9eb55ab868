"""Health endpoint, request id and structured logs, the data directory, `python -m cicte`."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import zipfile
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.urls import reverse

import cicte.settings as project_settings
from cicte.ops.logs import JsonFormatter, RequestContextFilter
from tests.ops.conftest import ROOT

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_queue(client, queue):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {"status": "ok", "database": "ok", "tasks": "ok (no worker seen)"}


def test_healthz_is_503_when_the_queue_cannot_be_read(client, queue, monkeypatch):
    from cicte.ops import selectors

    def broken() -> str:
        raise ConnectionError("queue table missing")

    monkeypatch.setattr(selectors, "queue_health", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["tasks"] == "error: ConnectionError"


def test_every_log_line_has_time_level_request_and_user(officer_client, officer):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("cicte.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        response = officer_client.get(reverse("ops:jobs"), HTTP_X_REQUEST_ID="abc-123-def-456")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert response.status_code == 200 and response["X-Request-ID"] == "abc-123-def-456"
    [line] = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert line["level"] == "INFO" and line["logger"] == "cicte.request"
    assert line["time"].endswith("+00:00") and "T" in line["time"]
    assert line["request_id"] == "abc-123-def-456" and line["user_id"] == str(officer.pk)
    assert line["path"] == "/jobs/" and line["status"] == 200 and line["method"] == "GET"
    # A made-up or hostile request id is replaced by a fresh one.
    response = officer_client.get(reverse("ops:jobs"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


def test_data_directory_outside_a_checkout_is_the_user_data_dir(monkeypatch, tmp_path):
    assert project_settings._default_var_dir() == ROOT / "var"  # this source checkout
    fake_site_packages = tmp_path / "lib/python3.11/site-packages/cicte"
    monkeypatch.setattr(project_settings, "BASE_DIR", fake_site_packages)
    monkeypatch.setattr(project_settings, "PROJECT_DIR", fake_site_packages.parent.parent.parent)
    chosen = project_settings._default_var_dir()
    assert tmp_path not in chosen.parents and chosen.name == "cicte"


def test_python_dash_m_cicte_is_the_command():
    done = subprocess.run(
        [sys.executable, "-m", "cicte", "help", "serve"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "usage: cicte serve" in done.stdout and "gunicorn" in done.stdout


@pytest.mark.slow
def test_wheel_from_a_clean_clone_carries_spanish(tmp_path):
    """A wheel built from a clean clone (no .mo files in git) still shows Spanish."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)  # noqa: S603, S607
    assert not list(clone.glob("src/cicte/**/*.mo"))
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path / "dist"),
            str(clone),
        ],
        check=True,
        timeout=600,
    )
    [wheel] = (tmp_path / "dist").glob("cicte-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        catalog = GNUTranslations(
            io.BytesIO(archive.read("cicte/site/locale/es/LC_MESSAGES/django.mo"))
        )
        assert "cicte/ops/locale/es/LC_MESSAGES/django.mo" in names
        ops = GNUTranslations(io.BytesIO(archive.read("cicte/ops/locale/es/LC_MESSAGES/django.mo")))
    assert catalog.gettext("CICTE Work Plan") != "CICTE Work Plan"
    assert ops.gettext("Background jobs") == "Trabajos en segundo plano"
    assert any(Path(n).name == "LICENSE" or n.endswith("licenses/LICENSE") for n in names)
