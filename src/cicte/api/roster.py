"""/api/roster/: the experts roster. The public and anonymous callers get aggregates only
(``/roster/stats``); experts are listed to whoever may see them (``visible_to``) with the
sensitive fields redacted by the one rule of ``roster/privacy.py`` (and every read of them
logged); a requesting state sees its missions' proposed team as names and roles only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from cicte.api.base import ERRORS, SIGNED_IN_AUTH, not_found, require_signed_in
from cicte.directory.models import MemberState
from cicte.roster import permissions, privacy, selectors, services
from cicte.roster.models import Expert, Mission

router = Router(tags=["roster"])


class CoverageOut(Schema):
    label: str
    experts: int


class StatsOut(Schema):
    experts: int
    vetted: int
    nationalities: int
    missions_closed: int
    by_skill: list[CoverageOut]
    by_language: list[CoverageOut]


class SkillOut(Schema):
    identifier: str
    title: str
    level: int


class LanguageOut(Schema):
    language: str
    level: str


class SensitiveOut(Schema):
    phone: str
    passport_number: str
    passport_expiry: dt.date | None
    emergency_contact: str
    insurance: str
    medical_notes: str


class AppraisalOut(Schema):
    mission: str
    role: str
    start: dt.date
    end: dt.date
    experience: str
    rating: int | None = Field(None, description="roster managers and the expert only")
    appraisal: str | None = Field(None, description="roster managers and the expert only")


class ExpertOut(Schema):
    id: int
    name: str
    nationality: str
    nominator: str
    status: str
    vetting_category: str
    notice_hours: int
    skills: list[SkillOut]
    languages: list[LanguageOut]
    email: str | None
    sensitive: SensitiveOut | None = Field(
        None, description="only for vetted roster managers and the expert; reads are logged"
    )
    missions: list[AppraisalOut] = []


class ExpertFilters(Schema):
    q: str = Field("", max_length=100)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ExpertPageOut(Schema):
    total: int
    items: list[ExpertOut]


class TeamMemberOut(Schema):
    name: str
    role: str


class MissionOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    member_state: str
    start: dt.date
    end: dt.date
    team: list[TeamMemberOut]


class SupportRequestIn(Schema):
    member_state: str = Field(description="ISO 3166 alpha-3 code")
    title: str = Field(max_length=200)
    needs: str = Field(max_length=10_000)
    urgency: str
    after_incident: bool = False
    contact_name: str = Field(max_length=200)
    contact_email: str = Field(max_length=254)


class RequestOut(Schema):
    id: int
    status: str


def _expert_out(view: privacy.ExpertView) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.name,
        "nationality": view.nationality,
        "nominator": view.nominator,
        "status": view.status,
        "vetting_category": view.vetting_category,
        "notice_hours": view.notice_hours,
        "skills": [{"identifier": i, "title": t, "level": lv} for i, t, lv in view.skills],
        "languages": [{"language": c, "level": lv} for c, lv in view.languages],
        "email": view.email,
        "sensitive": view.sensitive if view.sensitive_visible else None,
        "missions": [vars(a) for a in view.appraisals],
    }


@router.get("/roster/stats", response={200: StatsOut, **ERRORS}, summary="Roster aggregates")
def stats(request: HttpRequest) -> dict[str, Any]:
    """Counts only (open to everyone): experts, vetted, nationalities, coverage."""
    data = selectors.roster_stats()
    return {
        "experts": data.experts,
        "vetted": data.vetted,
        "nationalities": data.nationalities,
        "missions_closed": data.missions_closed,
        "by_skill": [{"label": c.label, "experts": c.experts} for c in data.by_skill],
        "by_language": [{"label": c.label, "experts": c.experts} for c in data.by_language],
    }


@router.get(
    "/roster/experts",
    response={200: ExpertPageOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Experts the caller may see",
)
def expert_list(request: HttpRequest, filters: Query[ExpertFilters]) -> dict[str, Any]:
    """``q`` searches names, skills and languages — never sensitive fields. Sensitive
    fields are never in a search result (``q`` given) and only for roster managers and the
    expert otherwise."""
    actor = require_signed_in(request)
    experts = selectors.search_experts(actor, filters.q)
    end = filters.offset + filters.limit
    path = "search" if filters.q else "api"
    views = privacy.expert_views(actor, list(experts[filters.offset : end]), path=path)
    return {"total": experts.count(), "items": [_expert_out(v) for v in views]}


@router.get(
    "/roster/experts/{pk}",
    response={200: ExpertOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="One expert",
)
def expert_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    actor = require_signed_in(request)
    expert = Expert.objects.visible_to(actor).filter(pk=pk).first()
    if expert is None:
        raise not_found("No such expert.")
    return _expert_out(privacy.expert_view(actor, expert, path="api"))


@router.get(
    "/roster/missions",
    response={200: list[MissionOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Missions the caller may see",
)
def mission_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Staff: every mission; a point of contact: their state's missions, with the proposed
    team as names and roles only. Experts see their alerts in their own area."""
    actor = require_signed_in(request)
    from cicte.access import permissions as roles

    missions = Mission.objects.visible_to(actor).select_related("request__member_state")
    if not permissions.is_staff(actor):
        missions = missions.filter(request__member_state_id__in=roles.user_member_state_ids(actor))
    return [
        {
            "id": m.pk,
            "title": m.title,
            "kind": m.kind,
            "status": m.status,
            "member_state": m.request.member_state.code,
            "start": m.start,
            "end": m.end,
            "team": [{"name": t.name, "role": t.role} for t in selectors.proposed_team(actor, m)]
            if m.status not in {"open", "alerting"}
            else [],
        }
        for m in missions
    ]


@router.post(
    "/roster/requests",
    response={201: RequestOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Request expert support",
)
def support_request(request: HttpRequest, payload: SupportRequestIn) -> Status[dict[str, Any]]:
    """A point of contact requests expert support for their own state (a request for
    assistance marked as expert support)."""
    actor = require_signed_in(request)
    state = MemberState.objects.filter(code=payload.member_state.upper()).first()
    if state is None:
        raise not_found("No such member state.")
    created = services.support_request(
        actor=actor,
        member_state=state,
        title=payload.title,
        needs=payload.needs,
        urgency=payload.urgency,
        after_incident=payload.after_incident,
        contact_name=payload.contact_name,
        contact_email=payload.contact_email,
    )
    return Status(201, {"id": created.pk, "status": created.status})
