"""Factories and helpers for the assistance, evaluations and funding tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory

from cicte.assistance.models import AssistanceRequest
from cicte.directory.models import MemberState
from tests.accounts.factories import add_memberships
from tests.factories import UserFactory


def state(code: str) -> MemberState:
    return MemberState.objects.get(code=code)


def user_with_role(
    role: str,
    *,
    username: str,
    member_state: str | None = None,
    programs: Iterable[Any] = (),
    organization: Any = None,
) -> Any:
    user = UserFactory(username=username, email=f"{username}@example.org")
    add_memberships(
        user,
        role,
        member_state=member_state,
        programs=list(programs),
        organization=organization,
    )
    return user


class AssistanceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssistanceRequest

    member_state = factory.LazyFunction(lambda: state("JAM"))
    title = factory.Sequence(lambda n: f"Request {n}")
    needs = "Training for port security officers"
    contact_name = "Ana Pérez"
    contact_email = "ana@example.gov"
