"""Completion feedback through the evaluations' questionnaire (issue 20, item 5) and the
awardees' travel (item 4 "an award, travel, attendance"), through the pages users use: the
completed scholar is e-mailed the course's questionnaire link, answers it anonymously on
the evaluations' form, and the call page and the donors' page show the aggregates; staff
record travel (bad input refused, nothing written), see it on the call page and in the XLSX
export."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cicte.core.types import SYSTEM
from cicte.evaluations.models import Questionnaire, Response
from cicte.scholarships import services
from cicte.scholarships.models import Nomination, NominationStatus, Travel
from tests.scholarships.test_rules import nominate, open_call

pytestmark = pytest.mark.django_db


def _awarded(world, seats=2):
    call = open_call(world, seats=seats, funding_source=world.donor)
    nominations = []
    for code, i in (("JAM", 1), ("BRB", 2), ("TTO", 3)):
        submitted = nominate(world, call, code, i)
        services.nomination_confirm(token=submitted.token)
        nominations.append(submitted.nomination)
    services.call_close(actor=SYSTEM, call=call)
    services.selection_apply(
        actor=SYSTEM,
        call=call,
        decisions=[
            services.Decision(n.pk, "accepted" if rank < 2 else "waitlisted", rank + 1)
            for rank, n in enumerate(nominations)
        ],
    )
    return call, nominations


def _answer(link: str, scores: dict[str, int]) -> None:
    anonymous = Client()
    page = anonymous.get(link).content.decode()
    code = re.search(r'name="code" value="([^"]+)"', page)[1]
    response = anonymous.post(link, {"code": code, **scores, "comment": "Useful"})
    assert response.status_code in (200, 302), response.content.decode()[:500]


def test_completed_scholars_get_the_course_questionnaire(world, django_capture_on_commit_callbacks):
    call, (jam, brb, _tto) = _awarded(world)
    officer = world.client("officer")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            reverse("workspace:scholarship-complete", args=[jam.pk]), {"outcome": "completed"}
        )
    call.refresh_from_db()
    questionnaire = Questionnaire.objects.get(event_id=call.event_id)  # the evaluations' one
    assert questionnaire.is_open
    (message,) = [m for m in mail.outbox if jam.email in m.to]
    assert "Your feedback on" in message.subject
    link = re.search(r"https://cicte\.test(/feedback/[^/\s]+/)", message.body)[1]
    assert link == questionnaire.get_absolute_url()

    # Not completing sends nothing; the second completion reuses the same questionnaire.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            reverse("workspace:scholarship-complete", args=[brb.pk]), {"outcome": "completed"}
        )
    assert Questionnaire.objects.filter(event_id=call.event_id).count() == 1
    (second,) = [m for m in mail.outbox if brb.email in m.to]
    assert link in second.body

    # The scholars answer on the evaluations' form (anonymous; one answer per form).
    _answer(link, {"satisfaction": 5, "relevance": 4, "knowledge_before": 2, "knowledge_after": 5})
    _answer(link, {"satisfaction": 4, "relevance": 4, "knowledge_before": 3, "knowledge_after": 4})
    assert Response.objects.filter(questionnaire=questionnaire).count() == 2

    # The call page shows the aggregates (no names next to them); so does the donors' page.
    page = officer.get(reverse("workspace:scholarship-call", args=[call.pk])).content.decode()
    assert "Feedback of the scholars" in page
    table = page[page.index('id="feedback-results"') :]
    assert "4.50" in table and "4.00" in table  # satisfaction, relevance
    assert "2.50" in table and "2.00" in table  # knowledge before 2.50, after 4.50: gain 2.00
    donor = world.client("donor").get(reverse("scholarships:completions")).content.decode()
    feedback = donor[donor.index('id="scholar-feedback"') :]
    assert "4.50" in feedback and "JAM Official" not in donor
    # The evaluations' own results count the same answers (one flow, not a second one).
    from cicte.evaluations.selectors import feedback_for_event

    assert feedback_for_event(event=call.event).responses == 2

    # A questionnaire staff closed stays closed: a later completion sends no link.
    questionnaire.is_open = False
    questionnaire.save()
    late = Nomination.objects.get(pk=jam.pk)
    late.status = NominationStatus.ACCEPTED
    late.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(
            reverse("workspace:scholarship-complete", args=[jam.pk]), {"outcome": "completed"}
        )
    assert not [m for m in mail.outbox if "Your feedback on" in m.subject]


def test_staff_record_travel_shown_on_the_page_and_in_the_export(world):
    call, (jam, _brb, tto) = _awarded(world)
    officer = world.client("officer")
    url = reverse("workspace:scholarship-travel", args=[jam.pk])
    prefix = f"travel-{jam.pk}-"
    good = {
        f"{prefix}departure": "2012-06-03",
        f"{prefix}return_date": "2012-06-09",
        f"{prefix}itinerary": "KIN-MIA-PTY, CM 431",
        f"{prefix}status": "booked",
        f"{prefix}cost": "812.40",
        f"{prefix}currency": "usd",
    }
    # Bad input: return before departure, negative cost, a bad currency, travelled before
    # departure; a point of contact may not record it. Nothing written.
    for bad in (
        {f"{prefix}return_date": "2012-06-01"},
        {f"{prefix}cost": "-5"},
        {f"{prefix}currency": "U$"},
        {f"{prefix}status": "travelled"},  # the services' clock is 1 April 2012
    ):
        officer.post(url, {**good, **bad}, follow=True)
    assert world.client("poc_jam").post(url, good).status_code in (302, 403, 404)
    assert not Travel.objects.exists()
    page = officer.post(url, {**good, f"{prefix}return_date": "2012-06-01"}, follow=True)
    assert "The return is before the departure." in page.content.decode()

    page = officer.post(url, good, follow=True).content.decode()
    assert "Travel recorded." in page
    travel = Travel.objects.get(nomination=jam)
    assert (str(travel.cost), travel.currency, travel.status) == ("812.40", "USD", "booked")
    assert "KIN-MIA-PTY, CM 431" in page and "812.40 USD" in page
    # An update, not a second record; its history is kept.
    officer.post(url, {**good, f"{prefix}itinerary": "KIN-PTY, CM 433"})
    assert Travel.objects.count() == 1 and travel.history.count() == 2
    # Travel is for awardees only (not the waitlist).
    other = f"travel-{tto.pk}-"
    page = officer.post(
        reverse("workspace:scholarship-travel", args=[tto.pk]),
        {k.replace(prefix, other): v for k, v in good.items()},
        follow=True,
    ).content.decode()
    assert "Travel is recorded for awardees only" in page
    assert Travel.objects.count() == 1

    export = officer.get(reverse("workspace:scholarship-export", args=[call.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    rows = list(workbook["Travel"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Name", "Member state", "Status", "Departure")
    assert len(rows) == 2 and rows[1][0] == jam.name and rows[1][5] == "KIN-PTY, CM 433"
    assert rows[1][6] == "Booked" and float(rows[1][7]) == 812.40 and rows[1][8] == "USD"
    # The public and the points of contact never see travel.
    public = Client().get(reverse("scholarships:call", args=[call.pk])).content.decode()
    assert "KIN-PTY" not in public
