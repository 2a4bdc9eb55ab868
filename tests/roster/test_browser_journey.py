"""In a real browser (Playwright, the system Chromium): Jamaica's point of contact requests
support after an incident; staff open a mission, see a ranked list, alert three experts;
two answer; one is approved (by Brazil, her nominating state) and selected; Jamaica accepts
the team (names and roles only); the assignment closes with a report; the semi-annual
report counts the mission."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.core import mail

from cicte.core.periods import parse_period
from cicte.reports.build import report_data
from cicte.roster.models import Answer, Mission, MissionStatus, Response
from tests.roster.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-browser-password"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 420, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url
    return page


def test_expert_support_journey(browser, live_server, plan_2012, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(plan_2012)
    for key in ("poc_requesting", "poc_nominating", "roster_manager"):
        world.users[key].set_password(PASSWORD)
        world.users[key].save()
    url = live_server.url

    # 1. Jamaica's point of contact requests support after an incident (a phone-sized window).
    jam = sign_in(browser, live_server, "poc_jam")
    jam.goto(f"{url}/roster/country/")
    jam.get_by_label("Subject").fill("Ransomware at the national utility")
    jam.get_by_label("What is needed").fill("Incident response support within 72 hours.")
    jam.get_by_label("Urgency").select_option("critical")
    jam.get_by_label("After an incident").check()
    jam.get_by_label("Contact name").fill("J. Contact")
    jam.get_by_label("Contact e-mail").fill("contact@gov.jm")
    jam.get_by_role("button", name="Send the request").click()
    assert "was sent to the Secretariat" in jam.content()

    # 2. Staff open a mission and see the ranked list, with the reasons of each score.
    staff = sign_in(browser, live_server, "rmanager")
    staff.goto(f"{url}/workspace/roster/missions/")
    staff.get_by_role("link", name="Open a mission").click()
    staff.get_by_label("Title").fill("Incident response, Kingston")
    staff.get_by_label("Type").select_option("incident_response")
    staff.get_by_label("Start").fill("2012-03-05")
    staff.get_by_label("End").fill("2012-03-10")
    staff.get_by_label("Place").fill("Kingston")
    staff.get_by_label("Required skills").select_option(label="PD-WRL-003 Incident Response")
    staff.get_by_label("Required languages (comma-separated codes)").fill("en, es")
    staff.get_by_role("button", name="Open the mission").click()
    assert staff.get_by_role("heading", name="Incident response, Kingston").is_visible()
    table = staff.locator("#candidates").inner_text()
    assert table.index("Ana Zqexpert") < table.index("Bruno Zqsecond") < table.index("Chloe")
    assert "same nationality as the requesting state" in table

    # 3. Alert three experts with a deadline.
    for name in ("Ana Zqexpert", "Bruno Zqsecond", "Chloe Zqthird"):
        staff.get_by_label(f"Alert {name}").check()
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    staff.get_by_label("Answer by (UTC)").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_role("button", name="Send the alert").click()
    assert "Alert sent." in staff.content()
    alerts = {m.to[0]: m.body for m in mail.outbox if "available" in m.subject}
    assert len(alerts) == 3

    # 4. Two answer in one click from their e-mail (no sign-in: the link is the key).
    for email, choice, button in (
        ("expert_a@example.org", "available", "Confirm: I am available"),
        ("expert_b@example.org", "unavailable", "Confirm: I am not available"),
    ):
        link = next(
            x for x in re.findall(r"\S*/roster/answer/\S+", alerts[email]) if choice + "/" in x
        )
        path = link[link.index("/roster/") :]
        page = browser.new_context().new_page()
        page.goto(f"{url}{path}")
        page.get_by_role("button", name=button).click()
        assert "Thank you" in page.content()
        page.context.close()
    assert Response.objects.filter(answer=Answer.PENDING).count() == 1

    # 5. Brazil, the nominating state, approves the release (it never learns who asked).
    bra = sign_in(browser, live_server, "poc_bra")
    bra.goto(f"{url}/roster/country/")
    assert "Kingston" not in bra.content() and "Jamaica" not in bra.content()
    bra.get_by_role("button", name="Approve the release of Ana Zqexpert").click()
    assert "Release approved." in bra.content()

    # 6. Staff select her and propose the team.
    mission = Mission.objects.get()
    staff.goto(f"{url}/workspace/roster/missions/{mission.pk}/")
    staff.get_by_label("Role in the team").fill("Team lead")
    staff.get_by_role("button", name="Select Ana Zqexpert").click()
    staff.get_by_role("button", name="Propose the team to the requesting state").click()
    assert "Team proposed" in staff.content()

    # 7. Jamaica sees names and roles only, and accepts.
    jam.goto(f"{url}/roster/country/")
    team = jam.locator("table").inner_text()
    assert "Ana Zqexpert" in team and "Team lead" in team
    assert "ZQPASS" not in jam.content()
    jam.get_by_role("button", name="Accept the proposed team").click()
    assert "You accepted the proposed team." in jam.content()

    # 8. ToR and NDA uploaded, deployment recorded.
    document = tmp_path / "signed.pdf"
    document.write_bytes(PDF)
    staff.goto(f"{url}/workspace/roster/missions/{mission.pk}/")
    for kind in ("tor", "nda"):
        staff.locator("select[name=kind]").select_option(kind)
        staff.locator("input[type=file]").set_input_files(str(document))
        staff.get_by_role("button", name="Upload").click()
        assert "Document added." in staff.content()
    staff.get_by_role("button", name="Record the deployment").click()
    assert "Team deployed." in staff.content()

    # 9. The report, TLP:RED to Jamaica's named official; the appraisal; closure.
    staff.get_by_label("Report title").fill("Zqreport findings")
    staff.get_by_label("Report:", exact=True).fill("Contained; recommendations attached.")
    staff.get_by_label("Named officials (TLP:RED)").select_option(label="poc_jam")
    staff.get_by_role("button", name="Submit the report").click()
    assert "Report submitted" in staff.content()
    staff.get_by_label("Appraisal rating").select_option("5")
    staff.get_by_label("Appraisal", exact=True).fill("Excellent leadership")
    staff.get_by_role("button", name="Close the assignment of Ana Zqexpert").click()
    staff.get_by_role("button", name="Close the mission").click()
    assert "Mission closed" in staff.content()
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CLOSED and mission.event_id

    # Jamaica reads the report; the semi-annual report counts the mission.
    jam.goto(f"{url}/roster/reports/{mission.reports.get().pk}/")
    assert "TLP:RED" in jam.content() and "Contained" in jam.content()
    data = report_data(plan=plan_2012, period=parse_period("2012-H1"), language="en")
    section = next(s for s in data.sections if s.key == "roster")
    assert section.data["missions"].closed == 1  # type: ignore[index]
