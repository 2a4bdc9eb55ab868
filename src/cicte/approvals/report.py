"""The "Approval of the figures" section of the semi-annual report (registered from
``ApprovalsConfig.ready``): which programs' half-year figures were approved, and when. A
published report keeps it as it stood at publication (and ``PublicationBasis`` records it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cicte.approvals.models import ApprovalStatus, PeriodApproval
from cicte.plan.models import Program
from cicte.reports.registry import register_section
from cicte.reports.types import Cell, Column, Paragraph, Section, Table

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext

SECTION_KEY = "approvals"


@register_section(SECTION_KEY, order=85)
def approvals_section(context: ReportContext) -> Section | None:
    if not context.period.is_half_year:
        return None
    approvals = {
        a.program_id: a
        for a in PeriodApproval.objects.filter(plan=context.plan, period=context.period.label)
    }
    rows: list[list[Cell]] = []
    approved = 0
    for program in Program.objects.filter(plan=context.plan).order_by("position", "id"):
        approval = approvals.get(program.pk)
        if approval is not None and approval.status == ApprovalStatus.APPROVED:
            approved += 1
            status = _("Approved")
            when = approval.approved_at.date().isoformat() if approval.approved_at else ""
        elif approval is not None:
            status = str(ApprovalStatus(approval.status).label)
            when = ""
        else:
            status = _("Not submitted")
            when = ""
        rows.append([f"{program.code} {program.title}", status, when])
    table = Table(
        caption=_("Approval of each program's figures for the period"),
        columns=[Column(_("Program")), Column(_("Status")), Column(_("Approved on"))],
        rows=rows,
        sheet_title=_("Approvals"),
    )
    note = Paragraph(
        _(
            "%(approved)s of %(total)s programs had their figures for this period approved "
            "by the Secretariat when this report was issued; approved figures are locked."
        )
        % {"approved": approved, "total": len(rows)},
        role="note",
    )
    return Section(SECTION_KEY, _("Approval of the figures"), [note, table], [table], approvals)
