"""/api/docs renders the operations in a real browser under our Content-Security-Policy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright + Django ORM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CICTE_CHROMIUM", "/usr/bin/chromium")


def _chromium() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_swagger_ui_works_under_csp(live_server):
    path = _chromium()
    if path is None:
        pytest.skip("Chromium not found (run 'make browser')")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            violations: list[str] = []  # Chromium reports CSP violations on the console
            page.on(
                "console",
                lambda message: (
                    violations.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            page.goto(f"{live_server.url}/api/docs")
            page.wait_for_selector(".opblock", timeout=20_000)
            assert page.locator(".opblock").count() >= 15
            assert page.get_by_text("CICTE Work Plan API").first.is_visible()
            assert not violations, violations  # no script or style blocked
        finally:
            browser.close()
