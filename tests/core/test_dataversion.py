"""The plan's data version moves on every kind of change to what its pages and reports show."""

from __future__ import annotations

import datetime as dt

import pytest

from cicte.core import audit, dataversion
from cicte.core.types import SYSTEM
from cicte.delivery.models import Event
from cicte.delivery.parsing.spreadsheet import REQUIRED_COLUMNS, read_events
from cicte.delivery.services import (
    event_delete,
    event_record,
    event_set_status,
    event_update,
    events_import,
)
from cicte.delivery.services.participants import participant_add, participant_delete
from cicte.directory.models import MemberState, Organization
from cicte.funding.models import Donor
from cicte.funding.services import contribution_record
from cicte.plan.models import Program, Target
from cicte.reports.services import narrative_save
from tests.factories import EventFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db


def _event(plan) -> Event:
    target = Target.objects.filter(plan=plan).order_by("position").first()
    return event_record(
        actor=SYSTEM,
        plan=plan,
        kind="workshop",
        title="Version workshop",
        start_date=dt.date(2012, 3, 1),
        end_date=dt.date(2012, 3, 2),
        targets=[(target, 1)],
        status="held",
    )


def _moves(plan, change) -> None:
    before, before_all = dataversion.current(plan.pk), dataversion.current()
    change()
    assert dataversion.current(plan.pk) > before
    assert dataversion.current() > before_all


def test_event_writes_bump_the_plan(plan_2012):
    other = WorkPlanFactory(year=2013)
    _moves(plan_2012, lambda: _event(plan_2012))
    event = Event.objects.get(title="Version workshop")
    untouched = dataversion.current(other.pk)
    _moves(plan_2012, lambda: event_update(actor=SYSTEM, event=event, title="Renamed"))
    _moves(plan_2012, lambda: event_set_status(actor=SYSTEM, event=event, status="cancelled"))
    jamaica = MemberState.objects.get(code="JAM")
    _moves(plan_2012, lambda: event_update(actor=SYSTEM, event=event, beneficiaries=[jamaica]))
    _moves(plan_2012, lambda: event.beneficiaries.remove(jamaica))  # a bare m2m change too
    _moves(plan_2012, lambda: event_delete(actor=SYSTEM, event=event))
    assert dataversion.current(other.pk) == untouched  # another plan's cache stays warm


def test_participant_add_and_delete_bump_the_plan(plan_2012):
    event = _event(plan_2012)
    holder: list = []
    _moves(
        plan_2012,
        lambda: holder.append(participant_add(actor=SYSTEM, event=event, name="A. Person")),
    )
    _moves(plan_2012, lambda: participant_delete(actor=SYSTEM, participant=holder[0]))


def test_target_contribution_and_narrative_bump_the_plan(plan_2012):
    target = Target.objects.filter(plan=plan_2012).first()
    target.quantity = (target.quantity or 0) + 1

    _moves(plan_2012, lambda: audit.save(target, actor=SYSTEM))
    donor = Donor.objects.create(kind="permanent_observer", observer_name="Spain")
    _moves(
        plan_2012,
        lambda: contribution_record(
            actor=SYSTEM,
            donor=donor,
            plan=plan_2012,
            amount="1000",
            currency="USD",
            date=dt.date(2012, 2, 1),
        ),
    )
    program = Program.objects.filter(plan=plan_2012).first()
    _moves(
        plan_2012,
        lambda: narrative_save(actor=SYSTEM, program=program, period="2012-H1", text="Done."),
    )


def test_import_bumps_the_plan(plan_2012):
    code = Target.objects.filter(plan=plan_2012).order_by("position").first().code
    header = ",".join(REQUIRED_COLUMNS)
    row = f"{code},Imported,workshop,2012-03-05,2012-03-07,Kingston,JAM,JAM,30,12,18,,held,1"
    parsed = read_events(f"{header}\n{row}\n".encode())
    assert not parsed.errors

    def run() -> None:
        assert events_import(actor=SYSTEM, plan=plan_2012, rows=parsed.rows).written

    _moves(plan_2012, run)


def test_reference_data_bumps_every_plan(plan_2012):
    EventFactory(plan=plan_2012)  # the plan has a counter
    organization = Organization.objects.order_by("pk").first()
    organization.name += " (renamed)"
    _moves(plan_2012, lambda: audit.save(organization, actor=SYSTEM))
