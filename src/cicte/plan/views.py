"""Public, read-only pages: the approved plans, mandates, partners and member states."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cicte.core.tables import table_downloads
from cicte.directory.selectors import member_state_list
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
    return render(request, "plan/plan_detail.html", {"plan": plan, "tree": tree})


def mandates(request: HttpRequest) -> HttpResponse:
    return render(request, "plan/mandates.html", {"sources": selectors.public_mandates()})


@table_downloads
def partners(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    groups = selectors.partner_directory(query=query)
    return render(request, "plan/partners.html", {"groups": groups, "q": query.strip()})


def member_states(request: HttpRequest) -> HttpResponse:
    return render(request, "plan/member_states.html", {"subregions": member_state_list()})


def member_state(request: HttpRequest, code: str) -> HttpResponse:
    groups = member_state_list()
    for group in groups:
        for state in group.states:
            if state.code == code.upper():
                return render(request, "plan/member_state.html", {"state": state})
    raise Http404
