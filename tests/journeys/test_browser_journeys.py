"""Each role's main journey in a real browser (Playwright, the system Chromium), one browser
session per role: sign in through the form, land on the role's home, walk the pages the role
needs — never a 4xx or 5xx response — then walk the same pages again in Spanish, French and
Portuguese (once its catalogues exist) after choosing the language in the header; no
untranslated text in any language (``tests/journeys/i18n.py``)."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal

import pytest

from cicte.access.models import Role
from cicte.core.types import SYSTEM
from cicte.delivery.models import EventStatus
from cicte.delivery.services import CountryRow, event_record
from cicte.directory.models import MemberState, Organization
from cicte.funding import services as funding
from cicte.reports import services as reports
from tests.accounts.factories import PASSWORD, user_with_role
from tests.journeys.i18n import axe_violations, has_catalogues, untranslated

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _ensure_member_states() -> None:
    from cicte.directory.data import MEMBER_STATES

    for code, alpha2, subregion, small_island in MEMBER_STATES:
        MemberState.objects.get_or_create(
            code=code,
            defaults={"alpha2": alpha2, "subregion": subregion, "small_island_state": small_island},
        )


@pytest.fixture
def world(transactional_db, plan_2012_document, settings, tmp_path, monkeypatch):
    """The 2012 plan, two held events for Jamaica (one funded by Canada), a contribution of
    Canada to project 1.A.3, a published 2012-H1 report, and one user per role."""
    from cicte.plan.services import plan_import
    from cicte.reports.renderers import pdf

    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # WeasyPrint takes seconds per report; the journeys test the way to the file.
    monkeypatch.setattr(pdf, "render", lambda data, paper="a4": b"%PDF-1.7 journeys")
    # Migration data (member states, governments) as a flush between live-server tests may
    # have left it (serialized_rollback restores it on SQLite; not always on PostgreSQL).
    _ensure_member_states()
    canada, _created = Organization.objects.get_or_create(
        name="Canada", defaults={"group": "government"}
    )
    plan = plan_import(document=plan_2012_document, actor=SYSTEM).plan
    for title, code, funder in (
        ("Maritime drills workshop", "1.A.3.a", canada),
        ("Cyber-security workshop", "3.A.1.a", None),
    ):
        event_record(
            actor=SYSTEM,
            plan=plan,
            kind="workshop",
            title=title,
            start_date=dt.date(2012, 3, 5),
            end_date=dt.date(2012, 3, 7),
            status=EventStatus.HELD,
            targets=[(plan.targets.get(code=code), 1)],
            beneficiaries=["JAM", "BRB"],
            host_state=MemberState.objects.get(code="JAM"),
            participants_total=20,
            participants_women=9,
            participants_men=11,
            country_participation=[CountryRow("JAM", 2, 3, 0)],
            funding_source=funder,
        )
    donor = funding.donor_create(actor=SYSTEM, kind="organization", organization=canada)
    funding.contribution_record(
        actor=SYSTEM,
        donor=donor,
        plan=plan,
        amount=Decimal("50000"),
        currency="USD",
        date=dt.date(2012, 2, 1),
        project=plan.projects.get(code="1.A.3"),
    )
    reports.report_publish(
        actor=SYSTEM, plan=plan, period="2012-H1", language="en", issued=dt.date(2012, 7, 16)
    )
    return {
        "plan": plan,
        "contact": user_with_role(Role.POINT_OF_CONTACT, username="contact", member_state="JAM"),
        "donor": user_with_role(Role.DONOR, username="donor", organization=canada),
        "manager": user_with_role(
            Role.PROGRAM_MANAGER, username="manager", programs=[plan.programs.get(code="1.A")]
        ),
        "officer": user_with_role(Role.SECRETARIAT, username="officer"),
    }


class Walk:
    """One person's browser session: every response is watched, every page is checked for
    text in the wrong language, and the pages visited can be walked again in another
    language."""

    def __init__(self, browser, live_server, *, phone: bool = False) -> None:
        size = {"width": 420, "height": 900} if phone else {"width": 1280, "height": 900}
        self.context = browser.new_context(viewport=size, locale="en-US")
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.url = live_server.url
        self.failures: list[str] = []
        self.visited: list[str] = []
        self.language = "en"
        self.axed: set[str] = set()
        self.page.on("response", self._response)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def check(self) -> None:
        path = self.page.url.removeprefix(self.url).split("#")[0]
        if path not in self.visited and self.page.url.startswith(self.url):
            self.visited.append(path)
        self.failures += [
            f"{path} ({self.language}): {p}" for p in untranslated(self.page, self.language)
        ]
        if self.language == "en" and path.split("?")[0] not in self.axed:
            self.axed.add(path.split("?")[0])
            self.failures += [f"{path}: axe {v}" for v in axe_violations(self.page)]

    def go(self, path: str) -> None:
        self.page.goto(self.url + path)
        self.check()

    def click(self, locator) -> None:
        """Click a link or a submit button and check the page it leads to."""
        locator.click()
        self.page.wait_for_load_state()
        self.check()

    def sign_in(self, username: str) -> None:
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.click(self.page.get_by_role("button", name="Sign in").last)

    def again_in(self, language: str) -> None:
        """Choose ``language`` in the header's menu, then revisit every page seen (GET only)."""
        self.page.locator("#lang-select").select_option(language)
        self.page.locator("form.lang-form button").click()
        self.page.wait_for_load_state()
        assert self.page.locator("html").get_attribute("lang") == language
        self.language = language
        for path in list(self.visited):
            # A job's label and messages keep the language of the person who started it;
            # jobs started in Spanish are checked where a journey starts one.
            if not path.startswith("/jobs/"):
                self.go(path)

    def again_in_other_languages(self) -> None:
        """The pages seen, again in Spanish, French and Portuguese (the last once its
        catalogues are in the tree)."""
        for language in ("es", "fr", "pt"):
            if has_catalogues(language):
                self.again_in(language)

    def done(self) -> None:
        self.context.close()
        assert not self.failures, "\n".join(self.failures)


