"""Maps and time series: the selectors of progress/trends.py, the tile map's SVG, the
column charts, and the pages that show them (dashboard, target, public member states)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cicte.access.models import Role
from cicte.core.periods import parse_period
from cicte.delivery.models import Participant
from cicte.directory.models import MemberState
from cicte.plan.models import PlanStatus, Target
from cicte.progress import maps, selectors, trends
from tests.accounts.factories import user_with_role
from tests.factories import (
    CountryParticipationFactory,
    EventFactory,
    EventTargetFactory,
    ProgramFactory,
    ProjectFactory,
    TargetFactory,
    WorkAreaFactory,
    WorkPlanFactory,
)

MARKER = "Zqxvizperson"


def _state(code: str) -> MemberState:
    return MemberState.objects.get(code=code)


def _event(plan, target, end, *, units=1, status="held", host="JAM", beneficiaries=(), title=""):
    event = EventFactory(
        plan=plan,
        start_date=end - dt.timedelta(days=1),
        end_date=end,
        status=status,
        host_state=_state(host) if host else None,
        **({"title": title} if title else {}),
    )
    EventTargetFactory(event=event, target=target, units=units)
    if beneficiaries:
        event.beneficiaries.set(MemberState.objects.filter(code__in=beneficiaries))
    return event


@pytest.fixture
def two_plans(plan_2012):
    """The real 2012 plan and a 2014 plan that repeats one of its target codes, with factory
    events in both (held, planned, cancelled), hosted by or benefiting a few states."""
    target_2012 = Target.objects.filter(plan=plan_2012, quantity__gt=0).order_by("position")[0]
    area_number = target_2012.project.program.work_area.number
    plan_2014 = WorkPlanFactory(year=2014, symbol="CICTE/doc.9/14", title="2014 Work Plan")
    area = WorkAreaFactory(plan=plan_2014, number=area_number, title="Same area")
    program = ProgramFactory(work_area=area, plan=plan_2014, letter="Z", code=f"{area_number}.Z")
    project = ProjectFactory(program=program, plan=plan_2014, number=1, code=f"{area_number}.Z.1")
    target_2014 = TargetFactory(plan=plan_2014, project=project, code=target_2012.code, quantity=5)
    events = [
        # 2012-H1: 2 + 1 units, JAM host; 2012-H2: 3 units; 2014-H2: 4 units (other plan)
        _event(plan_2012, target_2012, dt.date(2012, 3, 10), units=2, beneficiaries=("BRB",)),
        _event(plan_2012, target_2012, dt.date(2012, 6, 30), units=1, host="BRB"),
        _event(plan_2012, target_2012, dt.date(2012, 7, 1), units=3, host="COL"),
        _event(plan_2014, target_2014, dt.date(2014, 11, 2), units=4, beneficiaries=("JAM",)),
        # never counted: planned and cancelled
        _event(plan_2012, target_2012, dt.date(2012, 5, 1), units=7, status="planned"),
        _event(plan_2012, target_2012, dt.date(2012, 5, 2), units=9, status="cancelled"),
    ]
    CountryParticipationFactory(event=events[0], member_state=_state("JAM"), women=3, men=4)
    CountryParticipationFactory(event=events[3], member_state=_state("JAM"), women=2, men=1)
    Participant.objects.create(event=events[0], member_state=_state("JAM"), name=MARKER)
    return {
        "plan_2012": plan_2012,
        "plan_2014": plan_2014,
        "target_2012": target_2012,
        "target_2014": target_2014,
        "area": area_number,
        "events": events,
    }


# --- selectors --------------------------------------------------------------------------------


def test_target_series_counts_held_units_per_half_year_across_plans(
    two_plans, django_assert_num_queries
):
    years = trends.plan_years()
    assert years == (2012, 2014)
    with django_assert_num_queries(1):
        series = trends.target_series(code=two_plans["target_2012"].code, years=years)
    assert [(p.label, p.delivered, p.events) for p in series.points] == [
        ("2012-H1", 3, 2),
        ("2012-H2", 3, 1),
        ("2013-H1", 0, 0),
        ("2013-H2", 0, 0),
        ("2014-H1", 0, 0),
        ("2014-H2", 4, 1),
    ]
    # the half-years of the 2012 plan agree with plan_progress
    for label, point in (("2012-H1", series.points[0]), ("2012-H2", series.points[1])):
        progress = selectors.plan_progress(plan=two_plans["plan_2012"], period=parse_period(label))
        row = next(t for t in progress.targets if t.code == two_plans["target_2012"].code)
        assert row.delivered == point.delivered


def test_work_area_series_agrees_with_plan_progress(two_plans, django_assert_num_queries):
    plan = two_plans["plan_2012"]
    years = (2012, 2014)
    with django_assert_num_queries(1):
        by_area = trends.work_area_series(years=years)
    number = two_plans["area"]
    assert by_area[number].total == 3 + 3 + 4
    for half in ("2012-H1", "2012-H2"):
        progress = selectors.plan_progress(plan=plan, period=parse_period(half))
        area = next(a for a in progress.work_areas if a.number == number)
        point = next(p for p in by_area[number].points if p.label == half)
        # every target of the area counts here, quantitative or not
        assert point.delivered == sum(
            t.delivered for t in progress.targets if t.work_area_number == number
        )
        assert area.delivered <= point.delivered
    assert trends.work_area_series(years=years, numbers=[5])[5].total == 0


def test_states_received_counts_each_event_once(two_plans, django_assert_num_queries):
    plans = [two_plans["plan_2012"], two_plans["plan_2014"]]
    with django_assert_num_queries(7):
        received = trends.states_received(plans=plans)
    # JAM: host of the first event (also beneficiary BRB) + beneficiary of the 2014 one
    assert received["JAM"].events == 2
    assert received["BRB"].events == 2  # beneficiary of event 0, host of event 1
    assert received["COL"].events == 1
    assert (received["JAM"].women, received["JAM"].men) == (5, 5)
    assert received["JAM"].programs == 2  # one program in each plan
    assert "MEX" not in received
    one = trends.states_received(plans=plans, codes=["jam"])
    assert one["JAM"].events == 2
    only_2012 = trends.states_received(plans=plans, period=parse_period("2012-H1"))
    assert only_2012["JAM"].events == 1


def test_state_progress_percent_is_the_member_state_filter(two_plans, django_assert_num_queries):
    plan = two_plans["plan_2012"]
    with django_assert_num_queries(4):
        percents = trends.state_progress_percent(plan=plan)
    for code in ("JAM", "BRB", "COL"):
        assert percents[code][2] == selectors.plan_progress(plan=plan, member_state=code).percent
    assert "MEX" not in percents


@pytest.mark.parametrize("size", [2, 10])
def test_query_counts_do_not_grow_with_data(two_plans, django_assert_num_queries, size):
    plan = two_plans["plan_2012"]
    targets = list(Target.objects.filter(plan=plan, quantity__gt=0)[:size])
    for i, target in enumerate(targets * 3):
        _event(plan, target, dt.date(2012, 1 + i % 12, 5), host=["MEX", "PER", "CAN"][i % 3])
    years = trends.plan_years()
    assert years is not None
    with django_assert_num_queries(1):
        trends.target_series(code=targets[0].code, years=years)
    with django_assert_num_queries(1):
        trends.work_area_series(years=years)
    with django_assert_num_queries(7):
        trends.states_received(plans=[plan])
    with django_assert_num_queries(4):
        trends.state_progress_percent(plan=plan)


# --- the tile map ------------------------------------------------------------------------------


def test_buckets():
    assert [maps.event_bucket(n) for n in (0, 1, 2, 3, 5, 6, 10, 11, 400)] == [
        "e0", "e1", "e1", "e2", "e2", "e3", "e3", "e4", "e4",
    ]  # fmt: skip
    assert [maps.progress_bucket(p) for p in (None, 0, 0.1, 4.9, 5, 14.9, 15, 29.9, 30, 120)] == [
        "p0", "p0", "p1", "p1", "p2", "p2", "p3", "p3", "p4", "p4",
    ]  # fmt: skip


def _tiles(svg: str) -> dict[str, tuple[str, str]]:
    """code -> (class, value text) for each tile of a rendered map."""
    found = {}
    for cls, code, value in re.findall(
        r'<g class="tile (tile-\w+)">.*?<text[^>]*>(\w{3})</text>\s*'
        r'<text[^>]*class="tile-value">([^<]*)</text>',
        svg,
        flags=re.S,
    ):
        found[code] = (cls, value)
    return found


def test_events_map_svg_has_a_tile_per_state_with_code_value_and_class(db):
    from django.template.loader import render_to_string

    grid = maps.events_map({"JAM": 12, "BRB": 4, "COL": 1}, title="Events", description="D")
    html = render_to_string("directory/_tilemap.html", {"map": grid})
    tiles = _tiles(html)
    assert len(tiles) == 35
    assert tiles["JAM"] == ("tile-e4", "12")
    assert tiles["BRB"] == ("tile-e2", "4")
    assert tiles["COL"] == ("tile-e1", "1")
    assert tiles["MEX"] == ("tile-e0", "0")
    assert "<title>Jamaica: 12, 11 events or more</title>" in html
    assert 'aria-labelledby="events-map-title events-map-desc"' in html
    assert "No event (32)" in html  # the legend counts
    assert html.count('<td class="num">') == 35  # the table alternative has the values


# --- pages -------------------------------------------------------------------------------------


def test_dashboard_shows_the_map_both_ways_and_a_chart_per_work_area(staff_client, two_plans):
    plan = two_plans["plan_2012"]
    url = reverse("workspace:dashboard")
    page = staff_client.get(url, {"plan": plan.pk, "period": "2012"}).content.decode()
    tiles = _tiles(page)
    assert tiles["JAM"] == ("tile-e1", "1") and tiles["BRB"] == ("tile-e1", "2")
    assert "map=progress" in page and 'aria-current="true">Events received' in page
    assert page.count('class="series-svg"') == plan.work_areas.count()
    number = two_plans["area"]
    chart = page.split(f'id="area-series-{number}-title"')[1].split("</svg>")[0]
    assert 'data-period="2012-H1" data-value="3"' in chart
    assert 'data-period="2014-H2" data-value="4"' in chart
    progress = staff_client.get(url, {"plan": plan.pk, "period": "2012", "map": "progress"})
    tiles = _tiles(progress.content.decode())
    expected = selectors.plan_progress(plan=plan, member_state="COL").percent
    assert expected and tiles["COL"][1] == f"{expected:.1f} %"
    assert tiles["COL"][0] == f"tile-{maps.progress_bucket(expected)}"
    assert tiles["MEX"] == ("tile-p0", "0.0 %")


def test_dashboard_query_count_is_constant_with_the_visuals(
    staff_client, two_plans, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = two_plans["plan_2012"]
    url = reverse("workspace:dashboard")
    staff_client.get(url)
    for kind in ("events", "progress"):
        params = {"plan": plan.pk, "map": kind}
        cache.clear()  # the blocks computed both times, not served (test_dashboard_cache.py)
        with CaptureQueriesContext(connection) as small:
            staff_client.get(url, params)
        targets = list(Target.objects.filter(plan=plan, quantity__gt=0)[:20])
        for i, target in enumerate(targets):
            _event(plan, target, dt.date(2012, 1 + i % 12, 9), host="PER", beneficiaries=("CHL",))
        cache.clear()
        with django_assert_num_queries(len(small.captured_queries)):
            assert staff_client.get(url, params).status_code == 200


def test_target_page_chart_equals_the_selector(staff_client, two_plans):
    target = two_plans["target_2012"]
    page = staff_client.get(reverse("workspace:target", args=[target.pk])).content.decode()
    series = trends.target_series(code=target.code, years=(2012, 2014))
    for point in series.points:
        assert f'data-period="{point.label}" data-value="{point.delivered}"' in page
        assert f'<th scope="row">{point.label}</th><td class="num">{point.delivered}</td>' in page


def test_public_member_state_list_has_the_map(client, two_plans, django_assert_max_num_queries):
    two_plans["plan_2014"].status = PlanStatus.DRAFT  # drafts are never public
    two_plans["plan_2014"].save()
    with django_assert_max_num_queries(8):
        page = client.get(reverse("public:member-states")).content.decode()
    tiles = _tiles(page)
    assert len(tiles) == 35
    assert tiles["JAM"] == ("tile-e1", "1")  # the 2014 event is in a draft plan
    assert 'href="/member-states/JAM/"' in page
    assert "Caribbean" in page  # the list by subregion is still there


def test_public_member_state_page_counts_only_no_names_no_restricted_events(client, two_plans):
    url = reverse("public:member-state", args=["JAM"])
    page = client.get(url).content.decode()
    assert "In all approved work plans" in page
    section = page.split('id="received-all"')[1].split("</section>")[0]
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", section))
    assert figures["Events held"] == "2"
    assert figures["Programs"] == "2"
    assert (figures["Women"], figures["Men"]) == ("5", "5")
    assert "2 events held. The list of events is shown" in page
    for event in two_plans["events"]:
        assert event.title not in page  # the public reads no event
    assert MARKER not in page


def test_public_member_state_page_lists_the_events_the_reader_may_read(two_plans):
    poc = Client()
    poc.force_login(user_with_role(Role.POINT_OF_CONTACT, username="poc-jam", member_state="JAM"))
    events = two_plans["events"]
    page = poc.get(reverse("public:member-state", args=["JAM"])).content.decode()
    assert "The latest 2 of 2 events you may read." in page
    assert events[0].title in page and events[3].title in page
    assert page.index(events[3].title) < page.index(events[0].title)  # latest first
    other = poc.get(reverse("public:member-state", args=["COL"])).content.decode()
    assert events[2].title not in other  # Colombia's event is not the Jamaican contact's
    assert "1 event held." in other
    assert MARKER not in page + other


def test_member_state_progress_of_some_states_equals_their_rows_of_all(two_plans):
    """``codes`` filters the grouped queries in SQL (the member-state page reads one state's
    groups, issue 16); each state's row is the one the 35-state table has, host and
    beneficiary of the same event counted once."""
    plan = two_plans["plan_2012"]
    extra = _event(
        plan, two_plans["target_2012"], dt.date(2012, 4, 2), host="JAM", beneficiaries=("JAM",)
    )
    CountryParticipationFactory(event=extra, member_state=_state("BRB"), women=1, men=1)
    every = {row.code: row for row in selectors.member_state_progress(plan=plan)}
    for codes in (["JAM"], ["brb", "COL"], ["MEX"]):
        some = selectors.member_state_progress(plan=plan, codes=codes)
        assert [row.code for row in some] == sorted(c.upper() for c in codes)
        for row in some:
            assert row == every[row.code]
    jam = selectors.member_state_progress(plan=plan, codes=["JAM"])[0]
    assert jam.events_held == 2  # host of the first event; host and beneficiary of the extra
    assert sum(jam.events_by_program.values()) == 2


@pytest.mark.parametrize(
    ("day", "index"), [(dt.date(2025, 6, 30), 4050), (dt.date(2025, 7, 1), 4051)]
)
def test_half_year_index_in_sql_also_of_a_parameter(db, day, index):
    """``HalfYearIndex`` repeats the date's SQL: a date given as a parameter is given twice."""
    from django.db.models import DateField, Value

    value = (
        MemberState.objects.annotate(
            half=trends.HalfYearIndex(Value(day, output_field=DateField()))
        )
        .values_list("half", flat=True)
        .first()
    )
    assert value == index
