"""In a real browser (Playwright, the system Chromium): a planner builds a tabletop exercise
from an imported MSEL, runs it with two player teams (the Coast guard through a participant
link), an evaluator observes and rates, the director produces the AAR/IP as DOCX and PDF, the
improvement action appears on the follow-up evaluation, and the exercise counts in the
plan's progress."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest

from cicte.core.types import SYSTEM
from cicte.evaluations import services as evaluation_services
from cicte.plan.models import Target
from cicte.progress.selectors import target_progress
from tests.accounts.factories import user_with_role
from tests.exercises.test_done_when import MSEL_HEADERS, MSEL_ROWS
from tests.exercises.test_msel import workbook

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


def form(page, action: str):
    return page.locator(f"form[action$='{action}']")


def test_exercise_journey(browser, live_server, plan_2012, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    target = Target.objects.get(plan=plan_2012, text__startswith="3 Simulation exercises")
    before = target_progress(target=target).delivered
    for name, role in (
        ("planner", "secretariat"),
        ("controller", None),
        ("evaluator", None),
        ("player", None),
    ):
        user_with_role(role, username=name, password=PASSWORD, email=f"{name}@x.test")

    planner = sign_in(browser, live_server, "planner")
    planner.goto(f"{live_server.url}/exercises/new/")
    planner.get_by_label("Title").fill("Port crisis tabletop 2012")
    planner.get_by_label("…or the target a new event counts toward (code)").fill(target.code)
    planner.get_by_label("Exercise start").fill("2012-05-10T09:00")
    planner.get_by_label("Exercise end").fill("2012-05-10T13:00")
    planner.get_by_role("button", name="Create the exercise").click()
    planner.get_by_text("you are its director").wait_for()
    base = planner.url.rstrip("/")
    for team in ("Port authority", "Coast guard"):
        form(planner, "/setup/team/").get_by_label("Team name").fill(team)
        form(planner, "/setup/team/").get_by_role("button").click()
    for user, role in (
        ("controller", "Controller / facilitator"),
        ("evaluator", "Evaluator"),
        ("player", "Player"),
    ):
        roles = form(planner, "/setup/role/")
        roles.get_by_label("User name").fill(user)
        roles.get_by_label("Role").select_option(label=role)
        if role == "Player":
            roles.get_by_label("Team (players)").select_option(label="Port authority")
        roles.get_by_role("button").click()
        planner.get_by_text("The role was assigned.").wait_for()
    links = form(planner, "/setup/link/")
    links.get_by_label("Name").fill("Coast guard officer")
    links.get_by_label("Team (players)").select_option(label="Coast guard")
    links.get_by_role("button").click()
    link = planner.locator("code.new-link").inner_text()
    objective = form(planner, "/setup/objective/")
    objective.get_by_label("Objective").fill("Coordinate the port response")
    objective.get_by_label("Capabilities").select_option(label="Operational Coordination")
    objective.get_by_role("button").click()
    task = form(planner, "/setup/task/")
    task.get_by_label("Capability").select_option(label="Operational Coordination")
    task.get_by_label("Critical task").fill("Activate the port security plan")
    task.get_by_role("button").click()

    # The MSEL from a workbook, through the column-mapping page.
    sheet = tmp_path / "msel.xlsx"
    sheet.write_bytes(workbook(MSEL_ROWS, headers=MSEL_HEADERS))
    planner.goto(f"{base}/msel/import/")
    planner.get_by_label("MSEL workbook (.xlsx)").set_input_files(str(sheet))
    planner.get_by_role("button", name="Upload").click()
    assert planner.get_by_label("Method").input_value() != ""
    planner.get_by_role("button", name="Import").click()
    planner.get_by_text("3 injects imported.").wait_for()

    # Both teams acknowledge the communications check; the planner marks the exercise ready.
    player = sign_in(browser, live_server, "player")
    player.goto(f"{base}/play/")
    player.get_by_role("button", name="Acknowledge the communications check").click()
    guest = browser.new_context(viewport={"width": 800, "height": 1000}).new_page()
    guest.goto(link)
    guest.get_by_role("button", name="Acknowledge the communications check").click()
    planner.goto(base + "/")
    planner.get_by_role("button", name="Mark ready").click()
    planner.get_by_text("The exercise is ready to start.").wait_for()

    # The controller runs it: start, release the injects.
    controller = sign_in(browser, live_server, "controller")
    controller.goto(f"{base}/control/")
    controller.get_by_role("button", name="Start").click()
    for number in (1, 2, 3):
        controller.get_by_role("button", name=f"Release #{number}").click()
        controller.get_by_text(f"Inject {number} released.").wait_for()

    # The Port authority answers on the platform (the feed updates itself through htmx).
    player.get_by_text("Scanner alarm on berth 4").wait_for(timeout=20_000)
    assert player.get_by_text("Status request by radio").count() == 0
    player.get_by_label("Your response").first.fill("Plan activated")
    player.get_by_role("button", name="Send the response").first.click()
    player.get_by_text("Your response was sent.").wait_for()
    # The Coast guard answers through its link.
    guest.reload()
    guest.get_by_text("Status request by radio").first.wait_for()
    assert guest.get_by_text("Scanner alarm on berth 4").count() == 0
    guest.get_by_label("Your response").first.fill("Cordon set")
    guest.get_by_role("button", name="Send the response").first.click()
    guest.get_by_text("Your response was sent.").wait_for()

    # The evaluator observes and rates.
    evaluator = sign_in(browser, live_server, "evaluator")
    for text, rating in (("Plan activated in 4 minutes", "P"), ("Media line was late", "M")):
        evaluator.goto(f"{base}/evaluate/")
        evaluator.get_by_label("Observation").fill(text)
        evaluator.get_by_label("Rating (P, S, M or U)").fill(rating)
        evaluator.get_by_role("button", name="Record").click()
        evaluator.get_by_text("The observation was recorded.").wait_for()
    controller.get_by_role("button", name="End the exercise").click()

    # The AAR/IP: built from the observations, one improvement action, final; DOCX and PDF.
    evaluator.goto(f"{base}/report/")
    evaluator.get_by_role("button", name="Build the draft from the observations").click()
    action = form(evaluator, "/report/action/")
    action.get_by_label("Corrective action").fill("Publish a joint media protocol")
    action.get_by_label("Primary responsible organization").fill("Port authority")
    action.get_by_label("Owner (user name, optional)").fill("planner")
    action.get_by_label("Due date").fill("2012-09-30")
    action.get_by_role("button").click()
    evaluator.get_by_text("The improvement action was added.").wait_for()
    planner.goto(f"{base}/report/")
    planner.get_by_role("button", name="Finalize the report").click()
    planner.get_by_text("The report is final.").wait_for()
    for fmt in ("DOCX", "PDF"):
        with planner.expect_download() as download:
            planner.get_by_role("link", name=fmt, exact=True).first.click()
        path = download.value.path()
        assert path is not None and os.path.getsize(path) > 1000
        assert download.value.suggested_filename.endswith("-aar-en." + fmt.lower())

    # The follow-up evaluation (4.A) shows the improvement action.
    follow_up = evaluation_services.evaluation_create(
        actor=SYSTEM,
        kind="follow_up",
        date=dt.date(2012, 10, 15),
        evaluator="CICTE",
        project=target.project,
    )
    planner.goto(f"{live_server.url}{follow_up.get_absolute_url()}")
    row = planner.locator("#followed-up")
    assert re.search("Publish a joint media protocol", row.inner_text())

    # The exercise counts in the plan's progress.
    assert target_progress(target=target).delivered == before + 1
