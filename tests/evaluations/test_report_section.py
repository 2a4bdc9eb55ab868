"""The "Results of evaluations" and "Funding" sections in the semi-annual report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cicte.core.periods import parse_period
from cicte.evaluations.models import Evaluation, Questionnaire, Recommendation, Response
from cicte.funding.models import Budget, Contribution, Donor
from cicte.reports.build import report_data
from cicte.reports.registry import registered_sections
from cicte.reports.types import Table
from tests.assistance.factories import state
from tests.factories import EventFactory, EventTargetFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_sections_are_registered_in_order():
    keys = [spec.key for spec in registered_sections()]
    assert keys.index("evaluations") < keys.index("evaluation-results") < keys.index("coverage")
    assert keys.index("funding-gaps") < keys.index("funding") < keys.index("annex")


@pytest.mark.parametrize("language", ["en", "es"])
def test_report_includes_evaluation_results_and_funding(language):
    project = ProjectFactory(program__work_area__plan__year=2012)
    plan = project.plan
    event = EventFactory(plan=plan, cost=Decimal("400"), currency="USD")
    EventTargetFactory(event=event, target__project=project)
    evaluation = Evaluation.objects.create(
        kind="post_course", event=event, date=dt.date(2012, 3, 10), evaluator="Team", rating=4
    )
    Recommendation.objects.create(evaluation=evaluation, text="More practice", status="closed")
    questionnaire = Questionnaire.objects.create(event=event)
    for n, (s, b, a) in enumerate([(5, 1, 4), (4, 2, 4)]):
        Response.objects.create(
            questionnaire=questionnaire,
            satisfaction=s,
            relevance=5,
            knowledge_before=b,
            knowledge_after=a,
            nonce=str(n),
        )
    donor = Donor.objects.create(kind="member_state", member_state=state("USA"))
    Contribution.objects.create(
        donor=donor,
        plan=plan,
        project=project,
        amount=Decimal("1000"),
        status="received",
        date=dt.date(2012, 2, 1),
    )
    Budget.objects.create(project=project, amount_usd=Decimal("2500"))

    report = report_data(plan=plan, period=parse_period("2012-H1"), language=language)
    sections = {s.key: s for s in report.sections}
    results = sections["evaluation-results"]
    assert len(results.data.evaluations) == 1
    assert results.data.recommendations_closed == 1
    assert results.data.feedback.satisfaction == Decimal("4.50")
    evaluations_table = next(b for b in results.blocks if isinstance(b, Table))
    assert evaluations_table.rows[0][4] == 4
    funding = sections["funding"]
    table = next(b for b in funding.blocks if isinstance(b, Table))
    # Budget, pledged, received, spent, balance, gap
    assert table.rows[0][1:] == [2500, 0, 1000, 400, 600, 1500]
    if language == "es":
        assert funding.title == "Financiamiento"
