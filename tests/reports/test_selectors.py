"""Every figure of the report equals one counted here by hand from the records the test
created (plain Python over the scenario's objects, never the code under test)."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.core.periods import parse_period
from cicte.reports.build import report_data
from cicte.reports.formatting import document_symbol
from cicte.reports.types import ReportError
from tests.factories import WorkPlanFactory

H1 = parse_period("2012-H1")
H2 = parse_period("2012-H2")


def held_in(scenario, period):
    """Held events of the scenario's plan ending in the period (counted by hand)."""
    return [
        e
        for e in scenario.events
        if e.plan_id == scenario.plan.pk
        and e.status == "held"
        and period.start <= e.end_date <= period.end
    ]


def units(scenario, target_key, events):
    ids = {e.pk for e in events}
    target = scenario.targets[target_key]
    return sum(
        c.units for c in scenario.contributions if c.target_id == target.pk and c.event_id in ids
    )


def test_summary_figures_match_hand_counts(scenario, report_en):
    held = held_in(scenario, H1)
    summary = report_en.section("summary").data
    assert summary.events_held == len(held) == 3
    states = set()
    for e in held:
        states |= {s.code for s in e.beneficiaries.all()}
        if e.host_state_id:
            states.add(e.host_state.code)
    assert summary.member_states_reached == len(states) == 4
    assert summary.participants_total == sum(e.participants_total for e in held) == 28
    assert summary.women == sum(e.participants_women for e in held) == 11
    assert summary.men == sum(e.participants_men for e in held) == 14
    assert summary.not_stated == 28 - 11 - 14
    scholarship_events = [e for e in held if e.kind == "scholarship"]
    assert summary.scholarships == sum(max(e.participants_total, 1) for e in scholarship_events)
    assert summary.scholarships == 3
    partners = {o.pk for e in held for o in e.partners.all()}
    assert summary.partner_organizations == len(partners) == 2


def test_share_of_targets_on_track(scenario, report_en):
    held = held_in(scenario, H1)
    # Numeric, funded targets: T1 (4), T2 (2), T5 (10). 2012-H1 ends on day 182 of 366.
    share = 182 / 366
    statuses = {}
    for key in ("T1", "T2", "T5"):
        quantity = scenario.targets[key].quantity
        delivered = units(scenario, key, held)
        statuses[key] = (
            "achieved"
            if delivered >= quantity
            else "on_track"
            if delivered / quantity >= share
            else "behind"
        )
    assert statuses == {"T1": "on_track", "T2": "on_track", "T5": "behind"}
    summary = report_en.section("summary").data
    assert summary.targets_assessed == 3
    assert summary.targets_on_track_or_achieved == 2
    assert summary.share_on_track == pytest.approx(round(100 * 2 / 3, 1))


def test_work_area_rows_period_and_year(scenario):
    h2 = report_data(plan=scenario.plan, period=H2, language="en")
    areas = h2.section("work-areas").data
    rows = {t.code: t for a in areas for g in a.programs for p in g.projects for t in p.targets}
    year_events = held_in(scenario, parse_period("2012"))
    h2_events = held_in(scenario, H2)
    t1 = scenario.targets["T1"]
    assert rows[t1.code].delivered_period == units(scenario, "T1", h2_events) == 1
    assert rows[t1.code].delivered_year == units(scenario, "T1", year_events) == 3
    assert rows[t1.code].percent == pytest.approx(100 * 3 / 4)
    assert rows[t1.code].status == "behind"  # whole year elapsed, 3 of 4
    assert rows["1.A.2.b"].status == "unfunded"
    assert rows["2.B.1.a"].status == "qualitative"
    assert rows["1.A.2.b"].percent is None


