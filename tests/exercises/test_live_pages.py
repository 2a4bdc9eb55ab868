"""Through the pages: the controller skips an inject and adds a contingency inject during
conduct (item 4); the Situation Manual and the Handbook as PDF and DOCX in English and
Spanish (item 3); participant feedback through the evaluations' questionnaire (item 5); the
statistics workbook's figures (item 7)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from cicte.evaluations.models import Questionnaire
from cicte.exercises import services
from cicte.exercises.models import Capability, Inject, InjectStatus
from tests.accounts.factories import user_with_role
from tests.factories import EventFactory, EventTargetFactory

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def live(db):
    director = user_with_role("secretariat", username="dir", email="dir@x.test")
    controller = user_with_role(None, username="ctl", email="ctl@x.test")
    evaluator = user_with_role(None, username="ev", email="ev@x.test")
    player = user_with_role(None, username="p1", email="p1@x.test")
    event = EventFactory(kind="exercise", status="planned")
    EventTargetFactory(event=event)
    now = timezone.now()
    exercise = services.exercise_create(
        actor=director,
        title="Port CME",
        type="tabletop",
        event=event,
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        scenario="A suspicious container at berth 4.",
    )
    team = services.team_add(actor=director, exercise=exercise, name="Port authority")
    services.role_add(actor=director, exercise=exercise, user=player, role="player", team=team)
    services.role_add(actor=director, exercise=exercise, user=controller, role="controller")
    services.role_add(actor=director, exercise=exercise, user=evaluator, role="evaluator")
    for offset, title in ((0, "Scanner alarm"), (20, "Reporter calls"), (60, "Navy asks")):
        services.inject_add(
            actor=director,
            exercise=exercise,
            offset_minutes=offset,
            title=title,
            teams=[team],
            method="document",
            content=f"{title} content",
            expected_action=f"{title} expected",
        )
    services.comcheck_ack(actor=player, exercise=exercise)
    services.exercise_mark_ready(actor=director, exercise=exercise)
    services.exercise_control(actor=director, exercise=exercise, action="start")
    return {
        "exercise": exercise,
        "team": team,
        "director": _login(director),
        "controller": _login(controller),
        "evaluator": _login(evaluator),
        "player": _login(player),
    }


def test_controller_skips_and_adds_a_contingency_inject(live):
    exercise, controller, player = live["exercise"], live["controller"], live["player"]
    base = f"/exercises/{exercise.pk}"
    reporter = exercise.injects.get(title="Reporter calls")

    # A player may neither skip nor add: nothing changes.
    assert player.post(f"{base}/injects/{reporter.pk}/skip/").status_code == 404
    player.post(
        f"{base}/control/contingency/",
        {"offset_minutes": 5, "title": "Sneaky", "teams": [live["team"].pk], "method": "email"},
    )
    reporter.refresh_from_db()
    assert reporter.status == InjectStatus.PENDING
    assert not exercise.injects.filter(title="Sneaky").exists()

    # The controller skips the reporter inject with a reason: timestamped in its history.
    page = controller.post(
        f"{base}/injects/{reporter.pk}/skip/", {"reason": "Time is short"}, follow=True
    )
    assert f"Inject {reporter.number} skipped." in page.content.decode()
    reporter.refresh_from_db()
    assert reporter.status == InjectStatus.SKIPPED and reporter.skip_reason == "Time is short"
    skipped = reporter.history.get(history_change_reason="skipped")
    assert skipped.history_date is not None
    assert skipped.history_user.username == "ctl"
    Inject.objects.filter(pk=reporter.pk).update(offset_minutes=0)  # now due by schedule
    # The scheduler never releases a skipped inject.
    assert [i.title for i in services.release_due()] == ["Scanner alarm"]

    # The controller adds a contingency inject from the live page; it waits for a hand release.
    page = controller.post(
        f"{base}/control/contingency/",
        {
            "offset_minutes": 0,
            "title": "Power cut at the terminal",
            "teams": [live["team"].pk],
            "method": "phone",
            "content": "The terminal loses power",
            "expected_action": "Switch to the backup site",
        },
        follow=True,
    )
    assert "The contingency inject was added." in page.content.decode()
    added = exercise.injects.get(title="Power cut at the terminal")
    assert added.contingency and added.status == InjectStatus.PENDING
    assert "Power cut at the terminal" in controller.get(f"{base}/control/").content.decode()
    spanish = controller.get(f"{base}/control/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Añadir una inyección de contingencia" in spanish  # the live page in Spanish
    assert services.release_due() == []  # contingency: never by schedule
    feed = player.get(f"{base}/play/").content.decode()
    assert "Power cut" not in feed and "Reporter calls" not in feed
    controller.post(f"{base}/injects/{added.pk}/release/")
    feed = player.get(f"{base}/play/").content.decode()
    assert "The terminal loses power" in feed and "Switch to the backup site" not in feed
    assert "Reporter calls" not in feed  # skipped: never shown to players


def test_situation_manual_and_handbook_as_pdf_and_docx_in_english_and_spanish(live):
    from docx import Document
    from pypdf import PdfReader

    exercise, director, player = live["exercise"], live["director"], live["player"]
    base = f"/exercises/{exercise.pk}/documents"
    titles = {
        ("sitman", "en"): "Situation Manual",
        ("sitman", "es"): "Manual de situación",
        ("handbook", "en"): "Controller and Evaluator Handbook",
        ("handbook", "es"): "Manual de controladores y evaluadores",
    }
    for (doc, lang), title in titles.items():
        docx = director.get(f"{base}/{doc}.docx?lang={lang}")
        assert docx.status_code == 200, (doc, lang)
        document = Document(io.BytesIO(docx.content))
        text = "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for table in document.tables for row in table.rows for c in row.cells]
        )
        assert title in text, (doc, lang)
        pdf = director.get(f"{base}/{doc}.pdf?lang={lang}")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        pdf_text = " ".join(
            page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages
        )
        assert title.split()[0] in pdf_text and "Port CME" in pdf_text, (doc, lang)
        # The same template: the handbook alone carries the MSEL's expected actions.
        assert ("Scanner alarm expected" in text) == (doc == "handbook"), (doc, lang)
    # A player gets the Situation Manual, never the handbook.
    assert player.get(f"{base}/sitman.pdf?lang=es").status_code == 200
    assert player.get(f"{base}/handbook.pdf").status_code == 404
    assert player.get(f"{base}/handbook.docx?lang=es").status_code == 404


def test_participant_feedback_through_the_questionnaire(live):
    exercise, evaluator, player = live["exercise"], live["evaluator"], live["player"]
    base = f"/exercises/{exercise.pk}/evaluate"
    # A player cannot open it.
    refused = player.post(f"{base}/feedback/", follow=True)
    assert refused.status_code == 404 or "You may not open the feedback form." in (
        refused.content.decode()
    )
    assert not Questionnaire.objects.filter(event=exercise.event).exists()
    page = evaluator.post(f"{base}/feedback/", follow=True).content.decode()
    assert "The participant feedback form is open." in page
    questionnaire = Questionnaire.objects.get(event=exercise.event)
    assert questionnaire.is_open
    assert questionnaire.get_absolute_url() in evaluator.get(f"{base}/").content.decode()


def test_statistics_workbook(live):
    from openpyxl import load_workbook

    exercise, director, controller, player = (
        live["exercise"],
        live["director"],
        live["controller"],
        live["player"],
    )
    base = f"/exercises/{exercise.pk}"
    first = exercise.injects.get(title="Scanner alarm")
    controller.post(f"{base}/injects/{first.pk}/release/")
    player.post(f"{base}/play/{first.pk}/respond/", {"text": "Plan activated"})
    objective = services.objective_add(actor=_director(), exercise=exercise, text="Detect")
    capability = Capability.objects.get(code="operational-coordination")
    task = services.critical_task_add(
        actor=_director(), objective=objective, capability=capability, text="Triage"
    )
    for text, rating in (("Quick", "P"), ("Late media line", "M")):
        live["evaluator"].post(
            f"{base}/evaluate/observation/",
            {"critical_task": task.pk, "text": text, "rating": rating},
        )

    response = director.get(f"{base}/statistics.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["injects"] == 3 and summary["released"] == 1
    assert summary["released on time"] == 1  # released by hand at once
    assert summary["average response time (minutes)"] is not None
    injects = list(book["Injects"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in injects] == ["Scanner alarm", "Reporter calls", "Navy asks"]
    assert injects[0][6] == 1  # one response
    ratings = list(book["Ratings by capability"].iter_rows(min_row=2, values_only=True))
    assert len(ratings) == 1 and ratings[0][1:] == (1, 0, 1, 0, "M")
    # Staff only: a player gets no statistics.
    assert player.get(f"{base}/statistics.xlsx").status_code == 404


def _director():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="dir")


def test_each_participant_gets_a_calendar_of_meetings_window_and_hot_wash(live):
    from icalendar import Calendar

    from cicte.exercises.calendar import feed_token

    exercise, director = live["exercise"], live["director"]
    base = f"/exercises/{exercise.pk}"
    for kind, title in (
        ("planning", "Zqplanning meeting"),
        ("hot_wash", "Zqhot wash"),
        ("briefing", "Zqcontroller briefing"),
    ):
        response = director.post(
            f"{base}/setup/session/",
            {
                "kind": kind,
                "title": title,
                "starts_at": "2030-05-10T09:00",
                "ends_at": "2030-05-10T10:00",
            },
        )
        assert response.status_code == 302

    def summaries(username: str) -> set[str]:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username=username)
        response = Client().get(f"/exercises/calendar/{feed_token(user)}.ics")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        return {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}

    player = summaries("p1")
    prefix = "[EXERCISE] Port CME: "
    # The exercise window (titled as the exercise), the planning meeting, the hot wash.
    assert {prefix + t for t in ("Port CME", "Zqplanning meeting", "Zqhot wash")} <= player
    assert prefix + "Zqcontroller briefing" not in player  # a briefing: exercise staff only
    assert prefix + "Zqcontroller briefing" in summaries("ctl")
    assert Client().get("/exercises/calendar/not-a-token.ics").status_code == 404
