"""In a real browser (Playwright, the system Chromium): a CSIRT representative requests
membership with two sponsors, the sponsors endorse, the Secretariat approves; the new member
posts an AMBER thread to two teams with an attachment, gets a reply, finds it by search and
exports it as STIX 2.1; a third team sees nothing of it."""

from __future__ import annotations

import json
import os

import pytest

from cicte.core.types import SYSTEM
from cicte.sharing import services as sharing
from cicte.sharing.models import CommunityKind
from cicte.sharing.stix import TLP2_IDS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-browser-password"
TITLE = "Zqxjourney ransomware wave"


@pytest.fixture
def people(django_user_model):
    users = {
        name: django_user_model.objects.create_user(
            username=name, password=PASSWORD, email=f"{name}@x.test", is_staff=name == "officer"
        )
        for name in ("applicant", "sponsor1", "sponsor2", "third", "officer")
    }
    teams = {
        name: sharing.organisation_create(actor=SYSTEM, name=f"Team {name}", kind="national_csirt")
        for name in ("A", "B", "C", "D")
    }
    community = sharing.community_create(
        actor=SYSTEM, slug="csirts", name="CSIRT community", kind=CommunityKind.CSIRT
    )
    for user, team in (("sponsor1", "A"), ("sponsor2", "B"), ("third", "C")):
        sharing.membership_grant(
            actor=SYSTEM, community=community, user=users[user], organisation=teams[team]
        )
    return users


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


def test_csirt_member_journey(browser, live_server, people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    url = live_server.url
    # 1. Request membership with two sponsors (a phone-sized window).
    applicant = sign_in(browser, live_server, "applicant")
    applicant.goto(f"{url}/forum/communities/csirts/")
    applicant.get_by_label("Your organisation").select_option(label="Team D")
    applicant.get_by_label("Sponsors (user names of two members, separated by commas)").fill(
        "sponsor1, sponsor2"
    )
    applicant.get_by_role("button", name="Send the request").click()
    assert "your sponsors can now endorse it" in applicant.content()

    # 2. Both sponsors endorse; the Secretariat approves.
    for sponsor in ("sponsor1", "sponsor2"):
        page = sign_in(browser, live_server, sponsor)
        page.goto(f"{url}/forum/requests/")
        page.get_by_role("button", name="Endorse").click()
        assert "You endorsed the request." in page.content()
        page.context.close()
    officer = sign_in(browser, live_server, "officer")
    officer.goto(f"{url}/forum/requests/")
    officer.get_by_role("button", name="Approve").click()
    assert "The member was approved." in officer.content()

    # 3. An AMBER thread to teams A and B, with a Markdown attachment.
    note = tmp_path / "iocs.md"
    note.write_text("# Indicators\n\n- 203.0.113.7\n", encoding="utf-8")
    applicant.goto(f"{url}/forum/communities/csirts/")
    applicant.get_by_role("link", name="New thread").click()
    applicant.get_by_label("Title").fill(TITLE)
    applicant.get_by_label("Message (Markdown)").fill("Seen in **three** banks. <script>x</script>")
    applicant.get_by_label("TLP label").select_option("amber")
    applicant.get_by_label("Audience").select_option("organisations")
    applicant.get_by_label("Organisations (AMBER)").select_option(label=["Team A", "Team B"])
    applicant.get_by_label("Attachment").set_input_files(str(note))
    applicant.get_by_role("button", name="Post").click()
    assert applicant.get_by_role("heading", name=TITLE).is_visible()
    assert "TLP:AMBER" in applicant.content()
    assert "<script>x" not in applicant.content()
    thread_url = applicant.url

    # 4. Team A replies.
    sponsor = sign_in(browser, live_server, "sponsor1")
    sponsor.goto(thread_url)
    sponsor.get_by_role("link", name="iocs.md").is_visible()
    sponsor.get_by_label("Reply (Markdown)").fill("Zqxreply we see it too")
    sponsor.get_by_role("button", name="Reply").click()
    assert "Your reply was posted." in sponsor.content()

    # 5. Found by search (accents and case ignored), reply shown, exported as STIX.
    applicant.goto(f"{url}/forum/")
    applicant.get_by_label("Search the forum").fill("RANSOMWARE")
    applicant.get_by_role("button", name="Search").click()
    applicant.get_by_role("link", name=TITLE).click()
    assert "Zqxreply we see it too" in applicant.content()
    with applicant.expect_download() as download:
        applicant.get_by_role("link", name="Export as STIX 2.1").click()
    bundle = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert any(o["id"] == TLP2_IDS["amber"] for o in bundle["objects"])
    assert any(o.get("name") == TITLE for o in bundle["objects"])

    # 6. Team C sees nothing of it: no title, no count, no search hit, no page.
    third = sign_in(browser, live_server, "third")
    third.goto(f"{url}/forum/")
    assert "Zqxjourney" not in third.content()
    third.goto(f"{url}/forum/search/?q=ransomware")
    assert TITLE not in third.content()
    response = third.goto(thread_url)
    assert response is not None and response.status == 404
    assert "Zqxjourney" not in third.content()
