"""The ranked candidate list of a mission, with the reasons of each score.

Score out of 100: skills 60 (for each required skill, the self-rating out of 5, averaged;
no required skills: full marks), languages 30 (each required language: B2 or better counts
in full, A2/B1 half; averaged), readiness 10 (category I: 10, II: 7, III: 4). Experts who
cannot take the mission (not vetted, absent, on another mission, notice, a conflict such as
the requesting state's nationality when configured) are listed apart with the reason.
A constant number of queries, whatever the roster's size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cicte.roster.availability import unavailability
from cicte.roster.models import (
    LANGUAGE_RANK,
    Assignment,
    Expert,
    ExpertStatus,
    Mission,
    VettingCategory,
)

SKILLS_POINTS = 60
LANGUAGE_POINTS = 30
READINESS_POINTS = {VettingCategory.I: 10, VettingCategory.II: 7, VettingCategory.III: 4}


@dataclass
class Part:
    label: str
    points: int
    out_of: int
    detail: str


@dataclass
class Candidate:
    expert: Expert
    score: int
    parts: list[Part] = field(default_factory=list)
    excluded: str = ""
    alerted: bool = False


def _skills_part(expert: Expert, required: list[Any]) -> Part:
    if not required:
        return Part(_("Skills"), SKILLS_POINTS, SKILLS_POINTS, _("no skill required"))
    levels = {s.skill_id: s.level for s in expert.skills.all()}
    total = sum(levels.get(skill.pk, 0) for skill in required) / (5 * len(required))
    detail = ", ".join(f"{skill.identifier} {levels.get(skill.pk, 0)}/5" for skill in required)
    return Part(_("Skills"), round(SKILLS_POINTS * total), SKILLS_POINTS, detail)


def _languages_part(expert: Expert, codes: list[str]) -> Part:
    if not codes:
        return Part(_("Languages"), LANGUAGE_POINTS, LANGUAGE_POINTS, _("no language required"))
    spoken = {
        lang.language.split("-")[0]: LANGUAGE_RANK.get(lang.level, 0)
        for lang in expert.languages.all()
    }
    shares = []
    details = []
    for code in codes:
        rank = spoken.get(code.split("-")[0], 0)
        share = 1.0 if rank >= LANGUAGE_RANK["B2"] else 0.5 if rank else 0.0
        shares.append(share)
        level = next(
            (lang.level for lang in expert.languages.all() if lang.language.startswith(code)), "—"
        )
        details.append(f"{code} {level}")
    points = round(LANGUAGE_POINTS * sum(shares) / len(shares))
    return Part(_("Languages"), points, LANGUAGE_POINTS, ", ".join(details))


def score_parts(expert: Expert, mission: Mission, required: list[Any]) -> list[Part]:
    readiness = READINESS_POINTS.get(expert.vetting_category, 0)  # type: ignore[call-overload]
    return [
        _skills_part(expert, required),
        _languages_part(expert, mission.languages),
        Part(
            _("Readiness"),
            readiness,
            10,
            _("vetting category %(c)s") % {"c": expert.vetting_category or "—"},
        ),
    ]


def score_of(expert: Expert, mission: Mission, *, now: dt.datetime) -> int:
    parts = score_parts(expert, mission, list(mission.required_skills.all()))
    return sum(p.points for p in parts)


def candidates(mission: Mission, *, now: dt.datetime) -> list[Candidate]:
    """Every expert on the roster, ranked for ``mission`` (the excluded ones last)."""
    required = list(mission.required_skills.all())
    alerted = set(mission.responses.values_list("expert_id", flat=True))
    experts = (
        Expert.objects.filter(status=ExpertStatus.ACTIVE)
        .select_related("nominating_state", "nominating_organisation")
        .prefetch_related(
            "skills",
            "languages",
            "absences",
            Prefetch("assignments", queryset=Assignment.objects.select_related("mission")),
        )
    )
    ranked: list[Candidate] = []
    for expert in experts:
        parts = score_parts(expert, mission, required)
        ranked.append(
            Candidate(
                expert=expert,
                score=sum(p.points for p in parts),
                parts=parts,
                excluded=unavailability(expert, mission, now=now),
                alerted=expert.pk in alerted,
            )
        )
    ranked.sort(key=lambda c: (bool(c.excluded), -c.score, c.expert.name))
    return ranked