def test_work_area_structure_and_narrative(scenario, report_en):
    areas = report_en.section("work-areas").data
    assert [a.number for a in areas] == [1, 2]
    assert [g.code for g in areas[0].programs] == ["1.A"]
    assert [p.code for p in areas[0].programs[0].projects] == ["1.A.1", "1.A.2"]
    assert areas[0].programs[0].narrative.startswith("Four port facilities")
    assert areas[1].programs[0].narrative == ""
    held = held_in(scenario, H1)
    # Work area 1 numeric targets: T1 (4) + T2 (2); delivered T1 2 + T2 1.
    assert areas[0].quantity == 6
    assert areas[0].delivered_period == units(scenario, "T1", held) + units(scenario, "T2", held)
    assert areas[0].delivered_period == 3


def test_mandates_trace_programs_and_projects(scenario, report_en):
    held = held_in(scenario, H1)
    sources = report_en.section("mandates").data
    assert [s.symbol for s in sources] == ["CICTE/DEC.1/11"]
    clause5, clause7 = sources[0].clauses
    assert [(link.code, link.level) for link in clause5.links] == [
        ("1.A", "program"),
        ("2.B.1", "project"),
    ]
    program_targets = {scenario.targets["T1"].pk, scenario.targets["T2"].pk}
    program_events = {
        c.event_id
        for c in scenario.contributions
        if c.target_id in program_targets and c.event_id in {e.pk for e in held}
    }
    assert clause5.links[0].events_held == len(program_events) == 2
    assert clause5.links[0].delivered == units(scenario, "T1", held) + units(scenario, "T2", held)
    assert clause5.links[1].events_held == 1
    assert clause5.links[1].delivered == units(scenario, "T5", held)
    assert clause7.links == []


def test_evaluations_coverage_gaps_and_annex(scenario, report_en):
    held = held_in(scenario, H1)
    evaluations = report_en.section("evaluations").data
    assert [e.title for e in evaluations] == [e.title for e in held if e.kind == "evaluation"]

    coverage = report_en.section("coverage").data
    assert len(coverage.states) == 35
    by_code = {s.code: s for s in coverage.states}
    for code in ("JAM", "TTO", "MEX", "ARG"):
        expected = sum(
            1
            for e in held
            if code in {s.code for s in e.beneficiaries.all()}
            or (e.host_state_id and e.host_state.code == code)
        )
        assert by_code[code].events_held == expected == 1
    jam = [
        p
        for p in scenario.participation
        if p.member_state.code == "JAM" and p.event_id in {e.pk for e in held}
    ]
    assert by_code["JAM"].participants_total == sum(p.women + p.men + p.not_stated for p in jam)
    assert by_code["BRA"].events_held == 0  # its event ended in July
    assert by_code["COL"].events_held == 0  # cancelled
    assert by_code["PER"].events_held == 0  # another plan
    caribbean = next(r for r in coverage.subregions if r.key == "caribbean")
    assert caribbean.states_reached == 2  # JAM, TTO
    assert caribbean.events_held == 1  # one workshop, counted once
    assert caribbean.participants_total == 12 + 8
    assert sum(r.states_total for r in coverage.subregions) == 35

    gaps = report_en.section("funding-gaps").data
    unfunded = [t for t in scenario.targets.values() if t.funding == "to_be_identified"]
    assert [g.target_code for g in gaps] == [t.code for t in unfunded] == ["1.A.2.b"]

    annex = report_en.section("annex").data
    assert [e.event_id for e in annex] == [
        e.pk for e in sorted(held, key=lambda e: (e.start_date, e.end_date, e.pk))
    ]
    first = annex[0]
    assert first.beneficiaries == ["JAM", "TTO"]
    assert first.partners == ["IMO"]


def test_sections_in_registry_order(report_en):
    # Other apps may register more sections between these; the built-in ones keep this order.
    builtin = {
        "summary",
        "mandates",
        "work-areas",
        "evaluations",
        "coverage",
        "funding-gaps",
        "annex",
    }
    assert [s.key for s in report_en.sections if s.key in builtin] == [
        "summary",
        "mandates",
        "work-areas",
        "evaluations",
        "coverage",
        "funding-gaps",
        "annex",
    ]


