"""Dashboard blocks cached per query, data version and the reader's visibility (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cicte.core import dataversion
from cicte.delivery.models import EventTarget
from cicte.directory.models import MemberState
from cicte.progress import caching
from tests.factories import CountryParticipationFactory, UserFactory, WorkPlanFactory

D = dt.date
PROGRESS_TABLES = ("delivery_eventtarget", "delivery_countryparticipation")


@pytest.fixture
def delivered(tree, make_target, make_event):
    """Target 1.A.1.a: 7 of 18 delivered in 2012 by one held event in Barbados."""
    target = make_target("1.A.1.a", 18, unit="Training needs assessments")
    event = make_event({target: 7}, D(2012, 3, 10), beneficiaries=("BRB",))
    CountryParticipationFactory(
        event=event, member_state=MemberState.objects.get(code="BRB"), women=8, men=12
    )
    return target


def _render(client, **params: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workspace:dashboard"), params)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def _progress_queries(sql: list[str]) -> list[str]:
    return [q for q in sql if any(table in q for table in PROGRESS_TABLES)]


@pytest.mark.parametrize("params", [{}, {"period": "2012-H1", "member_state": "BRB"}])
def test_a_second_render_is_served_from_the_cached_blocks(staff_client, delivered, params):
    first_html, first = _render(staff_client, **params)
    assert _progress_queries(first)  # the first render computes the blocks
    second_html, second = _render(staff_client, **params)
    assert not _progress_queries(second)  # none of the selectors run again
    assert len(second) < len(first)
    assert "7 of 18 (39 %)" in first_html
    assert "7 of 18 (39 %)" in second_html


def test_the_cached_render_has_a_constant_number_of_queries(
    staff_client, delivered, django_assert_max_num_queries
):
    _render(staff_client)
    # session, user and role, the plans, the filter form's choices, the two data versions
    # (the plan's, every plan's), and for the series cached per plan: the plan years, the
    # plan ids and their versions (one query each): none depends on the number of events
    with django_assert_max_num_queries(12):
        staff_client.get(reverse("workspace:dashboard"))


def test_a_changed_event_moves_the_version_and_the_block_shows_the_new_number(
    staff_client, delivered
):
    html, _ = _render(staff_client)
    assert "7 of 18 (39 %)" in html
    before = dataversion.current(delivered.plan_id)
    contribution = EventTarget.objects.get(target=delivered)
    contribution.units = 9
    contribution.save()  # any save moves the plan's counter (signals)
    assert dataversion.current(delivered.plan_id) > before
    html, sql = _render(staff_client)
    assert _progress_queries(sql)  # a new key: computed again
    assert "9 of 18 (50 %)" in html
    assert "7 of 18 (39 %)" not in html


def test_another_period_or_filter_is_its_own_block(staff_client, delivered):
    _render(staff_client)
    html, sql = _render(staff_client, period="2012-H2")
    assert _progress_queries(sql)
    assert "0 of 18" in html


def test_readers_with_different_visibility_never_share_a_block(client, delivered, monkeypatch):
    """The key carries the reader's event filter: a reader who may see less (here a filter
    narrowed to one host state, as a point of contact's would be) gets its own block."""
    everyone, narrowed = UserFactory(is_staff=True), UserFactory(is_staff=True)
    filters = {everyone.pk: Q(), narrowed.pk: Q(host_state_id__in=[-1])}
    monkeypatch.setattr(caching, "event_visibility_filter", lambda user: filters[user.pk])
    client.force_login(everyone)
    _render(client)
    _, sql = _render(client)
    assert not _progress_queries(sql)  # the first reader's block is cached
    client.force_login(narrowed)
    _, sql = _render(client)
    assert _progress_queries(sql)  # not served the first reader's block
    client.force_login(everyone)
    _, sql = _render(client)
    assert not _progress_queries(sql)  # and the first reader's entry is still its own


def test_block_keys_differ_by_visibility_version_and_query(db):
    calls: list[str] = []

    def block(visibility: str, period: str, compute_as: str) -> str:
        def compute() -> str:
            calls.append(compute_as)
            return compute_as

        return caching.dashboard_block(
            "probe", plan_id=None, visibility=visibility, query={"p": period}, compute=compute
        )

    assert block("all", "H1", "a") == "a"
    assert block("all", "H1", "b") == "a"  # cached
    assert block("one state", "H1", "c") == "c"  # another visibility class
    assert block("all", "H2", "d") == "d"  # another query
    dataversion.bump()
    assert block("all", "H1", "e") == "e"  # another data version
    assert calls == ["a", "c", "d", "e"]


def test_the_series_are_cached_per_plan_and_a_change_recomputes_only_its_plan(
    staff_client, delivered
):
    """The work-area charts span every plan; each plan's part is cached under its own data
    version, so an event changed in one plan recomputes that plan's part only."""
    other = WorkPlanFactory(year=2013)
    _render(staff_client, plan=str(delivered.plan_id))
    _html, sql = _render(staff_client, plan=str(delivered.plan_id))
    assert not [q for q in sql if "delivery_eventtarget" in q]
    contribution = EventTarget.objects.get(target=delivered)
    contribution.units = 9
    contribution.save()
    html, sql = _render(staff_client, plan=str(delivered.plan_id))
    series = [q for q in sql if '"delivery_event"."plan_id" AS "plan"' in q]
    assert len(series) == 1  # one query for the missing parts
    assert f'"plan_id" IN ({delivered.plan_id})' in series[0]  # not the other plan's
    assert other.pk != delivered.plan_id
    assert "9 of 18 (50 %)" in html


def test_one_targets_series_is_never_served_for_another(make_target, make_event):
    """``series_parts(TARGET, only=code)`` caches the parts of that code alone: the key
    carries the code, so another target's page computes (and shows) its own."""
    from cicte.progress import trends

    first = make_target("1.A.1.a", 18, unit="assessments")
    second = make_target("1.A.1.b", 5, unit="workshops")
    make_event({first: 7}, D(2012, 3, 10), beneficiaries=("BRB",))
    make_event({second: 2}, D(2012, 9, 10), beneficiaries=("BRB",))
    one = caching.series_parts(trends.TARGET, only="1.A.1.a")
    other = caching.series_parts(trends.TARGET, only="1.A.1.b")
    assert trends.target_series(code="1.A.1.a", years=(2012, 2012), parts=one).total == 7
    assert trends.target_series(code="1.A.1.b", years=(2012, 2012), parts=other).total == 2
    assert trends.target_series(code="1.A.1.b", years=(2012, 2012), parts=one).total == 0
