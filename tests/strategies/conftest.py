"""A small world of the strategies database: points of contact of Jamaica and Colombia,
Secretariat staff (one assigned to Jamaica), a program manager, a user without a role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cicte.access.models import Role
from cicte.core.types import SYSTEM
from cicte.strategies import services
from cicte.strategies.models import Jurisdiction
from tests.accounts.factories import user_with_role
from tests.strategies.documents import make_pdf

STRATEGY_TEXT = "Estrategia Nacional de Ciberseguridad de Jamaica 2015"


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)

    def jurisdiction(self, code: str) -> Jurisdiction:
        return Jurisdiction.objects.get(code=code)


def pdf_upload(text: str = STRATEGY_TEXT, name: str = "ncs.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(text), content_type="application/pdf")


@pytest.fixture
def world(db) -> World:
    users = {
        "poc_jam": user_with_role(Role.POINT_OF_CONTACT, username="poc-jam", member_state="JAM"),
        "poc_col": user_with_role(Role.POINT_OF_CONTACT, username="poc-col", member_state="COL"),
        "officer": user_with_role(Role.SECRETARIAT, username="officer"),
        "assigned": user_with_role(Role.SECRETARIAT, username="assigned"),
        "manager": user_with_role(Role.PROGRAM_MANAGER, username="manager", programs=[]),
        "no_role": user_with_role(None, username="norole"),
    }
    world = World(users=users)
    services.jurisdiction_assign(
        actor=SYSTEM, jurisdiction=world.jurisdiction("JAM"), users=[users["assigned"]]
    )
    return world
