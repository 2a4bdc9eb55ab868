"""The "Support to national cyber-security strategies" section of the semi-annual report
(registered from ``StrategiesConfig.ready``): milestones of the support engagements whose
delivery event ended in the period. The events themselves count toward the plan's targets
through delivery (their targets), so the work-area tables already include them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cicte.reports.registry import register_section
from cicte.reports.types import Block, Column, Paragraph, Section, Table

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext

SECTION_KEY = "strategy-support"


@register_section(SECTION_KEY, order=47)
def strategy_support(context: ReportContext) -> Section | None:
    from cicte.strategies.selectors import milestones_in

    lines = milestones_in(context.period.start, context.period.end, plan_id=context.plan.pk)
    table = Table(
        caption=_("Milestones of the support to national strategies (3.A.7)"),
        columns=[
            Column(_("Member state")),
            Column(_("Engagement")),
            Column(_("Milestone")),
            Column(_("Event")),
            Column(_("Dates")),
            Column(_("Status")),
        ],
        rows=[
            [
                line.jurisdiction,
                line.engagement,
                line.phase,
                line.event_title,
                date_format(line.end_date, "SHORT_DATE_FORMAT"),
                line.status,
            ]
            for line in lines
        ],
        sheet_title=_("Strategy support"),
    )
    blocks: list[Block] = []
    if lines:
        blocks.append(table)
    else:
        blocks.append(
            Paragraph(_("No strategy-support milestone fell in this period."), role="empty")
        )
    return Section(SECTION_KEY, _("Support to national cyber-security strategies"), blocks, [table])
