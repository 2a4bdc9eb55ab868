"""Shared fixtures. The real 2012 Work Plan is the first fixture."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

PLAN_2012 = Path(__file__).resolve().parent.parent / "src/cicte/plan/fixtures/2012-work-plan.txt"


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_immediately():
    """Background jobs run at once in the caller during tests (django-tasks' immediate
    backend); tests of the queue itself switch to the database backend (tests/ops)."""
    from django.test.utils import override_settings

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        yield


@pytest.fixture(scope="session")
def plan_2012_document():
    """The parsed 2012 Work Plan (plain data, parsed once per session)."""
    from cicte.plan.parsing.canonical import load_plan_file

    return load_plan_file(PLAN_2012).plan


@pytest.fixture
def plan_2012(db, plan_2012_document):
    """The 2012 Work Plan imported into the test database."""
    from cicte.core.types import SYSTEM
    from cicte.plan.services import plan_import

    return plan_import(document=plan_2012_document, actor=SYSTEM).plan


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="officer", password="a-long-test-password", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- Browser (Playwright, sync API, the system Chromium): one browser per test session ---

# Sync Playwright runs an event loop in this thread; Django's ORM then refuses to run
# ("SynchronousOnlyOperation") unless told that this is fine in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CICTE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = _chromium_path()
    if path is None:
        pytest.skip(f"Chromium not found at {CHROMIUM} (run 'make browser' to install it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
