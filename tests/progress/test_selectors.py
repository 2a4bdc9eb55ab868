"""Hand-checked progress figures on small plans built with factories."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.core.periods import parse_period
from cicte.directory.models import MemberState
from cicte.progress import selectors
from cicte.progress.rules import elapsed_share
from cicte.progress.selectors import plan_progress
from tests.factories import CountryParticipationFactory

D = dt.date
H1, H2, YEAR = parse_period("2012-H1"), parse_period("2012-H2"), parse_period("2012")


def by_code(progress):
    return {t.code: t for t in progress.targets}


@pytest.fixture
def four(make_target, make_event):
    """A target of 4: 1 held + 1 planned in H1, 2 held in H2 (+ cancelled, postponed)."""
    target = make_target("1.A.1.a", 4)
    make_event([target], D(2012, 3, 10))
    make_event([target], D(2012, 5, 10), status="planned")
    make_event([target], D(2012, 8, 10))
    make_event([target], D(2012, 11, 10))
    make_event([target], D(2012, 4, 10), status="cancelled")
    make_event([target], D(2012, 10, 10), status="postponed")
    return target


def test_first_half_year(tree, four):
    t = by_code(plan_progress(plan=tree["plan"], period=H1))["1.A.1.a"]
    assert (t.quantity, t.delivered, t.planned, t.events_held) == (4, 1, 1, 1)
    assert t.percent == 25.0
    assert t.kind == "quantitative"
    # 25 % delivered < 182/366 of the year elapsed on 30 June
    assert t.status == "behind"
    assert t.expected_percent == 49.7


def test_second_half_year(tree, four):
    t = by_code(plan_progress(plan=tree["plan"], period=H2))["1.A.1.a"]
    assert (t.delivered, t.planned, t.events_held, t.percent) == (2, 0, 2, 50.0)
    assert t.status == "behind"  # the year is over at the end of H2: behind = not achieved


def test_whole_year_is_the_default_period(tree, four):
    progress = plan_progress(plan=tree["plan"])
    t = by_code(progress)["1.A.1.a"]
    assert progress.period == YEAR
    assert (t.delivered, t.planned, t.events_held, t.percent) == (3, 1, 3, 75.0)
    assert t.status == "behind"


def test_first_quarter_on_track(tree, four):
    # Q1: 1 of 4 = 25 % delivered; 91/366 = 24.9 % of the year elapsed on 31 March.
    t = by_code(plan_progress(plan=tree["plan"], period=parse_period("2012-Q1")))["1.A.1.a"]
    assert (t.delivered, t.percent, t.status) == (1, 25.0, "on_track")


def test_date_range_period(tree, four):
    period = parse_period("2012-05-01..2012-08-31")
    t = by_code(plan_progress(plan=tree["plan"], period=period))["1.A.1.a"]
    assert (t.delivered, t.planned) == (1, 1)


def test_over_delivery_and_units(tree, make_target, make_event):
    target = make_target("T5", 4)
    make_event({target: 3}, D(2012, 2, 1))
    make_event({target: 2}, D(2012, 9, 1))
    t = by_code(plan_progress(plan=tree["plan"]))["T5"]
    assert (t.delivered, t.events_held, t.percent, t.status) == (5, 2, 125.0, "achieved")


def test_event_counting_toward_two_targets(tree, make_target, make_event):
    a = make_target("A", 2)
    b = make_target("B", 10, project=2)
    make_event({a: 1, b: 3}, D(2012, 6, 1))
    rows = by_code(plan_progress(plan=tree["plan"], period=H1))
    assert (rows["A"].delivered, rows["A"].percent) == (1, 50.0)
    assert (rows["B"].delivered, rows["B"].percent) == (3, 30.0)
    assert rows["A"].status == "on_track"  # 50 % ≥ 49.7 %
    assert rows["B"].status == "behind"


def test_qualitative_and_unfunded_are_never_zero_percent(tree, make_target, make_event):
    qualitative = make_target("Q", None, text="Promote cooperation")
    unfunded = make_target("U", 3, funding="to_be_identified")
    make_target("U2", None, funding="to_be_identified")
    make_event([qualitative, unfunded], D(2012, 4, 1))
    rows = by_code(plan_progress(plan=tree["plan"]))
    assert (rows["Q"].kind, rows["Q"].status, rows["Q"].percent) == (
        "qualitative",
        "qualitative",
        None,
    )
    assert (rows["Q"].delivered, rows["Q"].events_held) == (1, 1)
    assert (rows["U"].kind, rows["U"].status, rows["U"].percent) == ("unfunded", "unfunded", None)
    assert rows["U"].delivered == 1
    assert (rows["U2"].status, rows["U2"].percent) == ("unfunded", None)
    assert rows["Q"].expected_percent is None


def test_not_started(tree, make_target, make_event):
    idle = make_target("IDLE", 3)
    waiting = make_target("WAIT", 3)
    make_event([waiting], D(2012, 12, 1), status="confirmed")
    rows = by_code(plan_progress(plan=tree["plan"]))
    assert (rows["IDLE"].status, rows["IDLE"].percent) == ("not_started", 0.0)
    assert (rows["WAIT"].status, rows["WAIT"].planned) == ("behind", 1)
    assert [t.code for t in selectors.targets_without_delivery(plan=tree["plan"])] == [
        idle.code,
        waiting.code,
    ]


def test_period_boundaries(tree, make_target, make_event):
    target = make_target("EDGE", 2)
    make_event([target], D(2012, 6, 30))
    make_event([target], D(2012, 7, 1))
    make_event([target], D(2011, 12, 31))
    make_event([target], D(2013, 1, 1))
    assert by_code(plan_progress(plan=tree["plan"], period=H1))["EDGE"].delivered == 1
    assert by_code(plan_progress(plan=tree["plan"], period=H2))["EDGE"].delivered == 1
    assert by_code(plan_progress(plan=tree["plan"], period=YEAR))["EDGE"].delivered == 2


def test_event_counts_in_the_period_of_its_end_date(tree, make_target, make_event):
    target = make_target("SPAN", 2)
    make_event([target], D(2012, 7, 2), start_date=D(2012, 6, 25))
    assert by_code(plan_progress(plan=tree["plan"], period=H1))["SPAN"].delivered == 0
    assert by_code(plan_progress(plan=tree["plan"], period=H2))["SPAN"].delivered == 1


def _rollups(tree, make_target, make_event):
    t1 = make_target("1.A.1.a", 4)
    t2 = make_target("1.A.1.b", 2)
    make_target("1.A.1.c", None)  # qualitative
    t3 = make_target("1.A.2.a", 10, project=1)
    make_target("1.A.2.b", 5, project=1, funding="to_be_identified")
    t4 = make_target("2.A.1.a", 5, project=2)
    make_event({t1: 3}, D(2012, 3, 1))
    make_event({t2: 2, t4: 1}, D(2012, 9, 1), beneficiaries=("BRB",))
    make_event({t3: 4}, D(2012, 10, 1), status="planned")
    return plan_progress(plan=tree["plan"])


def test_rollups(tree, make_target, make_event):
    progress = _rollups(tree, make_target, make_event)
    area1, area2 = progress.work_areas
    program = area1.programs[0]
    project1, project2 = program.projects
    assert (project1.quantity, project1.delivered, project1.percent) == (6, 5, 83.3)
    assert (project1.qualitative, project1.unfunded, project1.numeric) == (1, 0, 2)
    assert (project2.quantity, project2.delivered, project2.planned, project2.percent) == (
        10,
        0,
        4,
        0.0,
    )
    assert project2.unfunded == 1
    assert (program.quantity, program.delivered, program.percent) == (16, 5, 31.2)
    assert (area1.quantity, area1.delivered, area1.percent, area1.code) == (16, 5, 31.2, "1")
    assert (area2.quantity, area2.delivered, area2.percent) == (5, 1, 20.0)
    assert (progress.quantity, progress.delivered, progress.planned) == (21, 6, 4)
    assert progress.percent == 28.6
    assert (progress.qualitative, progress.unfunded, progress.numeric) == (1, 1, 4)
    assert progress.status_counts == {
        "achieved": 1,
        "on_track": 0,
        "behind": 3,
        "not_started": 0,
        "unfunded": 1,
        "qualitative": 1,
    }
    assert [t.code for t in progress.targets][:3] == ["1.A.1.a", "1.A.1.b", "1.A.1.c"]
    assert progress.targets[0].program_code == "1.A"
    assert progress.targets[0].project_code == "1.A.1"
    assert progress.targets[-1].work_area_number == 2


def test_rollup_without_numeric_target_has_no_percent(tree, make_target):
    make_target("Q", None, project=2)
    progress = plan_progress(plan=tree["plan"], work_area=2)
    assert progress.work_areas[0].percent is None
    assert progress.percent is None


def test_filters(tree, make_target, make_event):
    _rollups(tree, make_target, make_event)
    plan = tree["plan"]
    area2 = plan_progress(plan=plan, work_area=2)
    assert [wa.number for wa in area2.work_areas] == [2]
    assert [t.code for t in area2.targets] == ["2.A.1.a"]
    program = plan_progress(plan=plan, program="1.A")
    assert [wa.number for wa in program.work_areas] == [1]
    assert program.delivered == 5
    brb = plan_progress(plan=plan, member_state="brb")
    assert brb.member_state == "BRB"
    assert by_code(brb)["1.A.1.b"].delivered == 2
    assert by_code(brb)["1.A.1.a"].delivered == 0  # that event was for Jamaica only
    jam = plan_progress(plan=plan, member_state="JAM")  # JAM hosts every event
    assert jam.delivered == 6


def test_member_state_progress(tree, make_target, make_event):
    target = make_target("T", 10)
    first = make_event([target], D(2012, 3, 1), host="JAM", beneficiaries=("JAM", "BRB"))
    second = make_event([target], D(2012, 9, 1), host="BRB")
    make_event([target], D(2012, 10, 1), host="JAM", status="planned", beneficiaries=("TTO",))
    CountryParticipationFactory(
        event=first, member_state=MemberState.objects.get(code="JAM"), women=5, men=7
    )
    brb = MemberState.objects.get(code="BRB")
    CountryParticipationFactory(event=first, member_state=brb, women=2, men=1, not_stated=1)
    CountryParticipationFactory(event=second, member_state=brb, women=4, men=0)
    rows = {r.code: r for r in selectors.member_state_progress(plan=tree["plan"], period=YEAR)}
    assert len(rows) == 35
    assert (rows["JAM"].events_held, rows["JAM"].women, rows["JAM"].men) == (1, 5, 7)
    assert rows["JAM"].participants_total == 12
    assert (rows["BRB"].events_held, rows["BRB"].women, rows["BRB"].men) == (2, 6, 1)
    assert (rows["BRB"].not_stated, rows["BRB"].participants_total) == (1, 8)
    assert rows["BRB"].events_by_program == {"1.A": 2}
    assert rows["TTO"].events_held == 0  # only a planned event
    assert rows["BRB"].subregion == "caribbean"
    h1 = {r.code: r for r in selectors.member_state_progress(plan=tree["plan"], period=H1)}
    assert (h1["BRB"].events_held, h1["BRB"].women) == (1, 2)


def test_event_lists(tree, make_target, make_event):
    target = make_target("T", 10)
    other = make_target("O", 1, project=2)
    make_event({target: 2, other: 1}, D(2012, 3, 1), title="Held one", beneficiaries=("BRB",))
    make_event([target], D(2012, 5, 1), status="planned", title="Planned one")
    make_event([target], D(2012, 6, 1), status="postponed", title="Postponed one")
    make_event([target], D(2012, 9, 1), status="confirmed", title="Confirmed in H2")
    make_event([target], D(2012, 4, 1), status="cancelled", title="Cancelled one")
    not_held = selectors.events_planned_not_held(plan=tree["plan"], period=H1)
    assert [e.title for e in not_held] == ["Planned one", "Postponed one"]
    assert [e.status for e in not_held] == ["planned", "postponed"]
    page = selectors.target_events(target=target)
    events = page.rows
    assert len(events) == page.total == 5
    held = next(e for e in events if e.title == "Held one")
    assert (held.target_codes, held.units, held.target_units) == (["O", "T"], {"T": 2, "O": 1}, 2)
    assert (held.beneficiaries, held.host_state, held.status_label) == (["BRB"], "JAM", "Held")
    assert events[0].end_date == D(2012, 9, 1)


def test_summary(tree, make_target, make_event):
    target = make_target("T", 2)
    make_event(
        [target],
        D(2012, 3, 1),
        beneficiaries=("BRB", "TTO"),
        participants_total=10,
        participants_women=6,
        participants_men=3,
    )
    make_event([target], D(2012, 9, 1), host="MEX", participants_total=4, participants_men=4)
    make_event([target], D(2012, 9, 1), status="planned")
    summary = selectors.plan_summary(plan=tree["plan"])
    assert (summary.events_held, summary.events_planned, summary.states_reached) == (2, 1, 4)
    assert (summary.participants_total, summary.women, summary.men) == (14, 6, 7)
    assert (summary.targets_numeric, summary.targets_achieved, summary.achieved_percent) == (
        1,
        1,
        100.0,
    )
    h1 = selectors.plan_summary(plan=tree["plan"], period=H1, member_state="TTO")
    assert (h1.events_held, h1.states_reached, h1.women) == (1, 3, 6)


def test_elapsed_share():
    assert elapsed_share(year=2012, period=YEAR) == 1.0
    assert elapsed_share(year=2012, period=H2) == 1.0
    assert elapsed_share(year=2012, period=H1) == pytest.approx(182 / 366)
    assert elapsed_share(year=2012, period=parse_period("2011")) == 0.0
    assert elapsed_share(year=2012, period=parse_period("2013-H1")) == 1.0


def test_target_progress_single(tree, four):
    t = selectors.target_progress(target=four, period=H1)
    assert (t.delivered, t.planned, t.status, t.program_code) == (1, 1, "behind", "1.A")


def test_member_state_events_by_program_count_each_event_once(tree, make_target, make_event):
    a1 = make_target("A1", 5)
    a2 = make_target("A2", 5, project=1)  # same program 1.A
    b = make_target("B", 5, project=2)  # program 2.A
    make_event([a1, a2, b], D(2012, 2, 1), host="JAM", beneficiaries=("JAM", "HTI"))
    make_event([a1], D(2012, 3, 1), host=None, beneficiaries=("JAM",))
    make_event([b], D(2012, 4, 1), host="JAM")
    rows = {r.code: r for r in selectors.member_state_progress(plan=tree["plan"])}
    assert rows["JAM"].events_held == 3
    assert rows["JAM"].events_by_program == {"1.A": 2, "2.A": 2}
    assert (rows["HTI"].events_held, rows["HTI"].events_by_program) == (1, {"1.A": 1, "2.A": 1})
    assert rows["MEX"].events_by_program == {}


def test_summary_reuses_member_state_rows(tree, make_target, make_event, django_assert_num_queries):
    target = make_target("T", 2)
    make_event([target], D(2012, 3, 1), beneficiaries=("BRB", "TTO"))
    make_event([target], D(2012, 9, 1), host="MEX")
    plan = tree["plan"]
    progress = plan_progress(plan=plan)
    states = selectors.member_state_progress(plan=plan)
    with django_assert_num_queries(2):
        summary = selectors.plan_summary(plan=plan, progress=progress, states=states)
    assert summary.states_reached == 4 == selectors.plan_summary(plan=plan).states_reached
