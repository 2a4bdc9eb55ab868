"""Evaluations, recommendations to closure, questionnaires and responses (services)."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.core.errors import ApplicationError
from cicte.evaluations.models import Evaluation, RecommendationStatus, Response
from cicte.evaluations.services import (
    EvaluationErrorCode,
    evaluation_create,
    questionnaire_close,
    questionnaire_open,
    recommendation_add,
    recommendation_set_status,
    response_code_issue,
    response_submit,
)
from tests.assistance.factories import user_with_role
from tests.factories import EventFactory, EventTargetFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"satisfaction": 5, "relevance": 4, "knowledge_before": 2, "knowledge_after": 4}


def _evaluation(actor, **extra):
    values = {
        "kind": "external",
        "date": dt.date(2012, 5, 1),
        "evaluator": "Independent consultant",
        "project": ProjectFactory(),
        "rating": 4,
        "findings": "Objectives met.",
    }
    values.update(extra)
    return evaluation_create(actor=actor, **values)


class TestEvaluation:
    def test_create(self, secretariat):
        item = _evaluation(secretariat)
        assert Evaluation.objects.get() == item
        assert item.created_by == secretariat
        assert item.history.count() == 1

    def test_needs_a_project_or_event(self, secretariat):
        with pytest.raises(ApplicationError) as info:
            _evaluation(secretariat, project=None)
        assert info.value.code == EvaluationErrorCode.INVALID

    @pytest.mark.parametrize("rating", [0, 6, -1])
    def test_rating_outside_the_scale(self, secretariat, rating):
        with pytest.raises(ApplicationError) as info:
            _evaluation(secretariat, rating=rating)
        assert info.value.code == EvaluationErrorCode.INVALID
        assert not Evaluation.objects.exists()

    def test_unknown_kind(self, secretariat):
        with pytest.raises(ApplicationError):
            _evaluation(secretariat, kind="survey")

    def test_point_of_contact_and_donor_refused(self, poc_jam, donor_user):
        for actor in (poc_jam, donor_user):
            with pytest.raises(ApplicationError) as info:
                _evaluation(actor)
            assert info.value.code == EvaluationErrorCode.FORBIDDEN

    def test_program_manager_only_for_own_program(self):
        project = ProjectFactory()
        manager = user_with_role("program_manager", username="pm", programs=[project.program])
        assert _evaluation(manager, project=project).project == project
        with pytest.raises(ApplicationError) as info:
            _evaluation(manager, project=ProjectFactory())
        assert info.value.code == EvaluationErrorCode.FORBIDDEN

    def test_program_manager_for_event_of_own_program(self):
        link = EventTargetFactory()
        manager = user_with_role(
            "program_manager", username="pm2", programs=[link.target.project.program]
        )
        item = _evaluation(manager, project=None, event=link.event, kind="after_action_review")
        assert item.event == link.event


class TestRecommendations:
    def test_tracked_to_closure(self, secretariat):
        owner = user_with_role("secretariat", username="owner")
        rec = recommendation_add(
            actor=secretariat,
            evaluation=_evaluation(secretariat),
            text="Translate the materials into Spanish",
            owner=owner,
            due_date=dt.date(2012, 9, 30),
        )
        assert rec.status == RecommendationStatus.OPEN
        rec = recommendation_set_status(
            actor=owner, recommendation=rec, status=RecommendationStatus.IN_PROGRESS
        )
        assert rec.status == RecommendationStatus.IN_PROGRESS
        assert rec.closed_at is None
        rec = recommendation_set_status(
            actor=owner, recommendation=rec, status=RecommendationStatus.CLOSED, note="Done"
        )
        assert rec.status == RecommendationStatus.CLOSED
        assert rec.closed_at is not None
        assert rec.closure_note == "Done"
        assert rec.history.count() == 3

    def test_closing_needs_a_note(self, secretariat):
        rec = recommendation_add(actor=secretariat, evaluation=_evaluation(secretariat), text="X")
        with pytest.raises(ApplicationError) as info:
            recommendation_set_status(
                actor=secretariat, recommendation=rec, status=RecommendationStatus.CLOSED
            )
        assert info.value.code == EvaluationErrorCode.INVALID
        rec.refresh_from_db()
        assert rec.status == RecommendationStatus.OPEN

    def test_reopen_clears_closed_at(self, secretariat):
        rec = recommendation_add(actor=secretariat, evaluation=_evaluation(secretariat), text="X")
        recommendation_set_status(
            actor=secretariat, recommendation=rec, status="closed", note="Done"
        )
        rec = recommendation_set_status(actor=secretariat, recommendation=rec, status="open")
        assert rec.closed_at is None

    def test_unknown_status_and_empty_text(self, secretariat):
        evaluation = _evaluation(secretariat)
        with pytest.raises(ApplicationError):
            recommendation_add(actor=secretariat, evaluation=evaluation, text="  ")
        rec = recommendation_add(actor=secretariat, evaluation=evaluation, text="X")
        with pytest.raises(ApplicationError):
            recommendation_set_status(actor=secretariat, recommendation=rec, status="done")

    def test_stranger_cannot_update(self, secretariat, poc_jam):
        rec = recommendation_add(actor=secretariat, evaluation=_evaluation(secretariat), text="X")
        with pytest.raises(ApplicationError) as info:
            recommendation_set_status(actor=poc_jam, recommendation=rec, status="in_progress")
        assert info.value.code == EvaluationErrorCode.FORBIDDEN


class TestQuestionnaire:
    def test_open_gives_an_unguessable_token(self, secretariat):
        first = questionnaire_open(actor=secretariat, event=EventFactory())
        second = questionnaire_open(actor=secretariat, event=EventFactory())
        assert len(first.token) >= 32
        assert first.token != second.token
        assert first.is_open

    def test_reopen_keeps_the_token(self, secretariat):
        event = EventFactory()
        item = questionnaire_open(actor=secretariat, event=event)
        questionnaire_close(actor=secretariat, questionnaire=item)
        again = questionnaire_open(actor=secretariat, event=event)
        assert (again.pk, again.token, again.is_open) == (item.pk, item.token, True)

    def test_point_of_contact_cannot_open(self, poc_jam):
        with pytest.raises(ApplicationError) as info:
            questionnaire_open(actor=poc_jam, event=EventFactory())
        assert info.value.code == EvaluationErrorCode.FORBIDDEN

    def test_answer(self, secretariat):
        item = questionnaire_open(actor=secretariat, event=EventFactory())
        response = response_submit(
            questionnaire=item, code=response_code_issue(questionnaire=item), **ANSWERS
        )
        assert (response.satisfaction, response.knowledge_after) == (5, 4)

    def test_same_form_submitted_twice(self, secretariat):
        item = questionnaire_open(actor=secretariat, event=EventFactory())
        code = response_code_issue(questionnaire=item)
        response_submit(questionnaire=item, code=code, **ANSWERS)
        with pytest.raises(ApplicationError) as info:
            response_submit(questionnaire=item, code=code, **ANSWERS)
        assert info.value.code == EvaluationErrorCode.ALREADY_ANSWERED
        assert Response.objects.count() == 1

    def test_after_closing(self, secretariat):
        item = questionnaire_open(actor=secretariat, event=EventFactory())
        code = response_code_issue(questionnaire=item)
        questionnaire_close(actor=secretariat, questionnaire=item)
        with pytest.raises(ApplicationError) as info:
            response_submit(questionnaire=item, code=code, **ANSWERS)
        assert info.value.code == EvaluationErrorCode.QUESTIONNAIRE_CLOSED
        assert not Response.objects.exists()

    def test_forged_or_foreign_code(self, secretariat):
        item = questionnaire_open(actor=secretariat, event=EventFactory())
        other = questionnaire_open(actor=secretariat, event=EventFactory())
        for code in ("forged", response_code_issue(questionnaire=other)):
            with pytest.raises(ApplicationError) as info:
                response_submit(questionnaire=item, code=code, **ANSWERS)
            assert info.value.code == EvaluationErrorCode.BAD_CODE

    @pytest.mark.parametrize("bad", [0, 6])
    def test_score_outside_the_scale(self, secretariat, bad):
        item = questionnaire_open(actor=secretariat, event=EventFactory())
        with pytest.raises(ApplicationError) as info:
            response_submit(
                questionnaire=item,
                code=response_code_issue(questionnaire=item),
                **{**ANSWERS, "relevance": bad},
            )
        assert info.value.code == EvaluationErrorCode.INVALID


class TestEvaluationUpdate:
    def test_update(self, secretariat):
        from cicte.evaluations.services import evaluation_update

        item = _evaluation(secretariat)
        updated = evaluation_update(
            actor=secretariat,
            evaluation=item,
            kind="follow_up",
            date=dt.date(2012, 6, 1),
            evaluator="Second team",
            project=item.project,
            rating=5,
            findings="Improved",
        )
        assert (updated.kind, updated.rating, updated.evaluator) == ("follow_up", 5, "Second team")
        assert updated.history.count() == 2

    def test_program_manager_cannot_move_it_to_another_program(self):
        from cicte.evaluations.services import evaluation_update

        project = ProjectFactory()
        manager = user_with_role("program_manager", username="pm3", programs=[project.program])
        item = _evaluation(manager, project=project)
        with pytest.raises(ApplicationError) as info:
            evaluation_update(
                actor=manager,
                evaluation=item,
                kind="external",
                date=item.date,
                evaluator="X",
                project=ProjectFactory(),
            )
        assert info.value.code == EvaluationErrorCode.FORBIDDEN
        item.refresh_from_db()
        assert item.project == project

    @pytest.mark.parametrize("rating", [0, 6])
    def test_bad_rating(self, secretariat, rating):
        from cicte.evaluations.services import evaluation_update

        item = _evaluation(secretariat)
        with pytest.raises(ApplicationError):
            evaluation_update(
                actor=secretariat,
                evaluation=item,
                kind="external",
                date=item.date,
                evaluator="X",
                project=item.project,
                rating=rating,
            )
