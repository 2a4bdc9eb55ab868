"""`cicte generate`: synthetic data at scale (run here at small sizes)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from cicte.delivery.models import CountryParticipation, Event, EventTarget, Participant
from cicte.plan.models import PlanStatus, WorkPlan
from cicte.sampledata.synthetic import (
    SYNTHETIC_TITLE_PREFIX,
    SyntheticDataError,
    synthetic_data_generate,
    synthetic_plans,
)
from cicte.search.models import Entry
from tests.factories import ProjectFactory, TargetFactory, WorkPlanFactory

AS_OF = dt.date(2016, 7, 1)


@pytest.fixture
def base_plan(db):
    """A small stand-in for the 2012 plan: 4 numeric targets, 1 qualitative, 1 unfunded."""
    plan = WorkPlanFactory(symbol="CICTE/doc.5/12 rev. 1", year=2012, title="Work Plan 2012")
    project = ProjectFactory(program__work_area__plan=plan)
    other = ProjectFactory(program__work_area__plan=plan, program__letter="B")
    for quantity, unit in ((18, "Training needs assessments"), (30, "Workshops"), (2, "Courses")):
        TargetFactory(project=project, quantity=quantity, unit=unit)
    TargetFactory(project=other, quantity=40, unit="Scholarships")
    TargetFactory(project=other, quantity=None, unit="", text="Support the CSIRTs")
    TargetFactory(project=other, quantity=None, unit="Exercises", funding="to_be_identified")
    return plan


def _snapshot() -> list[tuple]:
    return list(
        Event.objects.order_by("title").values_list(
            "title", "kind", "start_date", "end_date", "status", "modality",
            "host_state__code", "participants_total", "participants_women", "participants_men",
            "plan__year",
        )
    )  # fmt: skip


def _delete_events() -> None:
    Participant.objects.all().delete()
    Event.objects.all().delete()


def _generate(**kwargs):
    options = {"years": 3, "events": 300, "participants": 4500, "seed": 7, "batch": 70}
    options.update(kwargs)
    return synthetic_data_generate(as_of=AS_OF, **options)


def test_counts_and_labels(base_plan):
    result = _generate()
    plans = synthetic_plans()
    assert [p.year for p in plans] == [2012, 2013, 2014]
    assert all(p.title.startswith(SYNTHETIC_TITLE_PREFIX) for p in plans)
    assert all(p.symbol.endswith("(synthetic)") and p.status == PlanStatus.APPROVED for p in plans)
    assert plans[0].symbol == "CICTE/doc.5/12 (synthetic)"
    assert WorkPlan.objects.filter(symbol="CICTE/doc.5/12 rev. 1").exists()  # untouched
    for plan in plans:  # the structure is cloned
        assert sorted(plan.targets.values_list("code", flat=True)) == sorted(
            base_plan.targets.values_list("code", flat=True)
        )
    assert result.events == Event.objects.count() == 300
    assert result.participants == Participant.objects.count() == 4500
    assert result.event_targets == EventTarget.objects.count() >= 300
    assert result.country_participation == CountryParticipation.objects.count()
    assert result.rows == (
        result.events + result.event_targets + result.beneficiaries + result.partners
        + result.country_participation + result.participants + result.search_entries
    )  # fmt: skip
    assert result.search_entries == Entry.objects.filter(scope="delivery.event").count() == 300
    assert result.events_per_second > 0
    assert result.rows_per_second > 0
    assert not Event.objects.exclude(plan__in=plans).exists()
    # contributions only to targets of the event's own plan
    assert not EventTarget.objects.exclude(target__plan=models_f("event__plan")).exists()
    names = list(Participant.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert all(n.startswith("Participant ") and n[12:].isdigit() for n in names)
    assert not Participant.objects.exclude(email="").exists()


def models_f(name: str):
    from django.db.models import F

    return F(name)


def test_participation_is_consistent(base_plan):
    _generate()
    for event in Event.objects.annotate(
        w=Sum("country_participation__women"),
        m=Sum("country_participation__men"),
        x=Sum("country_participation__not_stated"),
    ):
        assert event.participants_total == (event.w or 0) + (event.m or 0) + (event.x or 0)
        assert event.participants_women == (event.w or 0)
        assert event.participants_men == (event.m or 0)
        assert event.participants.count() <= event.participants_total
    # every participant's state is one of the event's beneficiaries
    through = Event.beneficiaries.through
    beneficiaries = set(through.objects.values_list("event_id", "memberstate_id"))
    people = set(Participant.objects.values_list("event_id", "member_state_id"))
    assert people and people <= beneficiaries


def test_deterministic_for_a_seed(base_plan):
    _generate(seed=11)
    first = _snapshot()
    first_people = list(Participant.objects.order_by("name").values_list("name", "sex"))
    _delete_events()
    _generate(seed=11, append=True)  # the plans are kept; the events start again from 0
    assert _snapshot() == first
    assert list(Participant.objects.order_by("name").values_list("name", "sex")) == first_people
    _delete_events()
    _generate(seed=12, append=True)
    assert _snapshot() != first


def test_batch_size_does_not_change_the_data(base_plan):
    _generate(batch=300)
    first = _snapshot()
    _delete_events()
    _generate(batch=17, append=True)
    assert _snapshot() == first


def test_distributions_roughly_right(base_plan):
    _generate(years=5, events=2000, participants=30000, batch=500)
    events = list(
        Event.objects.values_list(
            "end_date", "status", "participants_total", "participants_women", "participants_men",
            "host_state__subregion",
        )
    )  # fmt: skip
    months = Counter(e[0].month for e in events)
    quiet = (months[1] + months[8] + months[12]) / 3
    busy = (months[4] + months[5] + months[10]) / 3
    assert quiet < 0.6 * busy  # fewer events in January, August and December
    past = [e for e in events if e[0] < AS_OF]
    future = [e for e in events if e[0] >= AS_OF]
    assert sum(e[1] == "held" for e in past) / len(past) > 0.8
    assert not any(e[1] == "held" for e in future)
    total = sum(e[2] for e in events)
    women = sum(e[3] for e in events)
    men = sum(e[4] for e in events)
    assert 0.36 < women / total < 0.44
    assert 0.51 < men / total < 0.59
    assert 0.02 < (total - women - men) / total < 0.08  # some not stated
    assert min(e[2] for e in events) >= 10 and max(e[2] for e in events) <= 60
    subregions = Counter(e[5] for e in events if e[5])
    assert subregions["caribbean"] > subregions["north_america"] * 2
    # events per target follow the plan's numeric targets
    per_target = Counter(
        EventTarget.objects.filter(target__plan__year=2013).values_list("target__unit", flat=True)
    )
    assert per_target["Workshops"] > per_target["Courses"] * 3
    assert per_target["Training needs assessments"] > per_target["Exercises"]


def test_rerun_refuses_then_appends(base_plan):
    _generate(events=50, participants=500)
    with pytest.raises(SyntheticDataError, match="already present"):
        _generate(events=50, participants=500)
    assert Event.objects.count() == 50
    result = _generate(events=40, participants=400, append=True)
    assert result.plans_created == 0
    assert Event.objects.count() == 90
    names = list(Participant.objects.values_list("name", flat=True))
    assert len(names) == 900 and len(set(names)) == 900


def test_command(base_plan):
    out, err = StringIO(), StringIO()
    call_command(
        "generate", "--years", "2", "--events", "120", "--participants", "1000", "--seed", "3",
        "--batch", "50", "--as-of", "2013-06-30", stdout=out, stderr=err,
    )  # fmt: skip
    assert "Generated 120 events in 2 synthetic plans" in out.getvalue()
    assert "rows/s" in out.getvalue()
    assert Participant.objects.count() == 1000
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", "--years", "2", "--events", "10", "--participants", "0",
                     stdout=out, stderr=err)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "0"], "--years"),
        (["--years", "101"], "--years"),
        (["--events", "-1"], "--events"),
        (["--events", "10", "--participants", "601"], "more than 60 per event"),
        (["--batch", "0"], "--batch"),
        (["--plan-year-start", "1200"], "--plan-year-start"),
        (["--as-of", "yesterday"], "--as-of"),
    ],
)
def test_bad_arguments(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate", *args, stdout=StringIO(), stderr=StringIO())
    assert not Event.objects.exists()


def test_search_finds_generated_events(base_plan):
    from cicte.delivery.selectors import EventFilters, event_list

    _generate(events=60, participants=600)
    event = Event.objects.order_by("id")[17]
    number = event.title.split()[-2]  # "Synthetic workshop 0000018 (1.A.1.1)"
    found = list(event_list(filters=EventFilters(search=number)))
    assert found == [event]
    assert event_list(filters=EventFilters(search="synthetic")).count() == 60


def test_read_model_sees_generated_events(base_plan):
    from cicte.delivery.selectors import event_rows

    _generate(events=40, participants=400)
    records = {r.id: r for r in event_rows(Event.objects.all())}
    assert len(records) == 40
    through = Event.beneficiaries.through
    for event_id, code in through.objects.values_list("event_id", "memberstate__code"):
        assert code in records[event_id].beneficiaries
    for link in EventTarget.objects.select_related("target"):
        assert (link.target.code, link.units) in [
            (t.code, t.units) for t in records[link.event_id].targets
        ]
    assert all(r.plan_symbol.endswith("(synthetic)") for r in records.values())


def test_bulk_write_session_restores_the_connection(transactional_db):
    from django.db import connection

    from cicte.sampledata.synthetic import SQLITE_GENERATE_CACHE_KIB, bulk_write_session

    def settings() -> tuple:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA synchronous")
                synchronous = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size")
                return synchronous, cursor.fetchone()[0]
            cursor.execute("SHOW synchronous_commit")
            return (cursor.fetchone()[0],)

    before = settings()
    with pytest.raises(RuntimeError), bulk_write_session():
        during = settings()
        raise RuntimeError("a failing batch")
    assert settings() == before
    if connection.vendor == "sqlite":
        assert during == (0, -SQLITE_GENERATE_CACHE_KIB)
    else:
        assert during == ("off",)
