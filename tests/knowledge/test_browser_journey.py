"""In a real browser (Playwright, the system Chromium, a phone-sized window): Jamaica's focal
point registers an upcoming summit and, as its host team, copies the planning checklist and
tracks it; after the event the team publishes its sanitised after-action report with a
lesson; the Secretariat validates and publishes the lesson; Colombia's focal point finds it
with a Spanish query typed without accents and marks it applied."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from cicte.access.models import Role
from cicte.core.types import SYSTEM
from cicte.knowledge import permissions, services
from cicte.knowledge.models import Lesson, MajorEvent
from cicte.sharing import services as sharing_services
from cicte.sharing.models import SharingOrganisation
from tests.accounts.factories import user_with_role
from tests.strategies.documents import make_pdf

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-browser-password"


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


def test_host_team_prepares_publishes_and_another_country_finds_the_lesson(
    browser, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    url = live_server.url
    user_with_role(Role.POINT_OF_CONTACT, username="poc-jam", member_state="JAM", password=PASSWORD)
    user_with_role(Role.SECRETARIAT, username="officer", password=PASSWORD)
    colombia = user_with_role(
        Role.POINT_OF_CONTACT, username="poc-col", member_state="COL", password=PASSWORD
    )
    agency = SharingOrganisation.objects.create(name="Policía Nacional", kind="government")
    sharing_services.membership_grant(
        actor=SYSTEM, community=permissions.network_community(), user=colombia, organisation=agency
    )
    start = timezone.localdate() + dt.timedelta(days=90)

    # 1. Jamaica's focal point registers the summit; it leads the host team.
    host = sign_in(browser, live_server, "poc-jam")
    host.goto(f"{url}/knowledge/events/")
    host.get_by_role("link", name="Register a major event").click()
    host.get_by_label("Name").fill("Caribbean Leaders Summit")
    host.get_by_label("Type").select_option("summit")
    host.get_by_label("Starts on").fill(start.isoformat())
    host.get_by_label("Ends on").fill((start + dt.timedelta(days=2)).isoformat())
    host.get_by_label("Expected attendance").fill("3000")
    host.get_by_role("button", name="Save").click()
    assert "the Secretariat validates it" in host.content()
    event = MajorEvent.objects.get(name="Caribbean Leaders Summit")
    services.event_validate(actor=SYSTEM, event=event)

    # 2. The host team copies the planning checklist and tracks it.
    host.get_by_role("link", name="Open the host workspace").click()
    host.get_by_role("button", name="Copy the planning checklist").click()
    assert "0 of 14 items done" in host.content()
    first = host.locator(".task-form").first
    first.get_by_label("Status").select_option("done")
    first.get_by_label("Evidence:", exact=True).fill("Committee minutes")
    first.get_by_role("button", name="Save").click()
    assert "1 of 14 items done (7%)" in host.content()

    # 3. After the event: the sanitised AAR, and a lesson from it.
    MajorEvent.objects.filter(pk=event.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=9),
        ends_on=timezone.localdate() - dt.timedelta(days=7),
    )
    aar = tmp_path / "informe.pdf"
    aar.write_bytes(make_pdf("Informe posterior a la accion de la cumbre"))
    host.goto(f"{url}/knowledge/events/{event.pk}/workspace/")
    host.get_by_role("link", name="Publish the sanitised after-action report").click()
    host.get_by_label("Sanitised report (PDF, DOCX, ODT or HTML)").set_input_files(str(aar))
    host.get_by_label("Title:", exact=True).fill("Informe de la Cumbre de Líderes del Caribe")
    host.get_by_label("Language:", exact=True).select_option("es")
    host.get_by_role("button", name="Save").click()
    assert "The sanitised after-action report is published." in host.content()
    host.get_by_role("link", name="Submit a lesson from this report").click()
    host.get_by_label("Title:", exact=True).fill(
        "Lección: acreditación temprana de las delegaciones"
    )
    host.get_by_label("Observation").fill("La acreditación tardía congestionó los accesos.")
    host.get_by_label("Recommendation").fill("Acreditar a las delegaciones un mes antes.")
    host.get_by_label("Planning-model area").select_option("venues")
    host.get_by_label("Language:", exact=True).select_option("es")
    host.get_by_role("button", name="Save").click()
    assert "the Secretariat validates it" in host.content()
    lesson = Lesson.objects.get()

    # 4. The Secretariat validates and publishes it (to the network, TLP:GREEN).
    officer = sign_in(browser, live_server, "officer")
    officer.goto(f"{url}/knowledge/lessons/{lesson.pk}/")
    officer.get_by_role("button", name="Validate").click()
    officer.get_by_role("button", name="Publish to its audience").click()
    assert "The lesson is published to its audience." in officer.content()

    # 5. Colombia's focal point finds it in Spanish, accents left out, and applies it.
    other = sign_in(browser, live_server, "poc-col")
    other.goto(f"{url}/knowledge/")
    other.get_by_label("Search").first.fill("leccion ACREDITACION delegaciones")
    other.get_by_role("button", name="Search").click()
    other.get_by_role("link", name="Lección: acreditación temprana de las delegaciones").click()
    other.get_by_label("How it was applied").fill("Aplicada en los Juegos Bolivarianos")
    other.get_by_role("button", name="Mark applied").click()
    assert "Aplicada en los Juegos Bolivarianos" in other.content()
    assert lesson.applications.get().user == colombia
