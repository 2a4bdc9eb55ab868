"""The "Funding" section of the semi-annual report (registered from ``FundingConfig.ready``).
Amounts in US dollars, rounded to whole dollars (see docs/funding.md)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cicte.reports.registry import register_section
from cicte.reports.types import Block, Column, Figure, Figures, Paragraph, Section, Table

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext

SECTION_KEY = "funding"


def usd(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@register_section(SECTION_KEY, order=65)
def funding(context: ReportContext) -> Section:
    from cicte.funding.selectors import funding_overview

    data = funding_overview(plan=context.plan)
    blocks: list[Block] = [
        Paragraph(
            _(
                "US dollars, converted at the rate recorded with each contribution; spent is "
                "the cost of held events. Figures cover the whole plan to date."
            ),
            role="note",
        ),
        Figures(
            [
                Figure(_("Budgets"), usd(data.budget_usd)),
                Figure(_("Received"), usd(data.received_usd)),
                Figure(_("Pledged, not yet received"), usd(data.pledged_usd)),
                Figure(_("Spent"), usd(data.spent_usd)),
                Figure(_("Balance"), usd(data.balance_usd)),
                Figure(_("Estimated need of unfunded targets"), usd(data.unfunded_need_usd)),
            ]
        ),
    ]
    active = [
        p
        for p in data.projects
        if p.budget_usd is not None or p.received_usd or p.pledged_usd or p.spent_usd
    ]
    projects_table = Table(
        caption=_("Funding by project (US dollars)"),
        columns=[
            Column(_("Project")),
            Column(_("Budget"), numeric=True),
            Column(_("Pledged"), numeric=True),
            Column(_("Received"), numeric=True),
            Column(_("Spent"), numeric=True),
            Column(_("Balance"), numeric=True),
            Column(_("Gap"), numeric=True),
        ],
        rows=[
            [
                f"{p.code} {p.title}",
                usd(p.budget_usd),
                usd(p.pledged_usd),
                usd(p.received_usd),
                usd(p.spent_usd),
                usd(p.balance_usd),
                usd(p.gap_usd),
            ]
            for p in active
        ],
        sheet_title=_("Funding"),
    )
    needs_table = Table(
        caption=_("Estimated needs of targets waiting for funding (US dollars)"),
        columns=[Column(_("Project")), Column(_("Target")), Column(_("Estimated need"), True)],
        rows=[
            [p.code, f"{t.code} {t.text}", usd(t.estimated_usd)] for p, t in data.unfunded_targets
        ],
        sheet_title=_("Funding needs"),
    )
    if active:
        blocks.append(projects_table)
    else:
        blocks.append(Paragraph(_("No budgets or contributions are recorded."), role="empty"))
    if data.unfunded_targets:
        blocks.append(needs_table)
    return Section(SECTION_KEY, _("Funding"), blocks, [projects_table, needs_table], data)
