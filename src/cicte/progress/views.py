"""Staff workspace: the progress dashboard, a target page and a member-state page.

Thin views: permission first, parse the GET filters, call the selectors, render. The dashboard
serves only its results partial to htmx requests (``progress/dashboard.html#results``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cicte.access.permissions import workspace_required
from cicte.core.periods import Period, PeriodError, parse_period
from cicte.core.tables import table_downloads
from cicte.directory.countries import country_name
from cicte.directory.models import MemberState
from cicte.directory.selectors import member_state_list
from cicte.plan.models import Program, Target, WorkPlan
from cicte.plan.selectors import public_plans
from cicte.progress import rules, selectors, visuals
from cicte.progress.caching import dashboard_block, period_key, visibility_class
from cicte.progress.charts import rollup_chart
from cicte.progress.forms import ProgressFilterForm, period_suggestions

NOT_HELD_SHOWN = 50


def _chosen_plan(request: HttpRequest, plans: list[WorkPlan]) -> WorkPlan | None:
    wanted = request.GET.get("plan", "")
    for plan in plans:
        if str(plan.pk) == wanted:
            return plan
    return plans[0] if plans else None


def _period_from_get(request: HttpRequest, plan: WorkPlan) -> Period:
    try:
        return (
            parse_period(request.GET["period"])
            if request.GET.get("period")
            else (rules.plan_period(plan))
        )
    except PeriodError:
        return rules.plan_period(plan)


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 9 else 1


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@workspace_required
@table_downloads
def dashboard(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_for_choice()
    plan = _chosen_plan(request, plans)
    form = ProgressFilterForm(request.GET or None, plans=plans, plan=plan)
    context: dict[str, Any] = {"form": form, "plan": plan, "plans": plans}
    if plan is not None:
        filters: dict[str, Any] = {}
        if form.is_bound and form.is_valid():
            filters = {
                "work_area": form.cleaned_data.get("work_area") or None,
                "program": form.cleaned_data.get("program") or None,
                "member_state": form.cleaned_data.get("member_state") or None,
            }
            period = form.cleaned_data.get("period") or rules.plan_period(plan)
        else:
            period = rules.plan_period(plan)
        visibility = visibility_class(request.user)

        def figures() -> dict[str, Any]:
            progress = selectors.plan_progress(plan=plan, period=period, **filters)
            states = selectors.member_state_progress(plan=plan, period=period)
            return {
                "progress": progress,
                "states": states,
                "summary": selectors.plan_summary(
                    plan=plan, period=period, progress=progress, states=states, **filters
                ),
                "not_held": selectors.events_planned_not_held(
                    plan=plan,
                    period=period,
                    member_state=filters.get("member_state"),
                    limit=NOT_HELD_SHOWN,
                ),
            }

        # Cached per plan, period, filters, data version and the reader's visibility class
        # (cicte.progress.caching); the version is read before the data.
        block = dashboard_block(
            "figures",
            plan_id=plan.pk,
            visibility=visibility,
            query={"period": period_key(period), "filters": filters},
            compute=figures,
        )
        progress, states = block["progress"], block["states"]
        context.update(
            period=period,
            filters=filters,
            progress=progress,
            summary=block["summary"],
            behind=selectors.targets_behind(progress),
            not_held=block["not_held"],
            chart=rollup_chart(
                list(progress.work_areas),
                of=_("of"),
                expected=progress.elapsed_share,
                labels=[_("Area %(number)s") % {"number": wa.number} for wa in progress.work_areas],
            ),
            states=states,
            suggestions=period_suggestions(plan.year),
            query=request.GET.urlencode(),
        )
        context.update(
            visuals.dashboard_visuals(
                plan=plan,
                period=period,
                progress=progress,
                states=states,
                params=request.GET,
                visibility=visibility,
            )
        )
    template = "progress/dashboard.html"
    if getattr(request, "htmx", False) and plan is not None:
        template += "#results"
    return render(request, template, context)


@workspace_required
@table_downloads
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(
        Target.objects.select_related("plan", "project__program__work_area"), pk=pk
    )
    period = _period_from_get(request, target.plan)
    page = selectors.target_events(target=target, page=_page_number(request))
    context = {
        "target": target,
        "plan": target.plan,
        "period": period,
        "progress": selectors.target_progress(target=target, period=period),
        "events": page.rows,
        "page": page,
        "query": _query_without_page(request),
        "suggestions": period_suggestions(target.plan.year),
        **visuals.target_visuals(target=target),
    }
    return render(request, "progress/target.html", context)


@workspace_required
@table_downloads
def member_state_detail(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if not MemberState.objects.filter(code=code).exists():
        raise Http404
    plans = selectors.plans_for_choice()
    plan = _chosen_plan(request, plans)
    if plan is None:
        raise Http404
    period = _period_from_get(request, plan)
    rows = selectors.member_state_progress(plan=plan, period=period, codes=[code])
    page = selectors.member_state_events(
        plan=plan, code=code, period=period, page=_page_number(request)
    )
    context = {
        "code": code,
        "name": country_name(code, get_language() or "en"),
        "plan": plan,
        "plans": plans,
        "period": period,
        "state": rows[0],
        "events": page.rows,
        "page": page,
        "query": _query_without_page(request),
        "suggestions": period_suggestions(plan.year),
    }
    return render(request, "progress/member_state.html", context)


# --- public ---------------------------------------------------------------------------


@table_downloads
def public_member_state(request: HttpRequest, code: str) -> HttpResponse:
    """A member state's public page: what it received under each approved plan — held events
    (as beneficiary or host), by program, and its participants by sex. Counts only: no event
    titles, no names (aggregate figures are public, docs/security.md)."""
    state = next(
        (s for group in member_state_list() for s in group.states if s.code == code.upper()),
        None,
    )
    if state is None:
        raise Http404
    received = []
    for plan in public_plans():
        row = selectors.member_state_progress(plan=plan, codes=[state.code])[0]
        titles = dict(Program.objects.filter(plan=plan).values_list("code", "title"))
        received.append(
            {
                "plan": plan,
                "state": row,
                "programs": [
                    (program, titles.get(program, ""), n)
                    for program, n in sorted(row.events_by_program.items())
                ],
            }
        )
    context = {
        "state": state,
        "received": received,
        **visuals.public_state_visuals(actor=request.user, code=state.code, plans=public_plans()),
    }
    return render(request, "progress/public_member_state.html", context)


def public_member_states(request: HttpRequest) -> HttpResponse:
    """The public list of member states, by subregion, with the map of the events each
    received under the approved plans (counts only)."""
    context = {
        "subregions": member_state_list(),
        **visuals.public_list_visuals(plans=public_plans()),
    }
    return render(request, "progress/public_member_states.html", context)
