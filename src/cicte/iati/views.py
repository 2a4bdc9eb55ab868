"""The workspace page of the IATI export: one download per plan."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cicte.access.permissions import workspace_required
from cicte.core.errors import ApplicationError
from cicte.iati.data import iati_plan
from cicte.iati.elements import activities_document
from cicte.plan.models import WorkPlan


def iati_response(data: bytes, year: int) -> HttpResponse:
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cicte-{year}-iati.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_required
def export_page(request: HttpRequest) -> HttpResponse:
    plans = WorkPlan.objects.order_by("-year", "-id")
    return render(
        request,
        "iati/export.html",
        {"plans": plans, "reporting_ref": getattr(settings, "IATI_REPORTING_ORG_REF", "")},
    )


@workspace_required
def export_download(request: HttpRequest, year: int) -> HttpResponse:
    plan = WorkPlan.objects.filter(year=year).order_by("-id").first()
    if plan is None:
        raise Http404
    try:
        data = activities_document(iati_plan(plan=plan, actor=request.user))
    except ApplicationError as exc:
        return render(request, "iati/export.html", {"plans": [], "error": exc.message}, status=400)
    return iati_response(data, plan.year)
