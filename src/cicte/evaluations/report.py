"""The "Results of evaluations" section of the semi-annual report (registered from
``EvaluationsConfig.ready``; see cicte.reports.registry)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cicte.reports.registry import register_section
from cicte.reports.types import Block, Column, Figure, Figures, Heading, Paragraph, Section, Table

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext

SECTION_KEY = "evaluation-results"


def _f(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@register_section(SECTION_KEY, order=45)
def evaluation_results(context: ReportContext) -> Section:
    from cicte.evaluations.selectors import evaluations_in_period

    data = evaluations_in_period(plan=context.plan, period=context.period)
    ratings = [row.rating for row in data.evaluations if row.rating is not None]
    blocks: list[Block] = [
        Figures(
            [
                Figure(_("Evaluations"), len(data.evaluations)),
                Figure(
                    _("Average rating (1–5)"),
                    round(sum(ratings) / len(ratings), 2) if ratings else None,
                ),
                Figure(
                    _("Recommendations closed"),
                    data.recommendations_closed,
                    detail=_("of %(n)s") % {"n": data.recommendations_total},
                ),
                Figure(_("Participant responses"), data.feedback.responses),
                Figure(_("Average satisfaction (1–5)"), _f(data.feedback.satisfaction)),
                Figure(_("Average knowledge gain"), _f(data.feedback.knowledge_gain)),
            ]
        )
    ]
    evaluations_table = Table(
        caption=_("Evaluations in the period"),
        columns=[
            Column(_("Date")),
            Column(_("Kind")),
            Column(_("Subject")),
            Column(_("Evaluator")),
            Column(_("Rating (1–5)"), numeric=True),
            Column(_("Findings")),
            Column(_("Open recommendations"), numeric=True),
            Column(_("Recommendations"), numeric=True),
        ],
        rows=[
            [
                row.date,
                row.kind_label,
                row.subject,
                row.evaluator,
                row.rating,
                row.findings,
                row.recommendations_open,
                row.recommendations_total,
            ]
            for row in data.evaluations
        ],
        sheet_title=_("Evaluation results"),
    )
    feedback_table = Table(
        caption=_("Participant feedback by program (averages on a 1–5 scale)"),
        columns=[
            Column(_("Program")),
            Column(_("Events"), numeric=True),
            Column(_("Responses"), numeric=True),
            Column(_("Satisfaction"), numeric=True),
            Column(_("Relevance"), numeric=True),
            Column(_("Knowledge before"), numeric=True),
            Column(_("Knowledge after"), numeric=True),
        ],
        rows=[
            [
                f"{group.program.code} {group.program.title}",
                group.feedback.events,
                group.feedback.responses,
                _f(group.feedback.satisfaction),
                _f(group.feedback.relevance),
                _f(group.feedback.knowledge_before),
                _f(group.feedback.knowledge_after),
            ]
            for group in data.feedback_by_program
        ],
        sheet_title=_("Participant feedback"),
    )
    if data.evaluations:
        blocks.append(evaluations_table)
    else:
        blocks.append(Paragraph(_("No evaluations were recorded in this period."), role="empty"))
    blocks.append(Heading(_("Participant feedback"), level=3))
    if data.feedback_by_program:
        blocks.append(feedback_table)
    else:
        blocks.append(
            Paragraph(_("No participant questionnaires were answered in this period."), "empty")
        )
    return Section(
        SECTION_KEY,
        _("Results of evaluations"),
        blocks,
        [evaluations_table, feedback_table],
        data,
    )
