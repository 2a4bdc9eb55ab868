"""Funding services (bad input) and the per-project / plan selectors, with the expected
figures computed here by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cicte.core.errors import ApplicationError
from cicte.funding.models import Contribution, Donor
from cicte.funding.selectors import (
    funding_overview,
    project_funding,
    projects_funded_by,
    split_cost,
)
from cicte.funding.services import (
    FundingErrorCode,
    budget_set,
    contribution_mark_received,
    contribution_record,
    donor_create,
    funding_need_set,
)
from tests.assistance.factories import state, user_with_role
from tests.factories import (
    EventFactory,
    EventTargetFactory,
    OrganizationFactory,
    ProjectFactory,
    TargetFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2012, 4, 1)


@pytest.fixture
def donor(secretariat):
    return donor_create(actor=secretariat, kind="member_state", member_state=state("CAN"))


def _record(actor, donor, plan, **extra):
    values = {"amount": "1000", "currency": "USD", "date": DAY}
    values.update(extra)
    return contribution_record(actor=actor, donor=donor, plan=plan, **values)


class TestDonors:
    def test_kinds(self, secretariat):
        org = OrganizationFactory()
        assert donor_create(actor=secretariat, kind="organization", organization=org).name == str(
            org
        )
        observer = donor_create(actor=secretariat, kind="permanent_observer", observer_name="Spain")
        assert observer.name == "Spain"

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"kind": "member_state"},
            {"kind": "organization", "observer_name": "Spain"},
            {"kind": "permanent_observer", "observer_name": "  "},
            {"kind": "alien"},
        ],
    )
    def test_kind_must_match_reference(self, secretariat, kwargs):
        with pytest.raises(ApplicationError) as info:
            donor_create(actor=secretariat, **kwargs)
        assert info.value.code == FundingErrorCode.INVALID
        assert not Donor.objects.exists()

    def test_duplicate(self, secretariat, donor):
        with pytest.raises(ApplicationError):
            donor_create(actor=secretariat, kind="member_state", member_state=state("CAN"))

    def test_point_of_contact_refused(self, poc_jam):
        with pytest.raises(ApplicationError) as info:
            donor_create(actor=poc_jam, kind="member_state", member_state=state("JAM"))
        assert info.value.code == FundingErrorCode.FORBIDDEN


class TestContributions:
    @pytest.mark.parametrize("amount", ["-1", "-0.01", "0", D("-500")])
    def test_negative_or_zero_amount(self, secretariat, donor, amount):
        with pytest.raises(ApplicationError) as info:
            _record(secretariat, donor, WorkPlanFactory(), amount=amount)
        assert info.value.code == FundingErrorCode.NEGATIVE_AMOUNT
        assert not Contribution.objects.exists()

    @pytest.mark.parametrize("amount", ["ten", "NaN", "Infinity", ""])
    def test_not_an_amount(self, secretariat, donor, amount):
        with pytest.raises(ApplicationError) as info:
            _record(secretariat, donor, WorkPlanFactory(), amount=amount)
        assert info.value.code == FundingErrorCode.INVALID

    @pytest.mark.parametrize("currency", ["XYZ", "US", "dollars", "", "EURO"])
    def test_unknown_currency(self, secretariat, donor, currency):
        with pytest.raises(ApplicationError) as info:
            _record(secretariat, donor, WorkPlanFactory(), currency=currency, rate_to_usd="1")
        assert info.value.code == FundingErrorCode.UNKNOWN_CURRENCY
        assert "ISO 4217" in info.value.message
        assert not Contribution.objects.exists()

    def test_currency_is_normalized_and_rate_recorded(self, secretariat, donor):
        item = _record(
            secretariat,
            donor,
            WorkPlanFactory(),
            amount="1000.50",
            currency="cad",
            rate_to_usd="0.98",
        )
        assert (item.currency, item.rate_to_usd, item.amount_usd) == ("CAD", D("0.98"), D("980.49"))

    @pytest.mark.parametrize(
        ("currency", "rate"), [("EUR", None), ("EUR", "0"), ("EUR", "-1.2"), ("USD", "1.1")]
    )
    def test_bad_or_missing_rate(self, secretariat, donor, currency, rate):
        with pytest.raises(ApplicationError) as info:
            _record(secretariat, donor, WorkPlanFactory(), currency=currency, rate_to_usd=rate)
        assert info.value.code == FundingErrorCode.BAD_RATE

    def test_project_and_program_together_refused(self, secretariat, donor):
        project = ProjectFactory()
        with pytest.raises(ApplicationError):
            _record(secretariat, donor, project.plan, project=project, program=project.program)

    def test_project_of_another_plan_refused(self, secretariat, donor):
        with pytest.raises(ApplicationError):
            _record(secretariat, donor, WorkPlanFactory(), project=ProjectFactory())

    def test_mark_received(self, secretariat, donor):
        item = _record(secretariat, donor, WorkPlanFactory(), currency="EUR", rate_to_usd="1.30")
        item = contribution_mark_received(
            actor=secretariat, contribution=item, date=dt.date(2012, 6, 1), rate_to_usd="1.25"
        )
        assert (item.status, item.rate_to_usd, item.amount_usd) == (
            "received",
            D("1.25"),
            D("1250.00"),
        )
        with pytest.raises(ApplicationError):
            contribution_mark_received(actor=secretariat, contribution=item, date=DAY)

    def test_donor_user_cannot_record(self, secretariat, donor):
        org_donor = user_with_role("donor", username="d2", organization=OrganizationFactory())
        with pytest.raises(ApplicationError) as info:
            _record(org_donor, donor, WorkPlanFactory())
        assert info.value.code == FundingErrorCode.FORBIDDEN


class TestBudgetAndNeeds:
    def test_negative_budget(self, secretariat):
        with pytest.raises(ApplicationError) as info:
            budget_set(actor=secretariat, project=ProjectFactory(), amount_usd="-5")
        assert info.value.code == FundingErrorCode.NEGATIVE_AMOUNT

    def test_program_manager_sets_own_budget_only(self):
        project = ProjectFactory()
        manager = user_with_role("program_manager", username="pm", programs=[project.program])
        assert budget_set(actor=manager, project=project, amount_usd="5000").amount_usd == 5000
        with pytest.raises(ApplicationError) as info:
            budget_set(actor=manager, project=ProjectFactory(), amount_usd="1")
        assert info.value.code == FundingErrorCode.FORBIDDEN

    def test_need_only_for_unfunded_targets(self, secretariat):
        with pytest.raises(ApplicationError):
            funding_need_set(
                actor=secretariat, target=TargetFactory(funding="identified"), estimated_usd="1"
            )
        need = funding_need_set(
            actor=secretariat,
            target=TargetFactory(funding="to_be_identified", quantity=None),
            estimated_usd="25000",
        )
        assert need.estimated_usd == 25000


def test_split_cost_keeps_every_cent():
    assert split_cost(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(split_cost(D("0.05"), 4)) == D("0.05")


class TestSelectors:
    @pytest.fixture
    def world(self, secretariat, donor):
        plan = WorkPlanFactory()
        a = ProjectFactory(program__work_area__plan=plan)
        b = ProjectFactory(program=a.program)
        ta1 = TargetFactory(project=a)
        tb1 = TargetFactory(project=b)
        unfunded_estimated = TargetFactory(project=a, funding="to_be_identified", quantity=None)
        unfunded_open = TargetFactory(project=a, funding="to_be_identified", quantity=None)
        budget_set(actor=secretariat, project=a, amount_usd="10000")
        funding_need_set(actor=secretariat, target=unfunded_estimated, estimated_usd="4000")
        org = OrganizationFactory()
        org_donor = donor_create(actor=secretariat, kind="organization", organization=org)
        # Project A: 3000 USD received, 2000 EUR at 1.3 received, 500 USD pledged.
        _record(secretariat, donor, plan, project=a, amount="3000", status="received")
        _record(
            secretariat,
            org_donor,
            plan,
            project=a,
            amount="2000",
            currency="EUR",
            rate_to_usd="1.3",
            status="received",
        )
        _record(secretariat, donor, plan, project=a, amount="500")
        # Program-earmarked and unearmarked money.
        _record(secretariat, org_donor, plan, program=a.program, amount="700", status="received")
        _record(secretariat, donor, plan, amount="900")
        # Held events with costs; one counts for both projects; one in another currency;
        # one planned (not spent yet).
        shared = EventFactory(plan=plan, cost=D("1000.01"), currency="USD")
        EventTargetFactory(event=shared, target=ta1)
        EventTargetFactory(event=shared, target=TargetFactory(project=a))  # same project twice
        EventTargetFactory(event=shared, target=tb1)
        only_a = EventFactory(plan=plan, cost=D("250"), currency="")
        EventTargetFactory(event=only_a, target=ta1)
        foreign = EventFactory(plan=plan, cost=D("800"), currency="EUR")
        EventTargetFactory(event=foreign, target=ta1)
        planned = EventFactory(plan=plan, cost=D("5000"), status="planned")
        EventTargetFactory(event=planned, target=ta1)
        return {
            "plan": plan,
            "a": a,
            "b": b,
            "org": org,
            "unfunded": [unfunded_estimated, unfunded_open],
        }

    def test_project_figures(self, world):
        data = project_funding(project=world["a"])
        received = D("3000") + D("2000") * D("1.3")
        spent = D("500.01") + D("250")  # half of 1000.01 (remainder cent first) + 250
        assert data.budget_usd == D("10000")
        assert data.received_usd == received
        assert data.pledged_usd == D("500")
        assert data.spent_usd == spent
        assert data.balance_usd == received - spent
        assert data.gap_usd == D("10000") - received - D("500")
        assert [c.currency for c in data.unconverted_costs] == ["EUR"]
        assert [(t.target_id, t.estimated_usd) for t in data.unfunded_targets] == [
            (world["unfunded"][0].pk, D("4000")),
            (world["unfunded"][1].pk, None),
        ]
        assert data.unfunded_need_usd == D("4000")
        assert sorted(data.donors) == sorted([state("CAN").name, str(world["org"])])

    def test_project_without_budget_has_no_gap(self, world):
        data = project_funding(project=world["b"])
        assert data.budget_usd is None
        assert data.gap_usd is None
        assert data.spent_usd == D("500.00")
        assert data.balance_usd == D("-500.00")

    def test_plan_overview(self, world, django_assert_num_queries):
        # projects, contributions, the spent sums (SQL), the unconverted costs, the targets,
        # the programs: none grows with the number of events
        with django_assert_num_queries(6):
            overview = funding_overview(plan=world["plan"])
            totals = (overview.received_usd, overview.pledged_usd, overview.spent_usd)
        assert totals == (
            D("3000") + D("2600") + D("700"),
            D("500") + D("900"),
            D("1000.01") + D("250"),
        )
        assert overview.unearmarked_pledged_usd == D("900")
        assert [(p.code, p.received_usd) for p in overview.programs] == [
            (world["a"].program.code, D("700"))
        ]
        assert overview.unfunded_need_usd == D("4000")
        assert overview.targets_without_estimate == 1

    def test_donor_sees_funded_projects(self, world):
        funded = projects_funded_by(organization_id=world["org"].pk)
        # Earmarked to project A, and to the program of A and B.
        assert {p.project_id for p in funded} == {world["a"].pk, world["b"].pk}
        assert projects_funded_by(organization_id=OrganizationFactory().pk) == []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    events=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000_000),  # cents
            st.sets(st.integers(min_value=0, max_value=3), min_size=1),  # projects
        ),
        min_size=1,
        max_size=6,
    )
)
def test_spent_in_sql_splits_every_event_as_split_cost_does(db, events):
    """The expenditure is summed in SQL in integer cents (issue 16); each project's figure
    equals the split of every event done in Python by ``split_cost``."""
    plan = WorkPlanFactory()
    projects = [ProjectFactory(program__work_area__plan=plan) for _ in range(4)]
    targets = [TargetFactory(project=project) for project in projects]
    expected = {project.pk: D("0.00") for project in projects}
    for cents, chosen in events:
        cost = D(cents) / 100
        event = EventFactory(plan=plan, cost=cost, currency="USD")
        for index in chosen:
            EventTargetFactory(event=event, target=targets[index])
        ordered = sorted(projects[i].pk for i in chosen)
        for project_id, share in zip(ordered, split_cost(cost, len(ordered)), strict=True):
            expected[project_id] += share
    spent = {p.project_id: p.spent_usd for p in funding_overview(plan=plan).projects}
    assert spent == expected
