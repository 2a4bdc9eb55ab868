"""/api/docs renders the operations in a real browser under our Content-Security-Policy."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_swagger_ui_works_under_csp(live_server, page):
    violations: list[str] = []  # Chromium reports CSP violations on the console
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 15
    assert page.get_by_text("CICTE Work Plan API").first.is_visible()
    assert not violations, violations  # no script or style blocked
