"""Live conduct and bad input: readiness, start/pause/resume, the scheduled release job
(idempotent), contingency and dependencies, participant links, ratings, addressing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cicte.core.errors import ApplicationError, NotFound
from cicte.exercises import services
from cicte.exercises.models import (
    Exercise,
    ExternalParticipant,
    Inject,
    InjectStatus,
    Observation,
    PlayerResponse,
)
from cicte.exercises.tasks import release_due_injects
from cicte.ops import schedule
from tests.accounts.factories import user_with_role
from tests.factories import EventFactory, EventTargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    director = user_with_role("secretariat", username="dir", email="dir@x.test")
    player = user_with_role(None, username="p1", email="p1@x.test")
    event = EventFactory(kind="exercise", status="planned")
    EventTargetFactory(event=event)
    now = timezone.now()
    exercise = services.exercise_create(
        actor=director,
        title="Cyber CME",
        type="cyber_cme",
        event=event,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
    )
    team = services.team_add(actor=director, exercise=exercise, name="CSIRT")
    services.role_add(actor=director, exercise=exercise, user=player, role="player", team=team)

    def add(offset, title, **kw):
        return services.inject_add(
            actor=director,
            exercise=exercise,
            offset_minutes=offset,
            title=title,
            teams=[team],
            method=kw.pop("method", "document"),
            content=title + " content",
            **kw,
        )

    return director, player, exercise, team, add


def test_starting_an_exercise_that_is_not_ready_is_refused(setup):
    director, player, exercise, team, add = setup  # noqa: RUF059
    with pytest.raises(ApplicationError) as caught:
        services.exercise_control(actor=director, exercise=exercise, action="start")
    assert caught.value.code == "not_ready"
    assert "MSEL has no scheduled inject" in caught.value.message
    with pytest.raises(ApplicationError) as caught:
        services.exercise_mark_ready(actor=director, exercise=exercise)
    assert "Communications check not acknowledged by: p1" in caught.value.message
    assert Exercise.objects.get(pk=exercise.pk).status == "planning"


def test_scheduled_release_is_idempotent_and_respects_pause_contingency_and_dependencies(
    setup, django_capture_on_commit_callbacks
):
    director, player, exercise, team, add = setup  # noqa: RUF059
    first = add(0, "Due now", method="email")
    later = add(170, "Not yet")
    contingency = add(0, "Only by hand", contingency=True)
    waiting = add(5, "After the contingency")
    waiting.depends_on.set([contingency])
    services.comcheck_ack(actor=player, exercise=exercise)
    services.exercise_mark_ready(actor=director, exercise=exercise)
    services.exercise_control(actor=director, exercise=exercise, action="start")
    # An hour of exercise time has passed (the start was backdated).
    Exercise.objects.filter(pk=exercise.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert "exercise-injects" in schedule.REGISTRY
    assert schedule.REGISTRY["exercise-injects"].every == dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        job = release_due_injects.enqueue(label="test")
    job.refresh_from_db()
    assert job.result_message == "1 injects released."
    statuses = dict(Inject.objects.values_list("title", "status"))
    assert statuses == {
        "Due now": "released",
        "Not yet": "pending",
        "Only by hand": "pending",
        "After the contingency": "pending",
    }
    assert [m.subject for m in mail.outbox] == ["[EXERCISE] Cyber CME: Due now"]
    assert mail.outbox[0].to == ["p1@x.test"]
    # Run again: nothing more (idempotent), no second mail.
    assert services.release_due() == []
    assert len(mail.outbox) == 1
    # The controller releases the contingency inject; then its dependent is due.
    services.inject_release(actor=director, inject=contingency)
    assert [i.title for i in services.release_due()] == ["After the contingency"]
    # Paused: the clock stops and nothing is released.
    services.exercise_control(actor=director, exercise=exercise, action="pause")
    Inject.objects.filter(pk=later.pk).update(offset_minutes=0)
    assert services.release_due() == []
    services.exercise_control(actor=director, exercise=exercise, action="resume")
    assert [i.title for i in services.release_due()] == ["Not yet"]
    history = first.history.filter(history_change_reason="released")
    assert history.count() == 1


def test_an_inject_to_someone_outside_the_participant_list_is_refused(setup):
    director, player, exercise, team, add = setup  # noqa: RUF059
    other_event = EventFactory(kind="exercise", status="planned")
    other = services.exercise_create(
        actor=director,
        title="Other",
        event=other_event,
        starts_at=exercise.starts_at,
        ends_at=exercise.ends_at,
    )
    stranger = services.team_add(actor=director, exercise=other, name="Strangers")
    with pytest.raises(ApplicationError) as caught:
        services.inject_add(
            actor=director,
            exercise=exercise,
            offset_minutes=0,
            title="Wrong",
            teams=[stranger],
            method="email",
            content="x",
        )
    assert caught.value.code == "outside_participants"
    with pytest.raises(ApplicationError) as caught:
        services.exercise_mail(exercise=exercise, to=["someone@else.test"], subject="x", body="y")
    assert "someone@else.test" in caught.value.message
    assert not exercise.injects.exists() and not mail.outbox


def test_participant_links_expire_and_can_be_revoked(setup, client):
    director, player, exercise, team, add = setup  # noqa: RUF059
    person, token = services.external_add(
        actor=director, exercise=exercise, name="Guest", team=team
    )
    stored = ExternalParticipant.objects.get(pk=person.pk)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert client.get(f"/exercises/x/{token}/").status_code == 200
    assert client.get(f"/exercises/x/{token}x/").status_code == 404
    ExternalParticipant.objects.filter(pk=person.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = client.get(f"/exercises/x/{token}/")
    assert expired.status_code == 410
    assert b"This participant link has expired" in expired.content
    assert b"Cyber CME" not in expired.content
    response = client.post(f"/exercises/x/{token}/comcheck/")
    assert response.status_code == 410 and not exercise.comchecks.exists()
    second, token2 = services.external_add(actor=director, exercise=exercise, name="G2", team=team)
    services.external_revoke(actor=director, participant=second)
    assert client.get(f"/exercises/x/{token2}/").status_code == 410
    with pytest.raises(ApplicationError):
        services.external_resolve(token2)


def test_a_rating_outside_psmu_is_a_clear_error_and_writes_nothing(setup, client):
    director, player, exercise, team, add = setup  # noqa: RUF059
    evaluator = user_with_role(None, username="ev")
    services.role_add(actor=director, exercise=exercise, user=evaluator, role="evaluator")
    capability = __import__("cicte.exercises.models", fromlist=["Capability"]).Capability
    objective = services.objective_add(actor=director, exercise=exercise, text="Detect")
    task = services.critical_task_add(
        actor=director, objective=objective, capability=capability.objects.first(), text="Triage"
    )
    for bad in ("X", "5", "p+"):
        with pytest.raises(ApplicationError) as caught:
            services.observation_add(
                actor=evaluator, exercise=exercise, critical_task=task, text="t", rating=bad
            )
        assert caught.value.code == "bad_rating"
        assert "use P, S, M or U" in caught.value.message
    client.force_login(evaluator)
    response = client.post(
        f"/api/exercises/{exercise.pk}/observations",
        {"critical_task": task.pk, "text": "t", "rating": "Z"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_rating"
    page = client.post(
        f"/exercises/{exercise.pk}/evaluate/observation/",
        {"critical_task": task.pk, "text": "t", "rating": "Q"},
        follow=True,
    )
    assert "use P, S, M or U" in page.content.decode()
    assert not Observation.objects.exists()
    ok = services.observation_add(
        actor=evaluator, exercise=exercise, critical_task=task, text="t", rating="m"
    )
    assert ok.rating == "M"
    # A player may not record observations.
    with pytest.raises(ApplicationError):
        services.observation_add(actor=player, exercise=exercise, critical_task=task, text="t")


def test_players_respond_only_to_injects_released_to_their_team(setup):
    director, player, exercise, team, add = setup
    pending = add(0, "Pending")
    other_team = services.team_add(actor=director, exercise=exercise, name="Other")
    other_player = user_with_role(None, username="p2")
    services.role_add(
        actor=director, exercise=exercise, user=other_player, role="player", team=other_team
    )
    services.comcheck_ack(actor=player, exercise=exercise)
    services.comcheck_ack(actor=other_player, exercise=exercise)
    services.exercise_mark_ready(actor=director, exercise=exercise)
    services.exercise_control(actor=director, exercise=exercise, action="start")
    with pytest.raises(NotFound):
        services.response_submit(actor=player, inject=pending, text="too early")
    services.inject_release(actor=director, inject=pending)
    with pytest.raises(NotFound):
        services.response_submit(actor=other_player, inject=pending, text="not mine")
    response = services.response_submit(actor=player, inject=pending, text="on it")
    assert response.team == team and response.created_at is not None
    assert PlayerResponse.objects.count() == 1
    # A player cannot also hold a staff role.
    with pytest.raises(ApplicationError):
        services.role_add(actor=director, exercise=exercise, user=player, role="controller")


def test_live_pages_poll_with_htmx_and_work_without_it(setup, client):
    director, player, exercise, team, add = setup  # noqa: RUF059
    add(0, "Visible later")
    client.force_login(director)
    page = client.get(f"/exercises/{exercise.pk}/control/")
    html = page.content.decode()
    assert 'hx-trigger="every 10s"' in html and ">Refresh</a>" in html
    assert "/static/django_htmx/htmx" in html and "<script>" not in html
    partial = client.get(f"/exercises/{exercise.pk}/control/", headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert text.lstrip().startswith('<div id="live"') and "<html" not in text
    assert "Visible later" in text
    client.force_login(player)
    feed = client.get(f"/exercises/{exercise.pk}/play/", headers={"HX-Request": "true"})
    assert feed.status_code == 200 and "Visible later" not in feed.content.decode()
    assert client.get(f"/exercises/{exercise.pk}/control/").status_code == 404


def test_comcheck_start_pause_resume_end_are_timestamped_and_audited(setup):
    director, player, exercise, team, add = setup  # noqa: RUF059
    add(0, "First")
    services.comcheck_ack(actor=player, exercise=exercise)
    services.exercise_mark_ready(actor=director, exercise=exercise)
    for action in ("start", "pause", "resume", "end"):
        services.exercise_control(actor=director, exercise=exercise, action=action)
    reasons = list(
        Exercise.history.filter(id=exercise.pk)
        .exclude(history_change_reason=None)
        .values_list("history_change_reason", flat=True)
    )
    for action in ("ready", "start", "pause", "resume", "end"):
        assert action in reasons
    exercise.refresh_from_db()
    assert exercise.started_at and exercise.ended_at and exercise.status == "ended"
    assert exercise.event.status == "held"
    with pytest.raises(ApplicationError) as caught:
        services.exercise_control(actor=director, exercise=exercise, action="resume")
    assert "cannot resume" in caught.value.message
    assert Inject.objects.filter(status=InjectStatus.PENDING).count() == 1
