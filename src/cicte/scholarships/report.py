"""The "Scholarships" section of the semi-annual report (registered from
``ScholarshipsConfig.ready``): the calls whose course ends in the period, with awards and
completions (completions count toward the plan's target through the scholarship event)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cicte.reports.registry import register_section
from cicte.reports.types import Block, Cell, Column, Figure, Figures, Paragraph, Section, Table
from cicte.scholarships.models import ScholarshipCall
from cicte.scholarships.selectors import call_figures

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext

SECTION_KEY = "scholarships"


@register_section(SECTION_KEY, order=55)
def scholarships_section(context: ReportContext) -> Section | None:
    calls = ScholarshipCall.objects.filter(
        plan=context.plan,
        end_date__gte=context.period.start,
        end_date__lte=context.period.end,
    ).exclude(status="draft")
    figures = call_figures(calls)
    if not figures:
        return None
    rows: list[list[Cell]] = [
        [
            f"{f.call.course} ({f.call.provider.acronym or f.call.provider.name})",
            f.call.target.code,
            f.call.seats,
            f.nominated,
            f.awarded,
            f.completed,
            f.women_completed,
            f.men_completed,
        ]
        for f in figures
    ]
    table = Table(
        caption=_("Scholarship calls ending in the period"),
        columns=[
            Column(_("Course")),
            Column(_("Target")),
            Column(_("Seats"), numeric=True),
            Column(_("Nominations"), numeric=True),
            Column(_("Awards"), numeric=True),
            Column(_("Completed"), numeric=True),
            Column(_("Women completed"), numeric=True),
            Column(_("Men completed"), numeric=True),
        ],
        rows=rows,
        sheet_title=_("Scholarships"),
    )
    blocks: list[Block] = [
        Paragraph(
            _(
                "Each completed scholarship counts one unit toward the plan's scholarship "
                "target; awards not yet completed do not count."
            ),
            role="note",
        ),
        Figures(
            [
                Figure(_("Scholarships awarded"), sum(f.awarded for f in figures)),
                Figure(_("Scholarships completed"), sum(f.completed for f in figures)),
            ]
        ),
        table,
    ]
    return Section(SECTION_KEY, _("Scholarships"), blocks, [table], figures)