def test_point_of_contact_journey(browser, live_server, world):
    walk = Walk(browser, live_server, phone=True)
    walk.sign_in("contact")
    page = walk.page
    assert page.url.endswith("/accounts/my-country/")
    assert page.get_by_role("heading", name="Jamaica: what your country received").is_visible()
    assert "Participants from Jamaica" in page.content()
    walk.click(page.get_by_role("link", name="Requests").first)
    walk.go("/requests/new/")
    page.get_by_label("Subject").fill("Port security assessment")
    page.get_by_label("What is needed").fill("A needs assessment of two ports.")
    page.get_by_label("Contact name").fill("A. Contact")
    page.get_by_label("Contact e-mail").fill("contact@x.test")
    walk.click(page.get_by_role("button", name=re.compile("Submit|Send")))
    assert "Your request was submitted." in page.content()
    walk.go("/member-states/JAM/")
    assert page.get_by_role("heading", name="What it received").is_visible()
    walk.click(page.get_by_role("link", name="Reports").first)
    walk.click(page.locator("#published-reports tbody th a").first)
    assert "July 16, 2012" in page.content()
    walk.again_in("es")
    walk.go("/accounts/my-country/")
    assert "lo que recibió su país" in page.content()
    walk.again_in("fr")
    walk.go("/accounts/my-country/")
    assert "ce que votre pays a reçu" in page.content()
    if has_catalogues("pt"):
        walk.again_in("pt")
    walk.done()


def test_donor_journey(browser, live_server, world):
    walk = Walk(browser, live_server)
    walk.sign_in("donor")
    page = walk.page
    assert page.url.endswith("/funding/")
    walk.click(page.get_by_role("link", name=re.compile("1.A.3")).first)
    assert "50" in page.content()
    walk.go("/plans/2012/")
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name=re.compile("1.A MARITIME SECURITY")
    ).click()
    assert page.url.endswith("#p-1.A")
    walk.go("/reports/")
    walk.again_in_other_languages()
    walk.done()


