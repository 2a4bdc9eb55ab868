"""A roster world on the real 2012 Work Plan: the NICE work roles imported from the shipped
file, readers in every role, and experts whose sensitive fields carry unique markers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cicte.core.types import SYSTEM
from cicte.directory.models import MemberState
from cicte.plan.models import Target
from cicte.roster import services
from cicte.roster.models import Assignment, Expert, Mission, Skill
from tests.accounts.factories import user_with_role

PASSWORD = "a-long-test-password"

#: Every reader of the privacy matrix.
ROLES = [
    "anonymous",
    "no_role",
    "expert_self",
    "other_expert",
    "poc_nominating",
    "poc_other",
    "poc_requesting",
    "program_manager",
    "secretariat",
    "administrator",
    "roster_manager",
]

#: The markers written into expert A's sensitive fields (and the appraisal).
MARKERS = {
    "phone": "+1-876-555-ZQPHONE",
    "passport_number": "ZQPASS7781",
    "emergency_contact": "Zqemergency Contact",
    "insurance": "Zqinsurance Policy 44",
    "medical_notes": "Zqmedical allergy note",
    "appraisal": "Zqappraisal excellent work",
}


@dataclass
class World:
    users: dict[str, Any]
    experts: dict[str, Expert]
    target: Target
    skills: dict[str, Skill]
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        user = self.users.get(role)
        if user is not None:
            client.force_login(user)
        return client


def make_expert(
    *, name: str, username: str, state: str, nationality: str, vetted: bool = True, **profile: Any
) -> Expert:
    expert, token = services.expert_nominate(
        actor=SYSTEM,
        name=name,
        email=f"{username}@example.org",
        nationality=nationality,
        member_state=MemberState.objects.get(code=state),
    )
    user = user_with_role(None, username=username, password=None)
    expert = services.invitation_accept(actor=user, token=token, consent=True)
    services.profile_update(actor=user, expert=expert, **profile)
    if vetted:
        services.expert_vet(actor=SYSTEM, expert=expert, category="I")
    return expert


def build_world(plan: Any) -> World:
    call_command("import-skills", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    skills = {s.identifier: s for s in Skill.objects.all()}
    users = {
        "no_role": user_with_role(None, username="norole", password=None),
        "poc_nominating": user_with_role(
            "point_of_contact", username="poc_bra", member_state="BRA", password=None
        ),
        "poc_other": user_with_role(
            "point_of_contact", username="poc_can", member_state="CAN", password=None
        ),
        "poc_requesting": user_with_role(
            "point_of_contact", username="poc_jam", member_state="JAM", password=None
        ),
        "program_manager": user_with_role(
            "program_manager",
            username="pm",
            password=None,
            programs=[plan.work_areas.get(number=1).programs.first()],
        ),
        "secretariat": user_with_role("secretariat", username="officer", password=None),
        "administrator": user_with_role(
            "administrator", username="admin", is_superuser=True, password=None
        ),
        "roster_manager": user_with_role("secretariat", username="rmanager", password=None),
    }
    services.manager_grant(actor=SYSTEM, user=users["roster_manager"])
    experts = {
        "a": make_expert(
            name="Ana Zqexpert",
            username="expert_a",
            state="BRA",
            nationality="BRA",
            phone=MARKERS["phone"],
            passport_number=MARKERS["passport_number"],
            passport_expiry=dt.date(2031, 1, 1),
            emergency_contact=MARKERS["emergency_contact"],
            insurance=MARKERS["insurance"],
            medical_notes=MARKERS["medical_notes"],
            notice_hours=24,
        ),
        "b": make_expert(
            name="Bruno Zqsecond", username="expert_b", state="BRA", nationality="BRA"
        ),
        "c": make_expert(name="Chloe Zqthird", username="expert_c", state="CAN", nationality="CAN"),
        "j": make_expert(
            name="Jon Zqjamaican", username="expert_j", state="JAM", nationality="JAM"
        ),
    }
    users["expert_self"] = experts["a"].user
    users["other_expert"] = experts["b"].user
    for key, levels in {"a": 5, "b": 4, "c": 3, "j": 5}.items():
        expert = experts[key]
        services.skill_set(
            actor=expert.user, expert=expert, skill=skills["PD-WRL-003"], level=levels
        )
        services.language_set(actor=expert.user, expert=expert, language="en", level="C1")
    services.language_set(
        actor=experts["a"].user, expert=experts["a"], language="es", level="native"
    )
    target = Target.objects.get(project__code="3.A.9", project__program__work_area__plan=plan)
    return World(users=users, experts=experts, target=target, skills=skills)


def add_past_assignment(world: World) -> Assignment:
    """A closed assignment of expert A with an appraisal (for the privacy matrix)."""
    request = services.support_request(
        actor=world.users["poc_requesting"],
        member_state=MemberState.objects.get(code="JAM"),
        title="Past support",
        needs="Earlier help",
        contact_name="Contact",
        contact_email="c@example.org",
        urgency="routine",
    )
    mission = Mission.objects.create(
        request=request,
        title="Past mission",
        kind="advisory",
        start=dt.date(2012, 2, 1),
        end=dt.date(2012, 2, 3),
        target=world.target,
        status="closed",
        closed_at=timezone.now(),
    )
    return Assignment.objects.create(
        mission=mission,
        expert=world.experts["a"],
        role="Adviser",
        start=mission.start,
        end=mission.end,
        appraisal_rating=5,
        appraisal=MARKERS["appraisal"],
        experience="Advice on the national strategy",
        closed_at=timezone.now(),
    )