def test_no_events_in_period_says_so(scenario):
    data = report_data(plan=scenario.plan, period=parse_period("2012-Q4"), language="en")
    assert data.section("summary").data.events_held == 0
    assert data.section("annex").data == []
    notes = [b.text for b in data.section("annex").blocks if hasattr(b, "role")]
    assert notes == ["No events were held in this period."]


def test_period_outside_plan_year(scenario):
    with pytest.raises(ReportError, match="outside the 2012 plan year"):
        report_data(plan=scenario.plan, period=parse_period("2013-H1"), language="en")


def test_unknown_language(scenario):
    with pytest.raises(ReportError):
        report_data(plan=scenario.plan, period=H1, language="xx")


@pytest.mark.django_db
def test_document_symbol_rule():
    plan = WorkPlanFactory(symbol="CICTE/doc.5/12 rev. 1", year=2012)
    assert document_symbol(plan=plan, period=H1) == "CICTE/INF. 1/12"
    assert document_symbol(plan=plan, period=H2) == "CICTE/INF. 2/12"
    assert document_symbol(plan=plan, period=parse_period("2012")) == "CICTE/INF. 2012/12"


def test_meta_localized(report_en, report_es):
    assert report_en.meta.period_label == "January–June 2012"
    assert report_es.meta.period_label == "enero–junio de 2012"
    assert report_en.meta.issued_label == "July 16, 2012"
    assert report_es.meta.issued_label == "16 de julio de 2012"
    assert report_en.meta.issued == dt.date(2012, 7, 16)


def _grow(scenario, n):
    """More events, targets, participation rows and narratives on the same plan."""
    from cicte.delivery.models import CountryParticipation, EventTarget
    from tests.factories import ProjectFactory, TargetFactory
    from tests.reports.factories import NarrativeFactory, make_event, state

    program = scenario.programs["2.B"]
    for i in range(n):
        project = ProjectFactory(plan=scenario.plan, program=program, code=f"2.B.{i + 10}")
        target = TargetFactory(plan=scenario.plan, project=project, code=f"2.B.{i + 10}.a")
        event = make_event(
            scenario.plan,
            kind="workshop",
            title=f"Extra {i}",
            city="Panama",
            start_date=dt.date(2012, 2, 1 + i % 27),
            end_date=dt.date(2012, 2, 1 + i % 27),
            host_state=state("PAN"),
            beneficiaries=["PAN", "CRI"],
            partners=scenario.partners,
            participants_total=4,
            participants_women=2,
            participants_men=2,
        )
        EventTarget.objects.create(event=event, target=target, units=1)
        CountryParticipation.objects.create(event=event, member_state=state("PAN"), women=2)
    NarrativeFactory(program=program, period="2012-H1", text="More work.")


def test_query_count_constant_in_data_size(scenario, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        report_data(plan=scenario.plan, period=H1, language="en")
    baseline = len(ctx.captured_queries)
    _grow(scenario, 30)
    with django_assert_num_queries(baseline):
        data = report_data(plan=scenario.plan, period=H1, language="en")
    assert data.section("summary").data.events_held == 3 + 30


def test_registered_section_appears_in_order(scenario):
    from cicte.reports.registry import register_section, unregister_section
    from cicte.reports.types import Paragraph, Section

    @register_section("test-extra", order=35)
    def extra(context):
        return Section("test-extra", "Extra", [Paragraph(f"{len(context.events)} events")])

    try:
        data = report_data(plan=scenario.plan, period=H1, language="en")
    finally:
        unregister_section("test-extra")
    keys = [s.key for s in data.sections]
    assert keys.index("work-areas") < keys.index("test-extra") < keys.index("coverage")
    assert data.section("test-extra").blocks[0].text == "3 events"
