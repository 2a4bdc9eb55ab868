"""Done when (issue 14), through the pages a user uses, on the real 2012 Work Plan: a planner
builds a tabletop exercise from an imported MSEL, runs it with two player teams (one through
participant links), evaluators observe and rate, the AAR/IP is produced as DOCX/PDF, the
improvement actions appear on the follow-up evaluation, and the exercise counts in the plan's
progress (and in the semi-annual report)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.test import Client

from cicte.core.periods import Period
from cicte.core.types import SYSTEM
from cicte.evaluations import services as evaluation_services
from cicte.evaluations.models import Recommendation
from cicte.exercises.models import Capability, Exercise
from cicte.plan.models import Target
from cicte.progress.selectors import target_progress
from tests.accounts.factories import user_with_role
from tests.exercises.test_msel import workbook

pytestmark = pytest.mark.django_db

MSEL_HEADERS = [
    "Number",
    "Time",
    "Event synopsis",
    "Target teams",
    "Method",
    "Content",
    "Expected player action",
]
MSEL_ROWS = [
    [
        1,
        "00:00",
        "Suspicious container",
        "Port authority",
        "e-mail",
        "Scanner alarm on berth 4",
        "Activate the port security plan",
    ],
    [
        2,
        "00:30",
        "Navy asks for status",
        "Coast guard",
        "e-mail",
        "Status request by radio",
        "Report the cordon",
    ],
    [
        3,
        "01:00",
        "Media enquiry",
        "Port authority; Coast guard",
        "media",
        "A reporter calls",
        "Joint statement",
    ],
]


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ok(response, *, status: int = 302) -> None:
    assert response.status_code == status, response.content[:500]
    if status == 302:
        return


def test_done_when_through_the_pages(
    plan_2012, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    target = Target.objects.get(plan=plan_2012, text__startswith="3 Simulation exercises")
    before = target_progress(target=target).delivered
    planner = user_with_role("secretariat", username="planner", email="planner@x.test")
    controller = user_with_role(None, username="controller", email="c@x.test")
    evaluator = user_with_role(None, username="evaluator", email="e@x.test")
    player = user_with_role(None, username="player", email="player@x.test")
    follower = user_with_role("secretariat", username="follower", email="f@x.test")
    web = _login(planner)

    # 1. Design: the exercise, linked to a new delivery event counting toward 1.A.2.
    response = web.post(
        "/exercises/new/",
        {
            "title": "Port crisis tabletop 2012",
            "type": "tabletop",
            "target": target.code,
            "starts_at": "2012-05-10T09:00",
            "ends_at": "2012-05-10T13:00",
            "scenario": "A suspicious container at a Caribbean port.",
        },
    )
    _ok(response)
    exercise = Exercise.objects.get(title="Port crisis tabletop 2012")
    assert exercise.event.kind == "exercise" and exercise.event.status == "planned"
    assert list(exercise.event.contributions.values_list("target_id", flat=True)) == [target.pk]
    base = f"/exercises/{exercise.pk}"
    for name in ("Port authority", "Coast guard"):
        _ok(web.post(f"{base}/setup/team/", {"name": name}))
    alpha, bravo = exercise.teams.order_by("name").reverse()  # Port authority, Coast guard
    for user, role in ((controller, "controller"), (evaluator, "evaluator")):
        _ok(web.post(f"{base}/setup/role/", {"username": user.username, "role": role}))
    _ok(web.post(f"{base}/setup/role/", {"username": "player", "role": "player", "team": alpha.pk}))
    _ok(
        web.post(
            f"{base}/setup/link/",
            {
                "name": "Coast guard officer",
                "email": "cg@ext.test",
                "role": "player",
                "team": bravo.pk,
            },
        )
    )
    link = web.get(base + "/").context["new_link"]
    token = re.search(r"/exercises/x/([^/]+)/", link).group(1)
    assert web.get(base + "/").context["new_link"] is None  # shown once
    capability = Capability.objects.get(code="operational-coordination")
    _ok(
        web.post(
            f"{base}/setup/objective/",
            {"text": "Coordinate the port response", "capabilities": [capability.pk]},
        )
    )
    objective = exercise.objectives.get()
    _ok(
        web.post(
            f"{base}/setup/task/",
            {
                "objective": objective.pk,
                "capability": capability.pk,
                "text": "Activate the port security plan",
            },
        )
    )
    _ok(web.post(f"{base}/setup/module/", {"title": "Detection", "questions": "Who calls whom?"}))

    # 2. MSEL from a spreadsheet, through the column-mapping step.
    upload = io.BytesIO(workbook(MSEL_ROWS, headers=MSEL_HEADERS))
    upload.name = "msel.xlsx"
    mapping_url = web.post(f"{base}/msel/import/", {"file": upload})["Location"]
    page = web.get(mapping_url)
    fields = {
        f"map-{f['key']}": "" if f["column"] is None else f["column"]
        for f in page.context["fields"]
    }
    _ok(web.post(mapping_url, fields))
    assert exercise.injects.count() == 3

    # 3. Comcheck (the player in the platform, the Coast guard through the link); ready; run.
    player_web, controller_web, evaluator_web = (
        _login(player),
        _login(controller),
        _login(evaluator),
    )
    _ok(player_web.post(f"{base}/comcheck/"))
    external = Client()
    _ok(external.post(f"/exercises/x/{token}/comcheck/"))
    _ok(web.post(f"{base}/ready/"))
    _ok(controller_web.post(f"{base}/control/start/"))
    injects = {i.number: i for i in exercise.injects.all()}
    with django_capture_on_commit_callbacks(execute=True):
        for number in (1, 2, 3):
            _ok(controller_web.post(f"{base}/injects/{injects[number].pk}/release/"))
    assert {m.to[0] for m in mail.outbox} == {"player@x.test", "cg@ext.test"}
    assert all(m.subject.startswith("[EXERCISE]") for m in mail.outbox)
    feed = player_web.get(f"{base}/play/").content.decode()
    assert "Scanner alarm on berth 4" in feed and "Status request by radio" not in feed
    assert "Activate the port security plan" not in feed  # the expected action stays hidden
    _ok(player_web.post(f"{base}/play/{injects[1].pk}/respond/", {"text": "Plan activated"}))
    x_page = external.get(f"/exercises/x/{token}/").content.decode()
    assert "Status request by radio" in x_page and "Scanner alarm" not in x_page
    _ok(external.post(f"/exercises/x/{token}/respond/{injects[2].pk}/", {"text": "Cordon set"}))

    # 4. Evaluation: observations rated P/S/M/U, a hot-wash note; then the end.
    task = objective.critical_tasks.get()
    for text, rating in (("Plan activated in 4 minutes", "P"), ("Media line was late", "M")):
        _ok(
            evaluator_web.post(
                f"{base}/evaluate/observation/",
                {"critical_task": task.pk, "text": text, "rating": rating},
            )
        )
    _ok(
        controller_web.post(
            f"{base}/evaluate/hotwash/", {"kind": "improvement", "text": "Share the contact list"}
        )
    )
    _ok(controller_web.post(f"{base}/control/end/"))
    exercise.refresh_from_db()
    assert exercise.status == "ended" and exercise.event.status == "held"

    # 5. AAR/IP: draft from the observations (evaluators and director only), then final.
    _ok(evaluator_web.post(f"{base}/report/build/"))
    assert player_web.get(f"{base}/report/").status_code == 404
    assert player_web.get(f"{base}/documents/aar.docx").status_code == 404
    draft = evaluator_web.get(f"{base}/report/").context["report"]
    assert draft.ratings.get().rating == "M"  # the most severe observed
    assert "Media line was late" in draft.improvements
    _ok(
        evaluator_web.post(
            f"{base}/report/action/",
            {
                "text": "Publish a joint media protocol",
                "organization": "Port authority",
                "owner": "follower",
                "due_date": "2012-09-30",
                "capability": capability.pk,
                "element": "planning",
            },
        )
    )
    assert not Recommendation.objects.exists()  # nothing leaves the draft
    assert evaluator_web.post(f"{base}/report/finalize/").status_code == 302
    assert exercise.report.__class__.objects.get(pk=exercise.report.pk).status == "draft"
    _ok(web.post(f"{base}/report/finalize/"))  # the director finalizes
    docx = web.get(f"{base}/documents/aar.docx?lang=es")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "attachment" in docx["Content-Disposition"] and docx["X-Content-Type-Options"] == "nosniff"
    )
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Informe posterior a la acción" in text
    pdf = web.get(f"{base}/documents/aar.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    debrief = external.get(f"/exercises/x/{token}/debrief.pdf")
    assert debrief.status_code == 200 and debrief.content.startswith(b"%PDF")
    assert player_web.get(f"{base}/report/").status_code == 200  # final: participants read it

    # 6. The improvement action is tracked by the follow-up evaluation (4.A), with reminders.
    recommendation = Recommendation.objects.get()
    assert recommendation.owner == follower and recommendation.due_date == dt.date(2012, 9, 30)
    follow_up = evaluation_services.evaluation_create(
        actor=SYSTEM,
        kind="follow_up",
        date=dt.date(2012, 10, 15),
        evaluator="CICTE",
        project=target.project,
    )
    detail = _login(follower).get(follow_up.get_absolute_url()).content.decode()
    assert "Publish a joint media protocol (Port authority)" in detail
    from cicte.evaluations.reminders import recommendations as past_due_reminders

    lines = [item.line for item in past_due_reminders(today=dt.date(2012, 10, 1))]
    assert any("Publish a joint media protocol" in line for line in lines)

    # 7. The exercise counts in the plan's progress and in the semi-annual report.
    assert target_progress(target=target).delivered == before + 1
    from cicte.exercises.report import exercise_results

    context = type(
        "Context",
        (),
        {"plan": plan_2012, "period": Period(dt.date(2012, 1, 1), dt.date(2012, 6, 30), "2012-H1")},
    )
    section = exercise_results(context)
    assert section is not None and section.blocks[1].rows[0][0] == "Port crisis tabletop 2012"
    assert section.blocks[1].rows[0][-1] == "M: 1"
