"""Records for the report tests: a small plan and events whose figures the tests count by
hand (never through the code under test)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory

from cicte.delivery.models import CountryParticipation, Event, EventTarget, Participant
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import (
    Funding,
    MandateClause,
    MandateSource,
    PlanMandate,
    Program,
    Project,
    Target,
    WorkPlan,
)
from cicte.reports.models import Narrative
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    ProgramFactory,
    ProjectFactory,
    TargetFactory,
    WorkAreaFactory,
    WorkPlanFactory,
)


class NarrativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Narrative

    program = factory.SubFactory(ProgramFactory)
    period = "2012-H1"
    text = "The program trained border officers."


@dataclass
class Scenario:
    plan: WorkPlan
    other_plan: WorkPlan
    programs: dict[str, Program]
    projects: dict[str, Project]
    targets: dict[str, Target]
    events: list[Event]
    partners: list[Organization]
    contributions: list[EventTarget] = field(default_factory=list)
    participation: list[CountryParticipation] = field(default_factory=list)


def state(code: str) -> MemberState:
    return MemberState.objects.get(code=code)


def make_event(
    plan: WorkPlan, *, beneficiaries: list[str], partners: list[Organization], **kwargs: object
) -> Event:
    event = EventFactory(plan=plan, **kwargs)
    event.beneficiaries.set([state(c) for c in beneficiaries])
    event.partners.set(partners)
    return event


def build_scenario(extra_events: int = 0) -> Scenario:
    """Plan "CICTE/doc.5/12 rev. 1" (2012) with two work areas, five targets and events in
    and out of 2012-H1. ``extra_events`` adds more held H1 workshops (query-count tests)."""
    # The other plan is created first, so ``plan_get("2012")`` finds the main one (newest).
    other_plan = WorkPlanFactory(symbol="CICTE/doc.9/11", year=2012)
    plan = WorkPlanFactory(
        symbol="CICTE/doc.5/12 rev. 1",
        year=2012,
        series="OEA/Ser.L/X.2.12",
        title="Work Plan of the Inter-American Committee against Terrorism",
    )
    area1 = WorkAreaFactory(plan=plan, number=1, title="Border Controls")
    area2 = WorkAreaFactory(plan=plan, number=2, title="Critical Infrastructure Protection")
    p1a = ProgramFactory(
        plan=plan, work_area=area1, letter="A", code="1.A", title="Maritime Security"
    )
    p2b = ProgramFactory(plan=plan, work_area=area2, letter="B", code="2.B", title="Cyber Security")
    pr1 = ProjectFactory(
        plan=plan, program=p1a, number=1, code="1.A.1", title="Port security assessments"
    )
    pr2 = ProjectFactory(
        plan=plan, program=p1a, number=2, code="1.A.2", title="Maritime security training"
    )
    pr3 = ProjectFactory(
        plan=plan, program=p2b, number=1, code="2.B.1", title="National cyber security strategies"
    )
    targets = {
        "T1": TargetFactory(
            plan=plan,
            project=pr1,
            code="1.A.1.a",
            quantity=4,
            unit="Port assessments",
            text="4 port security assessments",
        ),
        "T2": TargetFactory(
            plan=plan,
            project=pr2,
            code="1.A.2.a",
            quantity=2,
            unit="Training courses",
            text="2 training courses",
        ),
        "T3": TargetFactory(
            plan=plan,
            project=pr2,
            code="1.A.2.b",
            quantity=None,
            unit="",
            text="Regional exercise",
            funding=Funding.TO_BE_IDENTIFIED,
        ),
        "T4": TargetFactory(
            plan=plan,
            project=pr3,
            code="2.B.1.a",
            quantity=None,
            unit="",
            text="Promote cooperation among CSIRTs",
        ),
        "T5": TargetFactory(
            plan=plan,
            project=pr3,
            code="2.B.1.b",
            quantity=10,
            unit="Missions",
            text="10 technical assistance missions",
        ),
    }
    other_target = TargetFactory(
        plan=other_plan,
        project=ProjectFactory(
            plan=other_plan,
            program=ProgramFactory(
                plan=other_plan, work_area=WorkAreaFactory(plan=other_plan, number=1)
            ),
        ),
    )
    source = MandateSource.objects.create(
        kind="cicte_declaration",
        symbol="CICTE/DEC.1/11",
        title="Declaration on Strengthening Hemispheric Cooperation",
    )
    PlanMandate.objects.create(plan=plan, source=source, order=1)
    clause = MandateClause.objects.create(
        source=source, paragraph="5", text="To reaffirm...", order=1
    )
    clause.programs.add(p1a)
    clause.projects.add(pr3)
    unlinked = MandateClause.objects.create(
        source=source, paragraph="7", text="To urge...", order=2
    )
    del unlinked
    org_a = OrganizationFactory(name="International Maritime Organization", acronym="IMO")
    org_b = OrganizationFactory(
        name="Organization for Security and Co-operation in Europe", acronym="OSCE"
    )
    events = [
        make_event(
            plan,
            kind="workshop",
            title="Port security workshop",
            city="Kingston",
            start_date=dt.date(2012, 3, 1),
            end_date=dt.date(2012, 3, 3),
            host_state=state("JAM"),
            beneficiaries=["JAM", "TTO"],
            partners=[org_a],
            participants_total=20,
            participants_women=8,
            participants_men=10,
        ),
        make_event(
            plan,
            kind="evaluation",
            title="Evaluation of cyber missions",
            city="Mexico City",
            start_date=dt.date(2012, 5, 10),
            end_date=dt.date(2012, 5, 10),
            host_state=state("MEX"),
            beneficiaries=["MEX"],
            partners=[org_a, org_b],
            participants_total=5,
            participants_women=2,
            participants_men=3,
        ),
        make_event(
            plan,
            kind="scholarship",
            title="ICAO aviation security scholarship",
            city="",
            start_date=dt.date(2012, 6, 25),
            end_date=dt.date(2012, 6, 30),
            host_state=None,
            beneficiaries=["ARG"],
            partners=[],
            participants_total=3,
            participants_women=1,
            participants_men=1,
        ),
        # Held in the second half: not in 2012-H1, counted in 2012-H2 and the year.
        make_event(
            plan,
            kind="workshop",
            title="July workshop",
            city="Brasília",
            start_date=dt.date(2012, 6, 28),
            end_date=dt.date(2012, 7, 2),
            host_state=state("BRA"),
            beneficiaries=["BRA"],
            partners=[org_b],
            participants_total=30,
            participants_women=15,
            participants_men=15,
        ),
        # Cancelled in the period: never counted.
        make_event(
            plan,
            kind="workshop",
            title="Cancelled workshop",
            city="Bogotá",
            start_date=dt.date(2012, 4, 1),
            end_date=dt.date(2012, 4, 2),
            host_state=state("COL"),
            beneficiaries=["COL"],
            partners=[org_b],
            status="cancelled",
            participants_total=0,
        ),
        # Another plan's event in the period: never counted.
        make_event(
            other_plan,
            kind="workshop",
            title="Other plan workshop",
            city="Lima",
            start_date=dt.date(2012, 2, 1),
            end_date=dt.date(2012, 2, 2),
            host_state=state("PER"),
            beneficiaries=["PER"],
            partners=[org_b],
            participants_total=9,
            participants_women=4,
            participants_men=5,
        ),
    ]
    for i in range(extra_events):
        events.append(
            make_event(
                plan,
                kind="workshop",
                title=f"Extra workshop {i}",
                city="Panama",
                start_date=dt.date(2012, 2, 1 + i % 27),
                end_date=dt.date(2012, 2, 1 + i % 27),
                host_state=state("PAN"),
                beneficiaries=["PAN", "CRI"],
                partners=[org_b],
                participants_total=4,
                participants_women=2,
                participants_men=2,
            )
        )
    links = [
        (events[0], targets["T1"], 2),
        (events[1], targets["T5"], 1),
        (events[2], targets["T2"], 1),
        (events[3], targets["T1"], 1),
        (events[4], targets["T1"], 1),
        (events[5], other_target, 1),
    ]
    links += [(e, targets["T5"], 1) for e in events[6:]]
    contributions = [EventTarget.objects.create(event=e, target=t, units=u) for e, t, u in links]
    participation = [
        CountryParticipation.objects.create(
            event=events[0], member_state=state("JAM"), women=5, men=6, not_stated=1
        ),
        CountryParticipation.objects.create(
            event=events[0], member_state=state("TTO"), women=3, men=4, not_stated=1
        ),
        CountryParticipation.objects.create(
            event=events[3], member_state=state("BRA"), women=15, men=15, not_stated=0
        ),
    ]
    # Personal data that must never reach a report.
    Participant.objects.create(
        event=events[0],
        member_state=state("JAM"),
        name="Jane Secretperson",
        sex="f",
        email="jane.secret@example.org",
    )
    NarrativeFactory(
        program=p1a,
        period="2012-H1",
        text="Four port facilities asked for assessments; two were completed.",
    )
    return Scenario(
        plan=plan,
        other_plan=other_plan,
        programs={"1.A": p1a, "2.B": p2b},
        projects={"1.A.1": pr1, "1.A.2": pr2, "2.B.1": pr3},
        targets=targets,
        events=events,
        partners=[org_a, org_b],
        contributions=contributions,
        participation=participation,
    )
