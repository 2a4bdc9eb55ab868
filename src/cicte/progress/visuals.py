"""The maps and time-series charts of the progress pages, ready for their templates.

Each function reads through the selectors of :mod:`cicte.progress.trends` (a fixed number of
queries) and returns context entries for ``directory/_tilemap.html`` and
``progress/_series_chart.html``; the views add them to their context.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cicte.core.periods import Period
from cicte.plan.models import Target, WorkPlan
from cicte.progress import maps, trends
from cicte.progress.caching import dashboard_block, period_key, series_parts
from cicte.progress.charts import ColumnChart, series_chart
from cicte.progress.types import MemberStateProgress, PlanProgress

#: How many of a state's events its public page lists (the total is always shown).
LATEST_EVENTS = 10


def map_kind(value: str | None) -> maps.MapKind:
    return "progress" if value == "progress" else "events"


def area_charts(
    *, numbers: list[int], titles: dict[int, str], cached: bool = False
) -> list[ColumnChart]:
    """One column chart per work area: units delivered per half-year across every plan
    (two queries for all of them). ``cached``: each plan's part of the series is cached
    under its own data version (:func:`cicte.progress.caching.series_parts`)."""
    years = trends.plan_years()
    if years is None or not numbers:
        return []
    series = trends.work_area_series(
        years=years, numbers=numbers, parts=series_parts(trends.AREA) if cached else None
    )
    first, last = years
    return [
        series_chart(
            series[number],
            id=f"area-series-{number}",
            title=_("Work area %(number)s: %(title)s — units delivered per half-year")
            % {"number": number, "title": titles.get(number, "")},
            description=_(
                "Columns: units delivered by held events toward the targets of this work "
                "area, per half-year, in every plan from %(first)s to %(last)s."
            )
            % {"first": first, "last": last},
        )
        for number in numbers
    ]


def dashboard_visuals(
    *,
    plan: WorkPlan,
    period: Period,
    progress: PlanProgress,
    states: list[MemberStateProgress],
    params: QueryDict,
    visibility: str | None = None,
) -> dict[str, Any]:
    """The dashboard's map (by events received, from ``states``: no query; or by progress:
    four queries) and one chart per work area shown (two queries). ``params`` are the
    page's GET parameters: ``map=progress`` chooses the second colouring. With
    ``visibility`` (the reader's class), the figures behind them are cached blocks
    (:mod:`cicte.progress.caching`)."""
    kind = map_kind(params.get("map"))
    links = []
    for key, label in (("events", _("Events received")), ("progress", _("Progress"))):
        changed = params.copy()
        changed["map"] = key
        links.append((key, label, f"?{changed.urlencode()}#map-title"))
    query = urlencode({"plan": str(plan.pk), "period": period.label})

    def url(code: str) -> str:
        return f"{reverse('workspace:member-state', args=[code])}?{query}"

    if kind == "progress":

        def compute() -> dict[str, float | None]:
            return {
                code: pct
                for code, (_d, _q, pct) in trends.state_progress_percent(
                    plan=plan, period=period
                ).items()
            }

        percents = (
            compute()
            if visibility is None
            else dashboard_block(
                "map_progress",
                plan_id=plan.pk,
                visibility=visibility,
                query={"period": period_key(period)},
                compute=compute,
            )
        )
        state_map = maps.progress_map(
            percents,
            title=_("Progress of the plan by member state, %(period)s") % {"period": period.label},
            description=_(
                "Each square is a member state, placed roughly where it lies, coloured by the "
                "share of the plan's numeric targets delivered by events it received "
                "(beneficiary or host). Each square shows its code and the percentage; the "
                "table below says the same."
            ),
            url=url,
            id="dashboard-map",
        )
    else:
        state_map = maps.events_map(
            {s.code: s.events_held for s in states},
            title=_("Events held by member state, %(period)s") % {"period": period.label},
            description=_(
                "Each square is a member state, placed roughly where it lies, coloured by the "
                "number of held events it received (beneficiary or host). Each square shows "
                "its code and the number; the table below says the same."
            ),
            url=url,
            id="dashboard-map",
        )
    numbers = [area.number for area in progress.work_areas]
    return {
        "map_kind": kind,
        "map_links": links,
        "state_map": state_map,
        "area_charts": area_charts(
            numbers=numbers,
            titles={a.number: a.title for a in progress.work_areas},
            cached=visibility is not None,
        ),
    }


def target_visuals(*, target: Target) -> dict[str, Any]:
    """The target's chart: units delivered per half-year toward its code in every plan (each
    plan's part cached under its data version)."""
    years = trends.plan_years()
    if years is None:
        return {"series_chart": None}
    chart = series_chart(
        trends.target_series(
            code=target.code, years=years, parts=series_parts(trends.TARGET, only=target.code)
        ),
        id="target-series",
        title=_("Target %(code)s: units delivered per half-year") % {"code": target.code},
        description=_(
            "Columns: units delivered by held events toward target %(code)s (the same code in "
            "every plan), per half-year from %(first)s to %(last)s."
        )
        % {"code": target.code, "first": years[0], "last": years[1]},
    )
    return {"series_chart": chart}


def public_list_visuals(*, plans: Any) -> dict[str, Any]:
    """The public member-state list's map: held events of the approved plans each state
    received (aggregates only)."""
    received = trends.states_received(plans=plans)
    state_map = maps.events_map(
        {code: row.events for code, row in received.items()},
        title=_("Events held by member state, all approved plans"),
        description=_(
            "Each square is a member state, placed roughly where it lies, coloured by the "
            "number of held events of the approved work plans it received (beneficiary or "
            "host). Each square shows its code and the number; the table below says the same."
        ),
        url=lambda code: reverse("public:member-state", args=[code]),
        id="member-states-map",
    )
    return {"state_map": state_map}


def public_state_visuals(*, actor: Any, code: str, plans: Any) -> dict[str, Any]:
    """A state's public page: totals over the approved plans (counts only) and the latest
    events the reader may read."""
    plans = list(plans)
    return {
        "totals": trends.states_received(plans=plans, codes=[code])[code.upper()],
        "latest": trends.state_events_received(
            actor=actor, code=code, plans=plans, limit=LATEST_EVENTS
        ),
    }
