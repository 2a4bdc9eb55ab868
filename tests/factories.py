"""factory_boy factories shared by the test suite (one section per app)."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from cicte.delivery.models import CountryParticipation, Event, EventTarget
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Program, Project, Target, WorkArea, WorkPlan


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    group = "international"


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan

    symbol = factory.Sequence(lambda n: f"CICTE/doc.{n}/12")
    year = 2012
    title = factory.LazyAttribute(lambda p: f"{p.year} Work Plan")


class WorkAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkArea

    plan = factory.SubFactory(WorkPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Work area {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    work_area = factory.SubFactory(WorkAreaFactory)
    plan = factory.LazyAttribute(lambda p: p.work_area.plan)
    letter = "A"
    code = factory.LazyAttribute(lambda p: f"{p.work_area.number}.{p.letter or 0}")
    title = factory.Sequence(lambda n: f"Program {n}")
    position = factory.Sequence(lambda n: n)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    program = factory.SubFactory(ProgramFactory)
    plan = factory.LazyAttribute(lambda p: p.program.plan)
    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda p: f"{p.program.code}.{p.number or 0}")
    title = factory.Sequence(lambda n: f"Project {n}")
    position = factory.Sequence(lambda n: n)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    project = factory.SubFactory(ProjectFactory)
    plan = factory.LazyAttribute(lambda t: t.project.plan)
    code = factory.Sequence(lambda n: f"T.{n}")
    quantity = 4
    unit = "Workshops"
    text = factory.LazyAttribute(lambda t: f"{t.quantity} {t.unit}")
    funding = "identified"
    position = factory.Sequence(lambda n: n)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    plan = factory.SubFactory(WorkPlanFactory)
    kind = "workshop"
    title = factory.Sequence(lambda n: f"Workshop {n}")
    start_date = dt.date(2012, 3, 1)
    end_date = factory.LazyAttribute(lambda e: e.start_date + dt.timedelta(days=2))
    status = "held"
    modality = "national"
    host_state = factory.LazyFunction(lambda: MemberState.objects.get(code="JAM"))


class EventTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventTarget

    event = factory.SubFactory(EventFactory)
    target = factory.SubFactory(TargetFactory)
    units = 1


class CountryParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryParticipation

    event = factory.SubFactory(EventFactory)
    member_state = factory.LazyFunction(lambda: MemberState.objects.get(code="JAM"))
    women = 5
    men = 7
    not_stated = 0
