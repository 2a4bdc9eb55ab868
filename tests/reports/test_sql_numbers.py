"""The report's numbers are SQL aggregates (reports.selectors.held_totals and the grouped
progress queries); here they are checked against the same numbers counted in plain Python
over the model instances of a randomly generated data set (several seeds): events of every
kind and status, in and out of the period and the plan, with or without a host, random
beneficiaries, partners, contributions and participants (scholarships with none)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from cicte.core.periods import parse_period
from cicte.delivery.models import Event, EventKind, EventStatus, EventTarget
from cicte.directory.models import MemberState
from cicte.reports import sections
from cicte.reports.build import report_data
from tests.factories import OrganizationFactory
from tests.reports.factories import make_event

H1 = parse_period("2012-H1")
STATUSES = [EventStatus.HELD, EventStatus.HELD, EventStatus.HELD, "cancelled", "planned"]


def _random_events(scenario, rng: random.Random, n: int) -> None:
    states = list(MemberState.objects.all())
    partners = [OrganizationFactory(name=f"Random partner {i}") for i in range(5)]
    partners += scenario.partners
    targets = list(scenario.targets.values())
    for i in range(n):
        plan = scenario.plan if rng.random() < 0.85 else scenario.other_plan
        start = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 240))
        total = rng.choice([0, 0, 1, 5, 12, 30])
        women = rng.randint(0, total)
        men = rng.randint(0, total - women)
        event = make_event(
            plan,
            kind=rng.choice(list(EventKind.values)),
            status=rng.choice(STATUSES),
            title=f"Random {i}",
            start_date=start,
            end_date=start + dt.timedelta(days=rng.randrange(0, 4)),
            host_state=rng.choice(states) if rng.random() < 0.7 else None,
            beneficiaries=[s.code for s in rng.sample(states, rng.randrange(0, 5))],
            partners=rng.sample(partners, rng.randrange(0, 4)),
            participants_total=total,
            participants_women=women,
            participants_men=men,
        )
        if plan == scenario.plan:
            for target in rng.sample(targets, rng.randrange(0, 3)):
                EventTarget.objects.create(event=event, target=target, units=rng.randint(1, 3))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_numbers_equal_python_counts(scenario, seed, monkeypatch):
    rng = random.Random(seed)
    _random_events(scenario, rng, 40)
    monkeypatch.setattr(sections, "DOCUMENT_ROWS", 7)
    data = report_data(plan=scenario.plan, period=H1, language="en")

    held = [
        e
        for e in Event.objects.filter(plan=scenario.plan).prefetch_related(
            "beneficiaries", "partners", "contributions__target__project__program"
        )
        if e.status == "held" and H1.start <= e.end_date <= H1.end
    ]
    held.sort(key=lambda e: (e.start_date, e.end_date, e.pk))

    def reached(e):
        codes = {s.code for s in e.beneficiaries.all()}
        if e.host_state_id:
            codes.add(e.host_state.code)
        return codes

    summary = data.section("summary").data
    assert summary.events_held == len(held)
    assert summary.participants_total == sum(e.participants_total for e in held)
    assert summary.women == sum(e.participants_women for e in held)
    assert summary.men == sum(e.participants_men for e in held)
    assert summary.scholarships == sum(
        max(e.participants_total, 1) for e in held if e.kind == "scholarship"
    )
    assert summary.partner_organizations == len({o.pk for e in held for o in e.partners.all()})
    assert summary.member_states_reached == len(set().union(*map(reached, held)))

    program_events: dict[str, set[int]] = {}
    project_events: dict[str, set[int]] = {}
    for e in held:
        for c in e.contributions.all():
            project = c.target.project
            program_events.setdefault(project.program.code, set()).add(e.pk)
            project_events.setdefault(project.code, set()).add(e.pk)
    links = [
        link
        for source in data.section("mandates").data
        for clause in source.clauses
        for link in clause.links
    ]
    assert links  # the scenario links programs and projects to mandates
    for link in links:
        expected = (program_events if link.level == "program" else project_events).get(
            link.code, set()
        )
        assert link.events_held == len(expected), link.code

    coverage = data.section("coverage").data
    subregion_of = {s.code: s.subregion for s in MemberState.objects.all()}
    for row in coverage.subregions:
        expected = [e for e in held if any(subregion_of[c] == row.key for c in reached(e))]
        assert row.events_held == len(expected), row.key

    evaluations = [e for e in held if e.kind == "evaluation"]
    section = data.section("evaluations")
    assert [e.event_id for e in section.data] == [e.pk for e in evaluations]
    if evaluations:
        table = next(b for b in section.blocks if hasattr(b, "rows"))
        assert [row[1] for row in table.rows] == [e.title for e in evaluations[:7]]

    annex = data.section("annex")
    assert [e.event_id for e in annex.data] == [e.pk for e in held]
    table = next(b for b in annex.blocks if hasattr(b, "rows"))
    assert [row[1] for row in table.rows] == [e.title for e in held[:7]]
    assert [row[2] for row in annex.sheets[0].rows] == [e.title for e in held]


def test_documents_read_only_the_rows_they_show(scenario, monkeypatch):
    """The event lists of the report are read from the database only when walked (the XLSX
    sheets): building the report and its capped tables does not load them."""
    rng = random.Random(9)
    _random_events(scenario, rng, 20)
    monkeypatch.setattr(sections, "DOCUMENT_ROWS", 2)
    data = report_data(plan=scenario.plan, period=H1, language="en")
    annex = data.section("annex")
    assert not annex.data.loaded
    assert not annex.sheets[0].rows.loaded
    count = Event.objects.filter(
        plan=scenario.plan, status="held", end_date__gte=H1.start, end_date__lte=H1.end
    ).count()
    assert len(annex.data) == count > 2  # from the SQL count, still not loaded
    assert not annex.data.loaded
    assert len(list(annex.sheets[0].rows)) == count
    assert annex.data.loaded
