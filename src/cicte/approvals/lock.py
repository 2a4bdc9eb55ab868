"""The lock: approved events refuse every write (registered as a delivery guard), and a
publication records the approvals it rests on (registered as a reports listener)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from cicte.approvals.models import ApprovalStatus, PeriodApproval, PublicationBasis
from cicte.core.periods import half_year_of
from cicte.delivery.guards import EventFootprint, Refusal, register_event_guard
from cicte.reports.registry import register_publish_listener

GUARD_KEY = "period-approval"


def lock_message(*, program_code: str, period: str, approved_at: Any) -> str:
    return _(
        "Events of program %(program)s for %(period)s are locked by the approval of "
        "%(date)s; ask an administrator to unlock."
    ) % {"program": program_code, "period": period, "date": approved_at.date().isoformat()}


@register_event_guard(GUARD_KEY)
def approved_periods(footprints: Sequence[EventFootprint]) -> list[Refusal]:
    """Refuse footprints in an approved program and half-year (one query)."""
    plan_ids = {f.plan_id for f in footprints if f.program_ids and f.end_date}
    if not plan_ids:
        return []
    locked = {
        (plan_id, program_id, period): (code, approved_at)
        for plan_id, program_id, period, code, approved_at in PeriodApproval.objects.filter(
            status=ApprovalStatus.APPROVED, plan_id__in=plan_ids
        ).values_list("plan_id", "program_id", "period", "program__code", "approved_at")
    }
    if not locked:
        return []
    refusals = []
    for index, footprint in enumerate(footprints):
        if footprint.end_date is None:
            continue
        period = half_year_of(footprint.end_date).label
        for program_id in sorted(footprint.program_ids):
            hit = locked.get((footprint.plan_id, program_id, period))
            if hit is not None:
                code, approved_at = hit
                refusals.append(
                    Refusal(
                        index,
                        lock_message(program_code=code, period=period, approved_at=approved_at),
                    )
                )
                break
    return refusals


@register_publish_listener("approvals")
def record_basis(*, plan: Any, period: Any, reports: Sequence[Any], actor: Any) -> None:
    """Record, for each published format, the approvals of the period it rests on."""
    approvals = list(
        PeriodApproval.objects.filter(
            plan=plan, period=period.label, status=ApprovalStatus.APPROVED
        )
    )
    for report in reports:
        PublicationBasis.objects.filter(report=report).delete()  # a re-publication replaces
        PublicationBasis.objects.bulk_create(
            [
                PublicationBasis(report=report, approval=a, approved_at=a.approved_at)
                for a in approvals
                if a.approved_at is not None
            ]
        )