def test_program_manager_journey(browser, live_server, world):
    walk = Walk(browser, live_server)
    walk.sign_in("manager")
    page = walk.page
    assert page.url.endswith("/workspace/")
    walk.click(
        page.get_by_role("navigation", name="Workspace").get_by_role(
            "link", name="Events", exact=True
        )
    )
    assert page.get_by_role("link", name="Import a spreadsheet").count() == 0
    walk.click(page.get_by_role("link", name="Record an event"))
    page.get_by_label("Title").fill("Maritime risk workshop")
    page.get_by_label("Start date").fill("2012-05-10")
    page.get_by_label("End date").fill("2012-05-08")
    page.get_by_label("Participants (total)").fill("12")
    page.locator("#id_participants_women").fill("8")
    page.locator("#id_participants_men").fill("8")
    page.get_by_label("Search the plan's targets").fill("3.A.1")
    walk.click(page.get_by_role("button", name="Search"))
    walk.click(page.get_by_role("button", name="Add 3.A.1.a"))  # another program's target
    walk.click(page.get_by_role("button", name="Save", exact=True))
    summary = page.locator("#error-summary").inner_text()
    for message in (
        "You may only record events toward targets",
        "The end date is before the start date.",
        "Women and men together exceed",
    ):
        assert message in summary, summary
    # Correct everything; three countries, one more row than offered.
    page.get_by_label("Target code").first.fill("1.A.3.a")
    page.get_by_label("End date").fill("2012-05-11")
    page.locator("#id_participants_men").fill("4")
    page.locator("#countries summary").click()
    for i, (code, women) in enumerate((("JAM", "2"), ("BRB", "3"))):
        page.locator(f"#id_countries-{i}-member_state").select_option(code)
        page.locator(f"#id_countries-{i}-women").fill(women)
    walk.click(page.get_by_role("button", name="Add a member state row"))
    assert page.locator("#id_countries-0-member_state").input_value() == "JAM"
    assert page.get_by_label("Title").input_value() == "Maritime risk workshop"
    page.locator("#id_countries-2-member_state").select_option("TTO")
    page.locator("#id_countries-2-women").fill("1")
    walk.click(page.get_by_role("button", name="Save", exact=True))
    assert "Event saved: Maritime risk workshop" in page.content()
    assert page.get_by_role("link", name="Edit").is_visible()
    walk.click(page.get_by_role("link", name="1.A.3.a"))
    walk.go("/workspace/report/")
    walk.again_in_other_languages()
    walk.done()


def test_secretariat_journey(browser, live_server, world):
    walk = Walk(browser, live_server)
    walk.sign_in("officer")
    page = walk.page
    assert page.url.endswith("/workspace/")
    assert "targets achieved or on track" in page.content()
    walk.click(
        page.get_by_role("navigation", name="Workspace").get_by_role(
            "link", name="Events", exact=True
        )
    )
    walk.click(page.get_by_role("link", name="Import a spreadsheet"))
    walk.click(page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Reports"))
    walk.click(page.get_by_role("link", name="PDF (A4)"))
    assert "/jobs/" in page.url and page.locator("#job-progress").count() == 1
    assert page.locator("#job-status").get_attribute("data-status") == "succeeded"
    page.go_back()
    page.locator("#id_period").fill("2012-H2")
    walk.click(page.get_by_role("button", name="Show the report"))
    assert "Draft, not yet issued" in page.content()
    page.get_by_label("Date of issue").fill("2013-01-15")
    walk.click(page.get_by_role("button", name="Publish this report"))
    assert page.locator("#job-status").get_attribute("data-status") == "succeeded"
    walk.click(page.get_by_role("link", name=re.compile(r"reports.\d")))
    assert "January 15, 2013" in page.content()
    pdf = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    assert pdf == page.url.removeprefix(walk.url) + "pdf/"
    assert page.request.get(walk.url + pdf).status == 200
    walk.again_in_other_languages()
    walk.go("/workspace/report/")
    # a job started in the last language walked (Portuguese)
    walk.click(page.get_by_role("link", name="PDF (A4)"))
    assert page.locator("#job-status").get_attribute("data-status") == "succeeded"
    assert "O relatório está pronto" in page.content()
    walk.done()


def test_public_journey(browser, live_server, world):
    walk = Walk(browser, live_server, phone=True)
    page = walk.page
    walk.go("/")
    walk.click(page.get_by_role("link", name=re.compile("2012")).first)
    assert page.get_by_text("Implements:").first.is_visible()
    walk.click(page.get_by_role("link", name="Mandates").first)
    walk.click(page.get_by_role("link", name="Member states").first)
    walk.click(page.get_by_role("link", name="Jamaica", exact=True))
    figures = page.locator(".received-figures").first.inner_text()
    assert "Events held" in figures and "2" in figures
    assert "Maritime drills workshop" not in page.content()  # counts only
    walk.click(page.get_by_role("link", name="Reports").first)
    walk.click(page.locator("#published-reports tbody th a").first)
    walk.again_in_other_languages()
    walk.done()
