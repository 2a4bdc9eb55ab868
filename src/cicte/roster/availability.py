"""Whether an expert can take a mission (pure rules on loaded objects; the ranking and the
alert service ask the same question)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from cicte.roster.models import DEPLOYABLE, ExpertStatus, MissionStatus, VettingCategory

BUSY = frozenset({MissionStatus.ACCEPTED, MissionStatus.DEPLOYED})


def _overlaps(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    return a_start <= b_end and b_start <= a_end


def conflict(expert: Any, mission: Any) -> str:
    """A conflict of interest ("" when none): same nationality as the requesting state,
    when the mission is configured to exclude it."""
    state = mission.request.member_state
    if mission.exclude_same_nationality and expert.nationality == state.code:
        return _("same nationality as the requesting state")
    return ""


def unavailability(expert: Any, mission: Any, *, now: dt.datetime) -> str:
    """Why ``expert`` cannot take ``mission`` ("" when they can)."""
    if expert.status != ExpertStatus.ACTIVE or expert.consent_at is None:
        return _("not on the roster")
    if not expert.is_vetted:
        return _("not vetted")
    if expert.vetting_category not in DEPLOYABLE:
        return _("vetting category %(c)s is not deployable") % {"c": expert.vetting_category}
    if expert.vetting_category == VettingCategory.III and not mission.remote:
        return _("category III: remote support only")
    found = conflict(expert, mission)
    if found:
        return found
    for absence in expert.absences.all():
        if _overlaps(absence.start, absence.end, mission.start, mission.end):
            return _("absent %(start)s to %(end)s") % {
                "start": absence.start.isoformat(),
                "end": absence.end.isoformat(),
            }
    for item in expert.assignments.all():
        if (
            item.mission_id != mission.pk
            and item.closed_at is None
            and item.mission.status in BUSY
            and _overlaps(item.start, item.end, mission.start, mission.end)
        ):
            return _("on another mission")
    start = dt.datetime.combine(mission.start, dt.time.min, tzinfo=dt.UTC)
    if (start - now).total_seconds() / 3600 < expert.notice_hours and mission.start > now.date():
        return _("needs %(h)s hours' notice") % {"h": expert.notice_hours}
    return ""
