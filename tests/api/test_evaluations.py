"""/api/evaluations: evaluations, recommendations to closure, questionnaires and the feedback
aggregates, through the same services and with the same permissions as the workspace pages."""

from __future__ import annotations

import json
import secrets
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from cicte.evaluations.models import Evaluation, Questionnaire, Recommendation, Response

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def _evaluation(world: Any, **kwargs: Any) -> Evaluation:
    values = {"kind": "external", "date": "2012-05-02", "evaluator": "Evaluator", **kwargs}
    if "event" not in values and "project" not in values:
        values["event"] = world.jam_event
    return Evaluation.objects.create(**values)


def test_record_correct_and_follow_an_evaluation(world):
    staff = world.client("secretariat", via="token")
    created = _send(
        staff,
        "post",
        "/api/evaluations",
        {
            "kind": "post_course",
            "event": world.jam_event.pk,
            "date": "2012-04-10",
            "evaluator": "  External evaluator ",
            "rating": 4,
            "findings": "Objectives met.",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["evaluator"], body["rating"]) == (
        "post_course",
        "External evaluator",
        4,
    )
    assert body["event_id"] == world.jam_event.pk and body["recommendations"] == []
    pk = body["id"]
    changed = _send(
        staff,
        "put",
        f"/api/evaluations/{pk}",
        {
            "kind": "post_course",
            "project": world.target.project.pk,
            "date": "2012-04-11",
            "evaluator": "External evaluator",
            "rating": 5,
            "version": body["version"],
        },
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["project"] == "1.A.1" and changed.json()["rating"] == 5
    # A second correction based on the first read is stale: refused, nothing overwritten.
    stale = _send(
        staff,
        "put",
        f"/api/evaluations/{pk}",
        {
            "kind": "external",
            "event": world.jam_event.pk,
            "date": "2012-04-11",
            "evaluator": "Someone else",
            "version": body["version"],
        },
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_edit"
    assert Evaluation.objects.get(pk=pk).evaluator == "External evaluator"

    added = _send(
        staff,
        "post",
        f"/api/evaluations/{pk}/recommendations",
        {"text": "Translate the material", "owner": "manager", "due_date": "2012-01-31"},
    )
    assert added.status_code == 201, added.content
    rec = added.json()
    assert (rec["owner"], rec["status"], rec["past_due"]) == ("manager", "open", True)
    path = f"/api/evaluations/recommendations/{rec['id']}/status"
    refused = _send(staff, "post", path, {"status": "closed"})
    assert refused.status_code == 422
    assert "addressed" in refused.json()["error"]["message"]
    assert Recommendation.objects.get(pk=rec["id"]).status == "open"
    # The owner (a program manager) closes their own recommendation.
    owner = world.client("program_manager", via="token")
    closed = _send(
        owner, "post", path, {"status": "closed", "note": "Done", "version": rec["version"]}
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    tracker = staff.get("/api/evaluations/recommendations").json()
    assert tracker["total"] == 0  # the tracker shows what is not closed
    assert staff.get("/api/evaluations/recommendations?status=closed").json()["total"] == 1
    detail = staff.get(f"/api/evaluations/{pk}").json()
    assert [r["closure_note"] for r in detail["recommendations"]] == ["Done"]
    assert detail["recommendations_total"] == 1 and detail["recommendations_open"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": 7}, "rating"),
        ({"rating": 0}, "rating"),
        ({"kind": "gossip"}, "kind"),
        ({"evaluator": ""}, "evaluator"),
        ({"event": None}, None),  # neither a project nor an event
        ({"event": 999_999}, "event"),
        ({"date": "2012-02-30"}, "date"),
    ],
)
def test_bad_evaluations_are_refused_clearly_and_nothing_is_written(world, body, field):
    payload = {
        "kind": "external",
        "event": world.jam_event.pk,
        "date": "2012-04-10",
        "evaluator": "Evaluator",
        **body,
    }
    response = _send(world.client("secretariat", via="token"), "post", "/api/evaluations", payload)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["message"]
    if field:
        assert field in json.dumps(error["details"])
    else:
        assert "project or an event" in error["message"]
    assert not Evaluation.objects.exists()


def test_who_may_read_and_write_evaluations(world):
    ours = _evaluation(world)
    theirs = _evaluation(world, event=world.brb_event)
    for role in ("point_of_contact", "donor", "no_role"):
        client = world.client(role, via="token")
        for path in (
            "/api/evaluations",
            f"/api/evaluations/{ours.pk}",
            "/api/evaluations/recommendations",
            "/api/evaluations/questionnaires",
            f"/api/evaluations/feedback?event={world.jam_event.pk}",
        ):
            response = client.get(path)
            assert response.status_code == 403, (role, path)
            assert response.json()["error"]["code"] == "permission_denied"
    assert Client().get("/api/evaluations").status_code == 401
    # A program manager reads every evaluation but records only for their programs' work.
    manager = world.client("program_manager", via="token")
    assert manager.get("/api/evaluations").json()["total"] == 2
    body = {"kind": "external", "date": "2012-05-01", "evaluator": "X"}
    mine = _send(manager, "post", "/api/evaluations", {**body, "event": world.jam_event.pk})
    assert mine.status_code == 201
    other = _send(manager, "post", "/api/evaluations", {**body, "event": world.brb_event.pk})
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "forbidden"
    refused = _send(
        manager, "post", f"/api/evaluations/{theirs.pk}/recommendations", {"text": "Do more"}
    )
    assert refused.status_code == 403
    assert Evaluation.objects.count() == 3
    assert not Recommendation.objects.filter(evaluation=theirs).exists()


def test_a_recommendation_owner_must_be_staff(world):
    item = _evaluation(world)
    response = _send(
        world.client("secretariat", via="token"),
        "post",
        f"/api/evaluations/{item.pk}/recommendations",
        {"text": "Do more", "owner": "poc-jam"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "owner"
    assert not Recommendation.objects.exists()


def _answer(questionnaire: Questionnaire, *scores: int) -> None:
    satisfaction, relevance, before, after = scores
    Response.objects.create(
        questionnaire=questionnaire,
        satisfaction=satisfaction,
        relevance=relevance,
        knowledge_before=before,
        knowledge_after=after,
        comment="A participant's own words",
        nonce=secrets.token_hex(8),
    )


def test_questionnaires_and_their_aggregates(world):
    staff = world.client("secretariat", via="token")
    opened = _send(staff, "post", "/api/evaluations/questionnaires", {"event": world.jam_event.pk})
    assert opened.status_code == 200, opened.content
    assert opened.json()["is_open"] is True
    assert "/feedback/" in opened.json()["link"]
    questionnaire = Questionnaire.objects.get(event=world.jam_event)
    _answer(questionnaire, 5, 4, 2, 4)
    _answer(questionnaire, 4, 4, 1, 4)
    _answer(questionnaire, 3, 5, 2, 5)
    closed = _send(
        staff,
        "post",
        "/api/evaluations/questionnaires",
        {"event": world.jam_event.pk, "action": "close"},
    )
    assert closed.json()["is_open"] is False
    listed = staff.get("/api/evaluations/questionnaires").json()
    assert [(q["event_id"], q["is_open"]) for q in listed] == [(world.jam_event.pk, False)]
    results = staff.get(
        f"/api/evaluations/feedback?event={world.jam_event.pk}"
        f"&project={world.target.project.pk}&program={world.program.pk}"
    )
    assert results.status_code == 200
    rows = results.json()
    assert [r["scope"] for r in rows] == ["event", "project", "program"]
    for row in rows:
        assert (row["events"], row["responses"]) == (1, 3)
        assert Decimal(row["satisfaction"]) == Decimal("4.00")
        assert Decimal(row["relevance"]) == Decimal("4.33")
        assert Decimal(row["knowledge_before"]) == Decimal("1.67")
        assert Decimal(row["knowledge_after"]) == Decimal("4.33")
        assert Decimal(row["knowledge_gain"]) == Decimal("2.66")
    # Aggregates only, as on the page: no single answer, no comment.
    assert "own words" not in results.content.decode()
    empty = staff.get(f"/api/evaluations/feedback?event={world.brb_event.pk}").json()
    assert empty[0]["responses"] == 0 and empty[0]["satisfaction"] is None


def test_closing_a_questionnaire_that_does_not_exist_is_a_clear_error(world):
    response = _send(
        world.client("secretariat", via="token"),
        "post",
        "/api/evaluations/questionnaires",
        {"event": world.brb_event.pk, "action": "close"},
    )
    assert response.status_code == 422
    assert "no questionnaire" in response.json()["error"]["message"]
    assert not Questionnaire.objects.exists()


def test_a_manager_may_not_open_another_programs_questionnaire(world):
    response = _send(
        world.client("program_manager", via="token"),
        "post",
        "/api/evaluations/questionnaires",
        {"event": world.brb_event.pk},
    )
    assert response.status_code == 403
    assert not Questionnaire.objects.exists()


def _many(world: Any, count: int) -> None:
    owner = world.users["program_manager"]
    for n in range(count):
        item = _evaluation(world, event=world.jam_event if n % 2 else world.brb_event)
        Recommendation.objects.create(evaluation=item, text=f"Rec {n}", owner=owner)


@pytest.mark.parametrize("path", ["/api/evaluations", "/api/evaluations/recommendations"])
def test_list_queries_do_not_grow_with_the_data(world, path, django_assert_max_num_queries):
    client = world.client("secretariat", via="token")
    client.get(path)
    _many(world, 3)
    with django_assert_max_num_queries(12) as small:
        assert client.get(path).json()["total"] == 3
    _many(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).json()["total"] == 15
