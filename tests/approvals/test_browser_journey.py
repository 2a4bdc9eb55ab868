"""In a real browser (Playwright, the system Chromium, a phone-sized window): the program
manager of 1.B sees the completeness of 2012-H1 and submits it; the Secretariat approves it;
an edit of a 1.B event of that half-year is refused on the form with the lock's message; a
point of contact nominates an official to a scholarship call and the nominee confirms."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.core import mail

from cicte.core.types import SYSTEM
from cicte.directory.models import Organization
from cicte.plan.models import Target
from cicte.scholarships import services as scholarships

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-password"


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


def test_submit_approve_locked_edit_and_nomination(browser, live_server, world, django_user_model):
    url = live_server.url
    program = world.programs["1.B"]
    event = world.events["b"]

    # 1. The program manager reads the completeness and submits.
    pm = sign_in(browser, live_server, "pm_b")
    pm.goto(f"{url}/workspace/approvals/{program.pk}/2012-H1/")
    assert "The narrative is written." in pm.content()
    pm.get_by_role("button", name="Submit for approval").click()
    assert "Submitted for approval." in pm.content()
    assert pm.locator("#approval-status").inner_text() == "Submitted"

    # 2. The Secretariat approves from the overview.
    officer = sign_in(browser, live_server, "secretariat")
    officer.goto(f"{url}/workspace/approvals/?plan=2012&period=2012-H1")
    officer.get_by_role("link", name="1.B").click()
    officer.get_by_role("button", name="Approve and lock").click()
    assert "the events of this half-year are locked" in officer.content()

    # 3. Editing the 1.B event is refused on the form, naming the lock.
    officer.goto(f"{url}/workspace/events/{event.pk}/edit/")
    officer.get_by_label("Title").fill("Changed in the browser")
    officer.get_by_role("button", name="Save", exact=True).click()
    officer.wait_for_load_state()
    assert "Events of program 1.B for 2012-H1 are locked by the approval of" in officer.content()
    event.refresh_from_db()
    assert event.title == "Aviation security workshop Kingston"

    # 4. A point of contact nominates an official; the nominee confirms by the link.
    from cicte.access.models import Membership, Role
    from cicte.directory.models import MemberState

    poc = django_user_model.objects.create_user(
        username="poc_jam", password=PASSWORD, email="poc@jam.test"
    )
    Membership.objects.create(
        user=poc, role=Role.POINT_OF_CONTACT, member_state=MemberState.objects.get(code="JAM")
    )
    icao, _ = Organization.objects.get_or_create(
        name="International Civil Aviation Organization", defaults={"acronym": "ICAO"}
    )
    today = dt.date.today()
    call = scholarships.call_create(
        actor=SYSTEM,
        plan=world.plan,
        target=Target.objects.get(plan=world.plan, code="1.B.3.a"),
        course="ICAO Aviation Security Course",
        provider=icao,
        start_date=today + dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=34),
        seats=10,
        nomination_deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=10),
    )
    scholarships.call_publish(actor=SYSTEM, call=call)
    page = sign_in(browser, live_server, "poc_jam")
    page.goto(f"{url}/scholarships/")
    page.get_by_role("link", name="ICAO Aviation Security Course").click()
    page.get_by_label("Name").fill("Ann Inspector")
    page.get_by_label("Institution").fill("JCAA")
    page.get_by_label("Sex").select_option("f")
    page.get_by_label("E-mail").fill("ann@jcaa.test")
    page.get_by_role("button", name="Nominate").click()
    assert "the nominee was sent a link to confirm" in page.content()
    link = next(
        found
        for message in mail.outbox
        for found in re.findall(r"(/scholarships/confirm/[^/\s]+/)", message.body)
    )
    nominee = browser.new_context(locale="es-ES").new_page()
    nominee.goto(f"{url}{link}")
    nominee.get_by_role("button").last.click()
    assert "su postulación está confirmada" in nominee.content()
    assert call.nominations.get().confirmed_at is not None
