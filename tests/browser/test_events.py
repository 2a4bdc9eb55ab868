"""In the browser: sign in, record an event, see the dashboard's progress bar move,
import a spreadsheet with one bad row and see the row error."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from openpyxl import Workbook

from cicte.delivery.models import Event
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TARGET = "1.A.3.a"  # 3 workshops on maritime security drills (APEC manual)


def _bar_value(page, code: str) -> int:
    bar = page.locator(f'progress[aria-label="Progress of {code}"]').first
    return int(bar.get_attribute("value") or 0)


def test_record_an_event_and_see_progress(signed_in, live_server, plan_2012):
    page = signed_in
    page.goto(f"{live_server.url}/workspace/?plan={plan_2012.pk}&period=2012")
    before = _bar_value(page, TARGET)

    page.goto(f"{live_server.url}/workspace/events/new/?plan={plan_2012.pk}")
    # Find the target by searching its words (htmx live results), then add it.
    page.get_by_label("Search the plan's targets").fill("APEC")
    page.get_by_role("button", name=f"Add {TARGET}").click()
    page.wait_for_load_state()
    assert page.locator('input[name="targets-0-target"]').input_value() == TARGET
    page.get_by_label("Title").fill("Maritime security drills workshop, Kingston")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Status").select_option("held")
    page.get_by_label("Start date").fill("2012-03-05")
    page.get_by_label("End date").fill("2012-03-07")
    page.get_by_label("Venue city").fill("Kingston")
    page.get_by_label("Host member state").select_option("JAM")
    # Jamaica the beneficiary (Jamaica the government is also a partner organization).
    page.locator("input[name='beneficiaries'][value='JAM']").check()
    page.get_by_label("Participants (total)").fill("24")
    page.locator("#id_participants_women").fill("11")
    page.locator("#id_participants_men").fill("12")
    page.get_by_role("button", name="Save", exact=True).last.click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Maritime security drills workshop, Kingston"
    )
    event = Event.objects.get(status="held", contributions__target__code=TARGET)
    assert event.host_state.code == "JAM"
    assert list(event.beneficiaries.values_list("code", flat=True)) == ["JAM"]

    page.goto(f"{live_server.url}/workspace/?plan={plan_2012.pk}&period=2012")
    assert _bar_value(page, TARGET) == before + 1


def test_form_shows_an_error_summary(signed_in, live_server, plan_2012):
    page = signed_in
    page.goto(f"{live_server.url}/workspace/events/new/?plan={plan_2012.pk}&target={TARGET}")
    page.get_by_label("Title").fill("Backwards dates")
    page.get_by_label("Start date").fill("2012-03-05")
    page.get_by_label("End date").fill("2012-03-01")
    page.get_by_role("button", name="Save", exact=True).last.click()
    summary = page.locator("#error-summary")
    assert "The end date is before the start date." in summary.inner_text()
    assert Event.objects.count() == 0


def _spreadsheet() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Events"
    sheet.append(list(REQUIRED_COLUMNS))
    sheet.append(
        [
            TARGET,
            "Drills workshop Nassau",
            "workshop",
            dt.date(2012, 4, 2),
            dt.date(2012, 4, 3),
            "Nassau",
            "BHS",
            "BHS",
            20,
            9,
            11,
            "",
            "held",
            1,
        ]
    )
    sheet.append(
        [
            TARGET,
            "Drills workshop Lima",
            "workshop",
            dt.date(2012, 5, 9),
            dt.date(2012, 5, 2),
            "Lima",
            "Peru",
            "PER",
            20,
            9,
            11,
            "",
            "held",
            1,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_a_spreadsheet_with_one_bad_row(signed_in, live_server, plan_2012):
    page = signed_in
    page.goto(f"{live_server.url}/workspace/events/import/")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(
        files=[
            {
                "name": "events.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _spreadsheet(),
            }
        ]
    )
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    errors = page.locator("#import-errors")
    assert "1 row has problems" in errors.inner_text()
    row = errors.locator("tbody tr").first
    assert row.locator("td").nth(0).inner_text() == "3"
    assert "end_date 2012-05-02 is before start_date 2012-05-09" in row.inner_text()
    assert Event.objects.count() == 0

    # The same file, importing the valid rows only.
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(
        files=[
            {
                "name": "events.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _spreadsheet(),
            }
        ]
    )
    page.get_by_label("Import valid rows only").check()
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    assert list(Event.objects.values_list("title", flat=True)) == ["Drills workshop Nassau"]


def test_event_pages_work_without_javascript(browser, live_server, officer, plan_2012):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password", exact=True).fill("a-long-browser-password")
    page.get_by_role("button", name="Sign in").last.click()
    page.goto(f"{live_server.url}/workspace/events/new/?plan={plan_2012.pk}")
    page.get_by_label("Search the plan's targets").fill("APEC")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"Add {TARGET}").click()
    assert page.locator('input[name="targets-0-target"]').input_value() == TARGET
    context.close()
