"""The request workflow in one table: which status may follow which, and who may move it.

    submitted → under_review → accepted → scheduled → delivered → closed
                             ↘ declined → closed

Requirements checked by the service when entering a status:
accepted needs a linked project or target; declined needs a reason; scheduled needs linked
events; delivered needs every linked event held.
"""

from __future__ import annotations

import enum

from cicte.assistance.models import RequestStatus


class Role(enum.StrEnum):
    SECRETARIAT = "secretariat"
    REQUESTER = "requester"  # a point of contact of the requesting member state


S = RequestStatus
SECRETARIAT = frozenset({Role.SECRETARIAT})

TRANSITIONS: dict[str, dict[str, frozenset[Role]]] = {
    S.SUBMITTED: {S.UNDER_REVIEW: SECRETARIAT},
    S.UNDER_REVIEW: {S.ACCEPTED: SECRETARIAT, S.DECLINED: SECRETARIAT},
    S.ACCEPTED: {S.SCHEDULED: SECRETARIAT},
    S.SCHEDULED: {S.DELIVERED: SECRETARIAT},
    S.DELIVERED: {S.CLOSED: frozenset({Role.SECRETARIAT, Role.REQUESTER})},
    S.DECLINED: {S.CLOSED: SECRETARIAT},
    S.CLOSED: {},
}

OPEN_STATUSES = frozenset(s for s, nexts in TRANSITIONS.items() if nexts)


def next_statuses(status: str) -> list[str]:
    return list(TRANSITIONS.get(status, {}))


def allowed_roles(from_status: str, to_status: str) -> frozenset[Role] | None:
    """The roles that may make this step, or None if the step is not in the table."""
    return TRANSITIONS.get(from_status, {}).get(to_status)
