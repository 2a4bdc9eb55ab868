"""Support engagements: a state's request for assistance, milestones on delivery events that
count toward the plan's targets, and the semi-annual report's section."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cicte.assistance.services import request_submit
from cicte.core.errors import NotAllowed
from cicte.core.periods import parse_period
from cicte.directory.models import MemberState
from cicte.progress.selectors import target_progress
from cicte.reports.build import report_data
from cicte.reports.types import Table
from cicte.strategies import services
from cicte.strategies.services import StrategyError
from tests.factories import EventFactory, EventTargetFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "es"])
def test_engagement_milestones_count_and_reach_the_report(world, language):
    project = ProjectFactory(program__work_area__plan__year=2012)
    plan = project.plan
    jam = MemberState.objects.get(code="JAM")
    request = request_submit(
        actor=world.users["poc_jam"],
        member_state=jam,
        title="Support to draft our strategy",
        needs="A drafting workshop and a validation meeting",
        contact_name="A. Brown",
        contact_email="a.brown@example.org",
    )
    with pytest.raises(NotAllowed):
        services.engagement_create(actor=world.users["poc_jam"], request=request)
    engagement = services.engagement_create(actor=world.users["officer"], request=request)
    assert engagement.jurisdiction.code == "JAM"
    workshop = EventFactory(
        plan=plan,
        title="National strategy drafting workshop",
        status="held",
        start_date=dt.date(2012, 3, 5),
        end_date=dt.date(2012, 3, 7),
        host_state=jam,
    )
    contribution = EventTargetFactory(event=workshop, target__project=project)
    loose = EventFactory(plan=plan, title="Unlinked", status="held")
    with pytest.raises(StrategyError) as caught:
        services.milestone_add(
            actor=world.users["officer"], engagement=engagement, phase="validation", event=loose
        )
    assert caught.value.code == "event_not_counted" and caught.value.field == "event"
    with pytest.raises(StrategyError):
        services.milestone_add(
            actor=world.users["officer"], engagement=engagement, phase="nope", event=workshop
        )
    services.milestone_add(
        actor=world.users["officer"],
        engagement=engagement,
        phase="drafting_workshop",
        event=workshop,
    )
    assert list(request.events.all()) == [workshop]
    # The event counts toward its target: the plan's progress shows it.
    progress = target_progress(target=contribution.target, period=parse_period("2012-H1"))
    assert progress.delivered == 1
    report = report_data(plan=plan, period=parse_period("2012-H1"), language=language)
    section = report.section("strategy-support")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert table.rows[0][0] == "Jamaica"
    assert table.rows[0][3] == "National strategy drafting workshop"
    if language == "es":
        assert section.title == "Apoyo a las estrategias nacionales de ciberseguridad"
        assert table.rows[0][2] == "Taller de redacción"
    later = report_data(plan=plan, period=parse_period("2012-H2"), language=language)
    assert not any(isinstance(b, Table) for b in later.section("strategy-support").blocks)


def test_engagement_pages(world):
    jam = MemberState.objects.get(code="JAM")
    request = request_submit(
        actor=world.users["poc_jam"],
        member_state=jam,
        title="Strategy support",
        needs="Help",
        contact_name="A",
        contact_email="a@example.org",
    )
    client = Client()
    client.force_login(world.users["officer"])
    page = client.get(reverse("workspace:strategies-engagements"))
    assert b"Strategy support" in page.content
    response = client.post(reverse("workspace:strategies-engagements"), {"request": request.pk})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert b"Record a milestone" in detail.content
    poc = Client()
    poc.force_login(world.users["poc_jam"])
    assert poc.get(reverse("workspace:strategies-engagements")).status_code in (302, 403)
    profile = poc.get(reverse("strategies:profile", args=["JAM"]))
    assert b"Support from the Secretariat" in profile.content
    anonymous = Client().get(reverse("strategies:profile", args=["JAM"]))
    assert b"Support from the Secretariat" not in anonymous.content
