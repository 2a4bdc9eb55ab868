"""The report's maps and time series (section "At a glance", order 55): the member states'
tile map coloured by the events each received in the period, and per work area the units
delivered per half-year across every plan up to the end of the period.

HTML and PDF draw them as inline SVG (``directory/_tilemap.html``,
``progress/_series_chart.html``; WeasyPrint draws inline SVG); DOCX and XLSX carry the
same figures as tables (the map's figures are the coverage section's member-state table;
the series are the table here). Two queries (``cicte.progress.trends``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cicte.progress import maps, trends
from cicte.progress.caching import series_parts
from cicte.progress.charts import series_chart
from cicte.reports.registry import register_section
from cicte.reports.types import (
    Block,
    Column,
    Graphic,
    Heading,
    Paragraph,
    ReportContext,
    Section,
    Table,
)


@register_section("at-a-glance", order=55)
def at_a_glance(context: ReportContext) -> Section:
    period = context.period
    state_map = maps.events_map(
        {s.code: s.events_held for s in context.member_states},
        title=_("Events held by member state, %(period)s") % {"period": period.label},
        description=_(
            "Each square is a member state, placed roughly where it lies, coloured by the "
            "number of held events it received (beneficiary or host). Each square shows "
            "its code and the number; the coverage table says the same."
        ),
        id="report-map",
    )
    blocks: list[Block] = [
        Heading(state_map.title),
        Graphic(state_map.title, "directory/_tilemap.html", {"map": state_map}),
    ]
    span = trends.plan_years()
    numbers = [area.number for area in context.progress.work_areas]
    titles = {area.number: area.title for area in context.progress.work_areas}
    sheets: list[Table] = []
    if span is not None and numbers:
        years = (min(span[0], context.plan.year), context.plan.year)
        series = trends.work_area_series(
            years=years, numbers=numbers, parts=series_parts(trends.AREA)
        )
        last_half = 1 if period.end.month <= 6 else 2
        for one in series.values():  # nothing after the end of the period
            one.points = [p for p in one.points if (p.year, p.half) <= (period.end.year, last_half)]
        blocks.append(Heading(_("Delivered over time, by work area")))
        blocks.append(
            Paragraph(
                _(
                    "Units delivered by held events per half-year toward the targets of each "
                    "work area, in every plan from %(first)s to the end of the period."
                )
                % {"first": years[0]},
                role="note",
            )
        )
        for number in numbers:
            chart = series_chart(
                series[number],
                id=f"report-series-{number}",
                title=_("Work area %(number)s: %(title)s — units delivered per half-year")
                % {"number": number, "title": titles[number]},
                description=_(
                    "Columns: units delivered by held events toward the targets of this work "
                    "area, per half-year, in every plan from %(first)s to %(last)s."
                )
                % {"first": years[0], "last": years[1]},
            )
            blocks.append(Graphic(chart.title, "progress/_series_chart.html", {"chart": chart}))
        points = next(iter(series.values())).points
        table = Table(
            caption=_("Units delivered per half-year, by work area"),
            columns=[Column(_("Half-year"))]
            + [
                Column(_("Area %(number)s") % {"number": number}, numeric=True)
                for number in numbers
            ],
            rows=[
                [point.label, *(series[number].points[i].delivered for number in numbers)]
                for i, point in enumerate(points)
            ],
            sheet_title=_("Over time"),
        )
        blocks.append(table)
        sheets.append(table)
    return Section(
        "at-a-glance",
        _("At a glance: the member states and delivery over time"),
        blocks,
        sheets,
        data={"map": state_map, "series": sheets},
    )
