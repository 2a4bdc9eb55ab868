"""Screenshots for the documentation (docs/screenshots/). Rewritten only on request:
``python scripts/screenshots.py`` (sets CICTE_SCREENSHOTS=1); skipped otherwise."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        os.environ.get("CICTE_SCREENSHOTS") != "1",
        reason="screenshots are taken by scripts/screenshots.py (CICTE_SCREENSHOTS=1)",
    ),
]


def test_take_screenshots(signed_in, live_server, plan_2012):
    call_command("demo", stdout=io.StringIO())
    page = signed_in
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(f"{live_server.url}/workspace/?plan={plan_2012.pk}&period=2012-H1")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"))

    page.goto(f"{live_server.url}/workspace/events/new/?plan={plan_2012.pk}&target=1.A.3.a")
    page.get_by_label("Title").fill("Maritime security drills workshop (APEC manual)")
    page.get_by_label("Start date").fill("2012-03-05")
    page.get_by_label("End date").fill("2012-03-07")
    page.get_by_label("Venue city").fill("Kingston")
    page.get_by_label("Host member state").select_option("JAM")
    page.get_by_label("Jamaica").check()
    page.get_by_label("Search the plan's targets").fill("ICAO")
    page.wait_for_selector("#target-results li")
    page.screenshot(path=str(SCREENSHOTS / "event-form.png"))
    assert (SCREENSHOTS / "dashboard.png").stat().st_size > 10_000
    assert (SCREENSHOTS / "event-form.png").stat().st_size > 10_000
