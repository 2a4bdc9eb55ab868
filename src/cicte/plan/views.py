"""Public, read-only pages: the approved plans, mandates, partners and member states."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cicte.core.tables import table_downloads
from cicte.plan import selectors


def home(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.public_plans())
    return render(request, "plan/home.html", {"plans": plans})


def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    try:
        plan = selectors.plan_get(str(year), public=True)
    except selectors.PlanNotFound:
        raise Http404 from None
    tree = selectors.plan_document(plan=plan)  # the same data as the canonical export
    context = {"plan": plan, "tree": tree, "mandates_of": selectors.mandates_by_item(tree)}
    return render(request, "plan/plan_detail.html", context)


def mandates(request: HttpRequest) -> HttpResponse:
    return render(request, "plan/mandates.html", {"sources": selectors.public_mandates()})


@table_downloads
def partners(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    groups = selectors.partner_directory(query=query)
    return render(request, "plan/partners.html", {"groups": groups, "q": query.strip()})
