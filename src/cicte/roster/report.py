"""The "Experts roster" section of the semi-annual report (registered from
``RosterConfig.ready``): counts only — no names, and no requesting states (other states
never learn of a state's request)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cicte.reports.registry import register_section
from cicte.reports.types import Column, Figure, Figures, Paragraph, Section, Table

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext

SECTION_KEY = "roster"


@register_section(SECTION_KEY, order=58)
def roster_section(context: ReportContext) -> Section:
    from cicte.roster.selectors import missions_report, roster_stats

    missions = missions_report(context.period)
    stats = roster_stats()
    by_type = Table(
        caption=_("Expert missions opened in the period, by type"),
        columns=[Column(_("Type")), Column(_("Missions"), numeric=True)],
        rows=[[row.kind, row.count] for row in missions.by_type],
        sheet_title=_("Roster missions"),
    )
    coverage = Table(
        caption=_("Roster coverage by language (experts on the roster)"),
        columns=[Column(_("Language")), Column(_("Experts"), numeric=True)],
        rows=[[row.label, row.experts] for row in stats.by_language],
        sheet_title=_("Roster languages"),
    )
    skills = Table(
        caption=_("Roster coverage by skill (self-rating 3 or more)"),
        columns=[Column(_("Skill")), Column(_("Experts"), numeric=True)],
        rows=[[row.label, row.experts] for row in stats.by_skill],
        sheet_title=_("Roster skills"),
    )
    return Section(
        key=SECTION_KEY,
        title=_("Multinational team of experts (3.A.9)"),
        blocks=[
            Paragraph(
                _(
                    "Counts only: the requesting states and the experts are not named. Time "
                    "to deployment runs from the state's request to the team's deployment, "
                    "against a goal of 72 hours."
                ),
                role="note",
            ),
            Figures(
                [
                    Figure(_("Missions opened"), missions.opened),
                    Figure(_("Missions deployed"), missions.deployed),
                    Figure(_("Missions closed"), missions.closed),
                    Figure(_("Deployed within 72 hours"), missions.within_goal),
                    Figure(
                        _("Median hours from request to deployment"),
                        missions.median_hours,
                    ),
                    Figure(_("Experts on the roster"), stats.experts),
                    Figure(_("Vetted experts"), stats.vetted),
                ]
            ),
            by_type,
            skills,
            coverage,
        ],
        sheets=[by_type, skills, coverage],
        data={"missions": missions, "stats": stats},
    )
