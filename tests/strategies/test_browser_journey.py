"""In a real browser (Playwright, the system Chromium, a phone-sized window): Jamaica's point
of contact submits its strategy with the PDF; the Secretariat verifies and publishes; the
public finds it by searching "estrategia nacional" or "JAMAICA" (accents and case ignored),
opens the profile, compares Jamaica, Colombia and Panama and downloads the CSV; Jamaica's
unconsented assessment appears nowhere publicly."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest

from cicte.access.models import Role
from cicte.core.types import SYSTEM
from cicte.strategies import services
from cicte.strategies.models import Jurisdiction
from tests.accounts.factories import user_with_role
from tests.strategies.documents import make_pdf

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-browser-password"
SECRET = "Zqxjourney unconsented"


def sign_in(browser, live_server, username: str):
    context = browser.new_context(
        viewport={"width": 420, "height": 900}, locale="en-US", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url
    return page


def test_strategy_journey(browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    url = live_server.url
    user_with_role(Role.POINT_OF_CONTACT, username="poc-jam", member_state="JAM", password=PASSWORD)
    user_with_role(Role.SECRETARIAT, username="officer", password=PASSWORD)
    assigned = user_with_role(Role.SECRETARIAT, username="assigned", password=PASSWORD)
    jamaica = Jurisdiction.objects.get(code="JAM")
    services.jurisdiction_assign(actor=SYSTEM, jurisdiction=jamaica, users=[assigned])
    assessment = services.assessment_create(
        actor=assigned, jurisdiction=jamaica, assessed_on=dt.date(2023, 5, 1)
    )
    services.ratings_set(
        actor=assigned,
        assessment=assessment,
        ratings=[{"factor": "D1.1", "stage": 3, "evidence": SECRET}],
    )
    pdf = tmp_path / "jamaica-ncs.pdf"
    pdf.write_bytes(make_pdf("Estrategia Nacional de Ciberseguridad de Jamaica"))

    # 1. Jamaica's point of contact submits the strategy with its PDF.
    poc = sign_in(browser, live_server, "poc-jam")
    poc.goto(f"{url}/strategies/")
    poc.get_by_role("link", name="Submit an entry").first.click()
    poc.get_by_label("Kind").select_option("strategy")
    poc.get_by_label("Title in the original language").fill("National Cyber Security Strategy")
    poc.get_by_label("Translated titles").fill("es: Estrategia Nacional de Ciberseguridad")
    poc.get_by_label("Status").select_option("adopted")
    poc.get_by_label("Adopted on").fill("2015-03-01")
    poc.get_by_label("Lead agency").fill("Ministry of Science, Energy and Technology")
    poc.get_by_label("Archived copy (PDF, DOCX, ODT or HTML)").set_input_files(str(pdf))
    poc.get_by_role("button", name="Save").click()
    assert "the Secretariat verifies the source" in poc.content()
    document_url = poc.url

    # 2. The Secretariat verifies and publishes.
    officer = sign_in(browser, live_server, "officer")
    officer.goto(f"{url}/workspace/strategies/")
    officer.get_by_role("link", name="National Cyber Security Strategy").click()
    officer.get_by_label("Verification note (source checked, what to fix)").fill("Gazette checked")
    officer.get_by_role("button", name="Verify and publish").click()
    assert "The entry was verified and published." in officer.content()

    # 3. The public finds it (accents and case ignored), sees the profile, compares, downloads.
    context = browser.new_context(viewport={"width": 420, "height": 900}, locale="en-US")
    public = context.new_page()
    public.set_default_timeout(15_000)
    for query in ("estrategia nacional", "JAMAICA", "Estrategía Nacionál"):
        public.goto(f"{url}/strategies/")
        public.get_by_label("Search the strategies").fill(query)
        public.get_by_role("button", name="Search").click()
        assert public.get_by_role("link", name="National Cyber Security Strategy").is_visible()
    public.get_by_role("link", name="National Cyber Security Strategy").click()
    assert public.url == document_url
    assert "SHA-256" in public.content()
    public.get_by_role("link", name="Jamaica").first.click()
    assert public.get_by_role("heading", name="Jamaica JAM").is_visible()
    assert SECRET not in public.content()
    assert "No published maturity assessment." in public.content()
    public.goto(f"{url}/strategies/compare/")
    public.get_by_label("Jurisdiction 1").select_option("JAM")
    public.get_by_label("Jurisdiction 2").select_option("COL")
    public.get_by_label("Jurisdiction 3").select_option("PAN")
    public.get_by_role("button", name="Compare").click()
    for name in ("Jamaica", "Colombia", "Panama"):
        assert public.get_by_role("heading", name=name).is_visible()
    public.goto(f"{url}/strategies/")
    with public.expect_download() as download:
        public.get_by_role("link", name="CSV of the documents").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["title"] for r in rows] == ["National Cyber Security Strategy"]
    assert rows[0]["title_es"] == "Estrategia Nacional de Ciberseguridad"

    # 4. The unconsented assessment appears nowhere publicly.
    for path in (
        f"/strategies/assessments/{assessment.pk}/",
        f"/api/strategies/assessments/{assessment.pk}",
        f"/strategies/assessments/{assessment.pk}/export/xlsx/",
    ):
        response = public.request.get(url + path)
        assert response.status == 404
        assert SECRET not in response.text()
    for path in (
        "/strategies/JAM.json",
        "/api/strategies/jurisdictions/JAM",
        "/strategies/documents.csv",
        "/strategies/documents.jsonld",
        "/strategies/?q=zqxjourney",
        "/api/strategies/documents?q=zqxjourney",
    ):
        response = public.request.get(url + path)
        assert response.status == 200
        assert SECRET not in response.text(), path
    # The state's point of contact does see it on the profile.
    poc.goto(f"{url}/strategies/JAM/")
    assert "Not public: the state has not consented." in poc.content()
