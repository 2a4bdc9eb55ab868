"""Published reports (public) and period narratives (staff; program managers for their
programs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cicte.access.permissions import is_secretariat
from cicte.api.base import (
    ERRORS,
    SIGNED_IN_AUTH,
    ApiError,
    forbidden,
    plan_for,
    require_signed_in,
)
from cicte.core.languages import UnknownLanguage, check_language
from cicte.core.periods import PeriodError, parse_period
from cicte.core.versioning import version_of
from cicte.plan.models import Program
from cicte.reports.models import Narrative, PublishedReport
from cicte.reports.services import narrative_save

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    plan_year: int
    period: str
    language: str
    format: str
    title: str
    document_symbol: str
    published_at: dt.datetime
    url: str

    @staticmethod
    def resolve_plan_year(obj: PublishedReport) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_url(obj: PublishedReport) -> str:
        return obj.get_absolute_url()


class ReportQuery(Schema):
    plan: str | None = None
    period: str | None = Field(None, max_length=30)
    language: str | None = Field(None, max_length=5)


class NarrativeOut(Schema):
    id: int
    program: str
    period: str
    text: str
    author: str | None
    updated: dt.datetime
    version: int = 0

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return version_of(obj)

    @staticmethod
    def resolve_program(obj: Narrative) -> str:
        return obj.program.code

    @staticmethod
    def resolve_author(obj: Narrative) -> str | None:
        return obj.author.get_username() if obj.author else None


class NarrativeIn(Schema):
    plan: str = Field(..., min_length=1, max_length=100)
    program: str = Field(..., min_length=1, max_length=20, description="Program code, e.g. 1.A")
    period: str = Field(..., min_length=1, max_length=30, description="e.g. 2012-H1")
    text: str = Field(..., max_length=5000)
    version: int | None = Field(
        None, description="The narrative's version you read; a stale one is refused (409)."
    )


class NarrativeQuery(Schema):
    plan: str = Field(..., min_length=1, max_length=100)
    period: str | None = Field(None, max_length=30)
    program: str | None = Field(None, max_length=20)


@router.get("/reports", response={200: list[ReportOut], **ERRORS}, summary="Published reports")
def report_list(request: HttpRequest, query: Query[ReportQuery]) -> list[PublishedReport]:
    """Reports as published (never drafts)."""
    reports = PublishedReport.objects.select_related("plan").order_by("-published_at", "id")
    if query.plan:
        reports = reports.filter(plan=plan_for(request, query.plan))
    if query.period:
        reports = reports.filter(period=query.period.upper())
    if query.language:
        try:
            language = check_language(query.language)
        except UnknownLanguage as exc:
            raise ApiError(400, "unknown_language", str(exc)) from None
        reports = reports.filter(language=language)
    return list(reports[:500])


@router.get(
    "/narratives",
    response={200: list[NarrativeOut], **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Period narratives (drafts: staff only)",
)
def narrative_list(request: HttpRequest, query: Query[NarrativeQuery]) -> list[Narrative]:
    user = require_signed_in(request)
    if not is_secretariat(user):
        raise forbidden("Narratives are drafts until a report is published.")
    narratives = Narrative.objects.filter(
        program__plan=plan_for(request, query.plan)
    ).select_related("program", "author")
    if query.period:
        narratives = narratives.filter(period=query.period.upper())
    if query.program:
        narratives = narratives.filter(program__code=query.program)
    return list(narratives.order_by("program__position", "period"))


@router.put(
    "/narratives",
    response={200: NarrativeOut, **ERRORS},
    auth=SIGNED_IN_AUTH,
    summary="Write a program's narrative for a period",
)
def narrative_put(request: HttpRequest, payload: NarrativeIn) -> Narrative:
    """Create or replace the narrative (Secretariat staff; program managers for their
    programs)."""
    user = require_signed_in(request)
    plan = plan_for(request, payload.plan)
    program = Program.objects.filter(plan=plan, code=payload.program).first()
    if program is None:
        raise ApiError(
            422,
            "validation_error",
            "Unknown program.",
            [{"field": "program", "code": "unknown", "message": payload.program}],
        )
    try:
        parse_period(payload.period)
        narrative = narrative_save(
            actor=user,
            program=program,
            period=payload.period,
            text=payload.text,
            version=payload.version,
        )
    except (PeriodError, ValidationError) as exc:
        message = " ".join(getattr(exc, "messages", [str(exc)]))
        raise ApiError(422, "validation_error", message) from None
    return Narrative.objects.select_related("program", "author").get(pk=narrative.pk)
