"""Playwright (sync API) driving the system Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Sync Playwright runs an event loop in this thread; Django's ORM then refuses to run
# ("SynchronousOnlyOperation") unless told that this is fine in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CICTE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "a-long-browser-password"


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


def _ensure_member_states() -> None:
    """Live-server tests use a transactional database that is flushed between tests; the
    member states come from a data migration, so put them back when a flush removed them."""
    from cicte.directory.data import MEMBER_STATES
    from cicte.directory.models import MemberState

    if MemberState.objects.count() == len(MEMBER_STATES):
        return
    for code, alpha2, subregion, small_island in MEMBER_STATES:
        MemberState.objects.get_or_create(
            code=code,
            defaults={"alpha2": alpha2, "subregion": subregion, "small_island_state": small_island},
        )


@pytest.fixture
def officer(transactional_db, django_user_model):
    _ensure_member_states()
    return django_user_model.objects.create_user(
        username="browser-officer", password=PASSWORD, is_staff=True
    )


@pytest.fixture
def signed_in(page, live_server, officer):
    """A page signed in as Secretariat staff through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.content()[:2000]
    return page
