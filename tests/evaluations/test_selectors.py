"""Feedback aggregates per event, project and program, recomputed independently here."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from cicte.core.periods import parse_period
from cicte.evaluations.models import Evaluation, Questionnaire, Recommendation, Response
from cicte.evaluations.selectors import (
    evaluations_in_period,
    feedback_by_program,
    feedback_for_event,
    feedback_for_program,
    feedback_for_project,
    recommendations_past_due,
)
from tests.factories import (
    EventFactory,
    EventTargetFactory,
    ProjectFactory,
    TargetFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db


def _mean(values):
    exact = Fraction(sum(values), len(values))
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _answers(event, rows):
    questionnaire = Questionnaire.objects.create(event=event)
    for n, (s, r, b, a) in enumerate(rows):
        Response.objects.create(
            questionnaire=questionnaire,
            satisfaction=s,
            relevance=r,
            knowledge_before=b,
            knowledge_after=a,
            nonce=f"n{n}",
        )


@pytest.fixture
def world():
    plan = WorkPlanFactory()
    project_a = ProjectFactory(program__work_area__plan=plan)
    project_b = ProjectFactory(program=project_a.program)  # same program
    project_c = ProjectFactory(program__work_area__plan=plan, program__letter="B")
    ev1 = EventFactory(plan=plan, end_date=dt.date(2012, 3, 3))
    ev2 = EventFactory(plan=plan, end_date=dt.date(2012, 4, 3))
    ev3 = EventFactory(plan=plan, start_date=dt.date(2012, 8, 1), end_date=dt.date(2012, 8, 2))
    # ev1 counts toward two targets of project A and one of project B (same program).
    EventTargetFactory(event=ev1, target=TargetFactory(project=project_a))
    EventTargetFactory(event=ev1, target=TargetFactory(project=project_a))
    EventTargetFactory(event=ev1, target=TargetFactory(project=project_b))
    EventTargetFactory(event=ev2, target=TargetFactory(project=project_b))
    EventTargetFactory(event=ev3, target=TargetFactory(project=project_c))
    rows = {
        ev1: [(5, 4, 2, 4), (4, 4, 1, 3), (3, 5, 2, 5)],
        ev2: [(2, 3, 3, 3)],
        ev3: [(5, 5, 1, 5), (4, 3, 2, 4)],
    }
    for event, answers in rows.items():
        _answers(event, answers)
    return {
        "plan": plan,
        "a": project_a,
        "b": project_b,
        "c": project_c,
        "ev1": ev1,
        "ev2": ev2,
        "ev3": ev3,
        "rows": rows,
    }


def _check(summary, rows):
    assert summary.responses == len(rows)
    for i, name in enumerate(["satisfaction", "relevance", "knowledge_before", "knowledge_after"]):
        assert getattr(summary, name) == _mean([r[i] for r in rows]), name
    assert summary.knowledge_gain == _mean([r[3] for r in rows]) - _mean([r[2] for r in rows])


def test_per_event(world):
    _check(feedback_for_event(event=world["ev1"]), world["rows"][world["ev1"]])


def test_per_project_counts_an_event_once(world):
    summary = feedback_for_project(project=world["a"])
    _check(summary, world["rows"][world["ev1"]])
    assert summary.events == 1
    both = world["rows"][world["ev1"]] + world["rows"][world["ev2"]]
    _check(feedback_for_project(project=world["b"]), both)


def test_per_program(world):
    both = world["rows"][world["ev1"]] + world["rows"][world["ev2"]]
    _check(feedback_for_program(program=world["a"].program), both)
    _check(feedback_for_program(program=world["c"].program), world["rows"][world["ev3"]])


def test_by_program_for_a_period(world, django_assert_num_queries):
    period = parse_period("2012-H1")
    with django_assert_num_queries(3):
        groups = feedback_by_program(plan=world["plan"], period=period)
    assert [g.program for g in groups] == [world["a"].program]
    both = world["rows"][world["ev1"]] + world["rows"][world["ev2"]]
    _check(groups[0].feedback, both)
    assert groups[0].feedback.events == 2


def test_no_answers_gives_none():
    summary = feedback_for_event(event=EventFactory())
    assert summary.responses == 0
    assert summary.satisfaction is None
    assert summary.knowledge_gain is None


def test_evaluations_in_period(world):
    inside = Evaluation.objects.create(
        kind="external", project=world["a"], date=dt.date(2012, 5, 2), evaluator="X", rating=3
    )
    Evaluation.objects.create(
        kind="follow_up", event=world["ev3"], date=dt.date(2012, 9, 1), evaluator="Y"
    )
    Recommendation.objects.create(evaluation=inside, text="Open one", due_date=dt.date(2012, 6, 1))
    Recommendation.objects.create(evaluation=inside, text="Closed one", status="closed")
    report = evaluations_in_period(plan=world["plan"], period=parse_period("2012-H1"))
    assert [row.evaluator for row in report.evaluations] == ["X"]
    assert report.evaluations[0].rating == 3
    assert (report.recommendations_total, report.recommendations_closed) == (2, 1)
    assert report.recommendations_past_due == 1
    _check(report.feedback, world["rows"][world["ev1"]] + world["rows"][world["ev2"]])


def test_recommendations_past_due():
    evaluation = Evaluation.objects.create(
        kind="external", project=ProjectFactory(), date=dt.date(2012, 5, 2), evaluator="X"
    )
    late = Recommendation.objects.create(
        evaluation=evaluation, text="a", due_date=dt.date(2012, 6, 1)
    )
    Recommendation.objects.create(evaluation=evaluation, text="b", due_date=dt.date(2012, 7, 1))
    Recommendation.objects.create(
        evaluation=evaluation, text="c", due_date=dt.date(2012, 5, 1), status="closed"
    )
    Recommendation.objects.create(evaluation=evaluation, text="d")
    assert recommendations_past_due(today=dt.date(2012, 6, 15)) == [late]
