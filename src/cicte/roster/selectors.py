"""Reads of the roster: the public aggregates, the staff reports, the exports, an expert's
own data, the team a requesting state sees. Personal fields go through
:mod:`cicte.roster.privacy`."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from cicte.core.periods import Period
from cicte.roster import privacy
from cicte.roster.models import (
    Expert,
    ExpertLanguage,
    ExpertSkill,
    ExpertStatus,
    Mission,
    MissionReport,
    MissionStatus,
    Response,
)

GOAL_HOURS = 72


@dataclass
class Coverage:
    label: str
    experts: int


@dataclass
class RosterStats:
    """Aggregates only: what the public and the anonymous API see."""

    experts: int
    vetted: int
    nationalities: int
    by_skill: list[Coverage]
    by_language: list[Coverage]
    missions_closed: int


def _deployable() -> Any:
    return Expert.objects.filter(status=ExpertStatus.ACTIVE)


def roster_stats() -> RosterStats:
    active = _deployable()
    skills = (
        ExpertSkill.objects.filter(expert__in=active.values("pk"), level__gte=3)
        .values("skill__identifier", "skill__title")
        .annotate(n=Count("expert", distinct=True))
        .order_by("skill__identifier")
    )
    languages = (
        ExpertLanguage.objects.filter(expert__in=active.values("pk"))
        .values("language")
        .annotate(n=Count("expert", distinct=True))
        .order_by("language")
    )
    return RosterStats(
        experts=active.count(),
        vetted=active.exclude(vetting_category="").count(),
        nationalities=active.values("nationality").distinct().count(),
        by_skill=[
            Coverage(f"{r['skill__identifier']} {r['skill__title']}", r["n"]) for r in skills
        ],
        by_language=[Coverage(r["language"], r["n"]) for r in languages],
        missions_closed=Mission.objects.filter(status=MissionStatus.CLOSED).count(),
    )


@dataclass
class MissionRow:
    state: str
    kind: str
    count: int


@dataclass
class MissionsReport:
    by_state_and_type: list[MissionRow]
    by_type: list[MissionRow]
    opened: int
    deployed: int
    closed: int
    hours_to_deploy: list[float]
    median_hours: float | None
    within_goal: int
    goal_hours: int = GOAL_HOURS


def missions_report(period: Period | None = None) -> MissionsReport:
    """Missions by state and type, time from request to deployment against 72 hours (staff;
    the semi-annual report shows the counts without the states)."""
    missions = Mission.objects.select_related("request__member_state")
    if period is not None:
        # A mission belongs to the period in which it starts (like a delivered event).
        missions = missions.filter(start__gte=period.start, start__lte=period.end)
    rows = list(missions)
    pairs = Counter((m.request.member_state.code, m.get_kind_display()) for m in rows)
    kinds = Counter(m.get_kind_display() for m in rows)
    hours = [
        round((m.deployed_at - m.request.submitted_at).total_seconds() / 3600, 1)
        for m in rows
        if m.deployed_at is not None
    ]
    return MissionsReport(
        by_state_and_type=[MissionRow(s, k, n) for (s, k), n in sorted(pairs.items())],
        by_type=[MissionRow("", k, n) for k, n in sorted(kinds.items())],
        opened=len(rows),
        deployed=len(hours),
        closed=sum(1 for m in rows if m.status == MissionStatus.CLOSED),
        hours_to_deploy=hours,
        median_hours=statistics.median(hours) if hours else None,
        within_goal=sum(1 for h in hours if h <= GOAL_HOURS),
    )


@dataclass
class TeamMember:
    name: str
    role: str


def proposed_team(actor: Any, mission: Mission) -> list[TeamMember]:
    """What the requesting state sees of the proposed team: names and roles only."""
    rows = mission.responses.filter(selected_at__isnull=False).select_related("expert")
    return [TeamMember(r.expert.name, r.role) for r in rows.order_by("expert__name")]


def reports_for(actor: Any, mission: Mission) -> Any:
    return MissionReport.objects.visible_to(actor).filter(mission=mission)


def pending_releases(actor: Any) -> Any:
    """Responses waiting for this point of contact's release decision (their nominees)."""
    from cicte.access import permissions as roles

    return (
        Response.objects.visible_to(actor)
        .filter(
            answer="available",
            release="pending",
            expert__nominating_state_id__in=roles.user_member_state_ids(actor),
        )
        .select_related("expert", "mission")
    )


def search_experts(actor: Any, query: str) -> Any:
    """Search the experts ``actor`` may see by name, skill or language — never by a
    sensitive field (so a search cannot reveal one)."""
    query = (query or "").strip()[:100]
    experts = Expert.objects.visible_to(actor).exclude(status=ExpertStatus.ANONYMISED)
    if query:
        experts = experts.filter(
            Q(name__icontains=query)
            | Q(skills__skill__identifier__iexact=query)
            | Q(skills__skill__title__icontains=query)
            | Q(languages__language__iexact=query)
        ).distinct()
    return experts


EXPORT_HEADER = (
    "id",
    "name",
    "e-mail",
    "nationality",
    "nominated by",
    "status",
    "vetting category",
    "vetted on",
    "notice (hours)",
    "skills",
    "languages",
    *privacy.SENSITIVE_FIELDS,
    "appraisals",
)


def export_rows(actor: Any, experts: Any) -> list[list[Any]]:
    """The roster export (staff): sensitive columns filled only for roster managers."""
    views = privacy.expert_views(actor, list(experts), path="export", appraisals=True)
    rows = []
    for v in views:
        rows.append(
            [
                v.id,
                v.name,
                v.email or "",
                v.nationality,
                v.nominator,
                v.status,
                v.vetting_category,
                v.vetted_on,
                v.notice_hours,
                "; ".join(f"{i} {level}/5" for i, _t, level in v.skills),
                "; ".join(f"{code} {level}" for code, level in v.languages),
                *[
                    (v.sensitive.get(name) if v.sensitive_visible else "")
                    for name in privacy.SENSITIVE_FIELDS
                ],
                "; ".join(
                    f"{a.mission}: {a.rating}/5 {a.appraisal}"
                    for a in v.appraisals
                    if v.sensitive_visible and a.rating is not None
                ),
            ]
        )
    return rows


def own_data(actor: Any, expert: Expert) -> dict[str, Any]:
    """Everything the roster holds about the expert (their download, JSON)."""
    view = privacy.expert_view(actor, expert, path="page")
    data = asdict(view)
    data["consent_at"] = expert.consent_at
    data["employer"] = expert.employer
    data["certifications"] = [
        {
            "name": c.name,
            "issuer": c.issuer,
            "expires_on": c.expires_on,
            "evidence": c.evidence_name,
        }
        for c in expert.certifications.all()
    ]
    data["trainings"] = [
        {"title": t.title, "completed_on": t.completed_on, "refresher_due": t.refresher_due}
        for t in expert.trainings.all()
    ]
    data["absences"] = [
        {"start": a.start, "end": a.end, "note": a.note} for a in expert.absences.all()
    ]
    data["alerts"] = [
        {
            "mission": r.mission.title,
            "answer": r.answer,
            "answered_at": r.answered_at,
            "release": r.release,
            "role": r.role,
        }
        for r in expert.responses.select_related("mission")
    ]
    data["reads_of_sensitive_fields"] = [
        {"by": r.reader_label, "fields": r.fields, "path": r.path, "at": r.at}
        for r in expert.reads.all()[:500]
    ]
    data["exported_at"] = timezone.now()
    return data
