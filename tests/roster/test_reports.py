"""Item 6 (reports): missions by state and type, time from request to deployment against the
72-hour goal, roster coverage by skill and language on the staff reports page; the
semi-annual report has the same counts without the states."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.core.periods import parse_period
from cicte.directory.models import MemberState
from cicte.reports.build import report_data
from cicte.roster import services
from cicte.roster.models import Mission
from tests.roster.world import build_world

pytestmark = pytest.mark.django_db


def _mission(world, *, poc: str, state: str, kind: str, hours: float | None) -> Mission:
    request = services.support_request(
        actor=world.users[poc],
        member_state=MemberState.objects.get(code=state),
        title=f"Support {state} {kind}",
        needs="Help",
        contact_name="C",
        contact_email="c@example.org",
        urgency="critical",
    )
    submitted = request.submitted_at
    return Mission.objects.create(
        request=request,
        title=f"Mission {state} {kind}",
        kind=kind,
        start=dt.date(2012, 3, 5),
        end=dt.date(2012, 3, 9),
        target=world.target,
        status="deployed" if hours is not None else "open",
        deployed_at=None if hours is None else submitted + dt.timedelta(hours=hours),
    )


def test_reports_page_and_semi_annual_counts(plan_2012):
    world = build_world(plan_2012)
    _mission(world, poc="poc_requesting", state="JAM", kind="incident_response", hours=30)
    _mission(world, poc="poc_other", state="CAN", kind="advisory", hours=100)
    _mission(world, poc="poc_requesting", state="JAM", kind="advisory", hours=None)

    page = world.client("roster_manager").get("/workspace/roster/reports/")
    assert page.status_code == 200
    missions = page.context["missions"]
    rows = [(r.state, r.kind, r.count) for r in missions.by_state_and_type]
    assert rows == [
        ("CAN", "Advice (strategy, policy, legislation)", 1),
        ("JAM", "Advice (strategy, policy, legislation)", 1),
        ("JAM", "Incident response", 1),
    ]
    html = page.content.decode()
    assert "2 missions deployed, 1 within 72 hours." in html
    assert "Median: 65.0 h." in html
    # Coverage: the four experts rate PD-WRL-003 at 3 or more; all speak English, Ana Spanish.
    assert "PD-WRL-003 Incident Response: 4" in html
    assert "<li>en: 4</li>" in html and "<li>es: 1</li>" in html
    # Staff only: a point of contact, an expert and the public do not get the page.
    for role in ("poc_requesting", "expert_self", "anonymous"):
        response = world.client(role).get("/workspace/roster/reports/")
        assert response.status_code in (302, 403, 404), role
        assert "missions deployed" not in response.content.decode()

    data = report_data(plan=plan_2012, period=parse_period("2012-H1"), language="en")
    section = next(s for s in data.sections if s.key == "roster")
    figures = {f.label: f.value for f in section.blocks[1].items}
    assert figures["Missions opened"] == 3
    assert figures["Missions deployed"] == 2
    assert figures["Deployed within 72 hours"] == 1
    assert figures["Median hours from request to deployment"] == 65.0
    by_type = section.blocks[2]
    assert by_type.rows == [["Advice (strategy, policy, legislation)", 2], ["Incident response", 1]]
    text = repr(section.blocks)
    assert "JAM" not in text and "CAN" not in text and "Jamaica" not in text
