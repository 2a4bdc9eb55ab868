"""A small world for permission tests: two programs, events in two countries, participants
whose names and e-mails carry a unique marker, and one user per role (with API tokens)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cicte.access.models import Role
from cicte.accounts.services import token_create
from cicte.delivery.models import Attachment, CountryParticipation, Participant
from cicte.directory.models import MemberState
from cicte.reports.models import PublishedReport
from tests.accounts.factories import user_with_role
from tests.factories import (
    EventFactory,
    EventTargetFactory,
    OrganizationFactory,
    ProgramFactory,
    ProjectFactory,
    TargetFactory,
    WorkAreaFactory,
    WorkPlanFactory,
)

#: Appears in every participant's name and e-mail: it must never show where it must not.
MARKER = "Zqxpersonal"

ROLES = ["anonymous", "no_role", "point_of_contact", "program_manager", "secretariat", "admin"]


@dataclass
class World:
    plan: Any
    draft_plan: Any
    program: Any
    other_program: Any
    target: Any
    other_target: Any
    jam_event: Any  # hosted by Jamaica, counts toward ``target`` (the manager's program)
    brb_event: Any  # hosted by Barbados, counts toward ``other_target``
    donor: Any
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    devices: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str, *, via: str = "session") -> Client:
        """A test client acting as ``role`` through its session or its API token."""
        if role == "anonymous":
            return Client()
        if via == "token":
            return Client(HTTP_AUTHORIZATION=f"Bearer {self.tokens[role]}")
        client = Client()
        client.force_login(self.users[role])
        device = self.devices.get(role)
        if device is not None:
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client


def build_world() -> World:
    jam = MemberState.objects.get(code="JAM")
    brb = MemberState.objects.get(code="BRB")
    plan = WorkPlanFactory(year=2012, status="approved", symbol="CICTE/doc.5/12 rev. 1")
    draft = WorkPlanFactory(year=2013, status="draft", symbol="CICTE/doc.9/13 draft")
    area = WorkAreaFactory(plan=plan, number=1)
    program = ProgramFactory(plan=plan, work_area=area, letter="A", code="1.A")
    other_program = ProgramFactory(plan=plan, work_area=area, letter="B", code="1.B")
    target = TargetFactory(
        plan=plan, project=ProjectFactory(plan=plan, program=program, code="1.A.1"), code="1.A.1.a"
    )
    other_target = TargetFactory(
        plan=plan,
        project=ProjectFactory(plan=plan, program=other_program, code="1.B.1"),
        code="1.B.1.a",
    )
    donor = OrganizationFactory(name="Donor Agency", acronym="DONOR")
    counts = {"participants_total": 10, "participants_women": 5, "participants_men": 5}
    jam_event = EventFactory(
        plan=plan, host_state=jam, title="Port security workshop", funding_source=donor, **counts
    )
    jam_event.beneficiaries.add(jam, brb)
    EventTargetFactory(event=jam_event, target=target)
    brb_event = EventFactory(plan=plan, host_state=brb, title="Cyber security course", **counts)
    EventTargetFactory(event=brb_event, target=other_target)
    for event in (jam_event, brb_event):
        CountryParticipation.objects.create(event=event, member_state=jam, women=2, men=3)
    Participant.objects.create(
        event=jam_event, member_state=jam, name=f"Ann {MARKER}", email="ann.zqxpersonal@example.org"
    )
    Participant.objects.create(
        event=jam_event, member_state=brb, name=f"Bob {MARKER}", email="bob.zqxpersonal@example.org"
    )
    Participant.objects.create(
        event=brb_event, member_state=brb, name=f"Cy {MARKER}", email="cy.zqxpersonal@example.org"
    )
    world = World(
        plan=plan,
        draft_plan=draft,
        program=program,
        other_program=other_program,
        target=target,
        other_target=other_target,
        jam_event=jam_event,
        brb_event=brb_event,
        donor=donor,
    )
    world.users = {
        "no_role": user_with_role(None, username="norole"),
        "point_of_contact": user_with_role(
            Role.POINT_OF_CONTACT, username="poc-jam", member_state="JAM"
        ),
        "program_manager": user_with_role(
            Role.PROGRAM_MANAGER, username="manager", programs=[program]
        ),
        "secretariat": user_with_role(Role.SECRETARIAT, username="officer"),
        "admin": user_with_role(Role.ADMINISTRATOR, username="chief"),
        "donor": user_with_role(Role.DONOR, username="donor", organization=donor),
    }
    world.devices["admin"] = TOTPDevice.objects.create(
        user=world.users["admin"], name="phone", confirmed=True
    )
    for role, user in world.users.items():
        world.tokens[role] = token_create(
            actor=user, name="tests", expires_at=timezone.now() + dt.timedelta(days=1)
        ).secret
    attachment = Attachment(
        event=jam_event,
        kind="participant_list",
        original_name="participants.txt",
        content_type="text/plain",
        size=40,
        uploaded_by=world.users["secretariat"],
    )
    attachment.file.save("participants.txt", ContentFile(f"Ann {MARKER}\n".encode()), save=False)
    attachment.save()
    report = PublishedReport.objects.create(
        plan=plan,
        period="2012-H1",
        language="en",
        format="html",
        title="Report on the implementation of the 2012 Work Plan",
        document_symbol="CICTE/INF.1/12",
        html="<p>Aggregate figures only.</p>",
        published_at=timezone.now(),
        published_by=world.users["secretariat"],
    )
    world.extra.update(attachment=attachment, report=report)
    return world
