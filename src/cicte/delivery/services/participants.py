"""Writes of named participants (personal data): add and remove, guarded like every event
write (a participant changes the figures of its event's period)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import require
from cicte.core.types import Actor
from cicte.delivery import guards, permissions
from cicte.delivery.models import Event, Participant, Sex
from cicte.delivery.rules import Problem
from cicte.delivery.services.events import EventValidationError
from cicte.directory.models import MemberState


@transaction.atomic
def participant_add(
    *,
    actor: Actor,
    event: Event,
    name: str,
    sex: str = Sex.NOT_STATED,
    member_state: MemberState | None = None,
    email: str = "",
    institution: str = "",
) -> Participant:
    """Name a participant of ``event`` (Secretariat staff and the event's editors)."""
    require(permissions.can_edit_event(actor, event), _("You may not edit this event."))
    guards.check_saved(event)
    problems = []
    if not name.strip():
        problems.append(Problem("name", "required", "the participant's name is empty"))
    if sex not in Sex.values:
        problems.append(Problem("sex", "invalid_choice", f"unknown sex {sex!r}"))
    if problems:
        raise EventValidationError(problems)
    participant = Participant(
        event=event,
        name=name.strip()[:200],
        sex=sex,
        member_state=member_state,
        email=email.strip(),
        institution=institution.strip()[:200],
    )
    audit.save(participant, actor=actor)
    return participant


@transaction.atomic
def participant_delete(*, actor: Actor, participant: Participant) -> None:
    require(permissions.can_edit_event(actor, participant.event), _("You may not edit this event."))
    guards.check_saved(participant.event)
    audit.delete(participant, actor=actor)
