"""Writes of period approvals: submit, approve, return, unlock. Each checks the actor
(:mod:`cicte.approvals.permissions`), runs in one transaction, leaves audit records and
notifies by e-mail through the ops mail job after commit."""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.approvals import permissions
from cicte.approvals.models import ApprovalStatus, ApprovalStep, PeriodApproval, StepAction
from cicte.core import audit
from cicte.core.errors import ApplicationError, Conflict, require
from cicte.core.periods import PeriodError, parse_period
from cicte.core.types import Actor, actor_user
from cicte.plan.models import Program

REASON_MAX = 2000


class ApprovalErrorCode(StrEnum):
    BAD_PERIOD = "bad_period"
    REASON_REQUIRED = "reason_required"
    WRONG_STATE = "wrong_state"


def _period_label(period: str) -> str:
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise ApplicationError(ApprovalErrorCode.BAD_PERIOD, str(exc), field="period") from None
    if not parsed.is_half_year:
        raise ApplicationError(
            ApprovalErrorCode.BAD_PERIOD,
            _("Approvals are per half-year (2012-H1 or 2012-H2), not %(period)s.")
            % {"period": parsed.label},
            field="period",
        )
    return parsed.label


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ApplicationError(
            ApprovalErrorCode.REASON_REQUIRED, _("Give a reason."), field="reason"
        )
    if len(text) > REASON_MAX:
        raise ApplicationError(
            ApprovalErrorCode.REASON_REQUIRED,
            _("The reason is longer than %(max)s characters.") % {"max": REASON_MAX},
            field="reason",
        )
    return text


def _step(approval: PeriodApproval, action: str, actor: Actor, reason: str = "") -> None:
    audit.save(
        ApprovalStep(
            approval=approval, action=action, by=actor_user(actor), at=timezone.now(), reason=reason
        ),
        actor=actor,
    )


def _wrong_state(approval: PeriodApproval, wanted: str) -> Conflict:
    return Conflict(
        ApprovalErrorCode.WRONG_STATE,
        _("%(program)s %(period)s is %(status)s; it must be %(wanted)s first.")
        % {
            "program": approval.program.code,
            "period": approval.period,
            "status": approval.get_status_display().lower(),
            "wanted": wanted,
        },
    )


def _locked(approval_id: int) -> PeriodApproval:
    return (
        PeriodApproval.objects.select_for_update(of=("self",))
        .select_related("program", "plan")
        .get(pk=approval_id)
    )


def _notify(approval: PeriodApproval, action: str, reason: str, actor: Actor) -> None:
    """E-mail the submitter (and, on submission, nobody else: the queue page shows it)."""
    from cicte.ops.tasks import mail_enqueue

    user = approval.submitted_by
    if user is None or not user.email or action == StepAction.SUBMITTED:
        return
    subject = _("%(program)s %(period)s: %(action)s") % {
        "program": approval.program.code,
        "period": approval.period,
        "action": StepAction(action).label,
    }
    body = subject + (f"\n\n{_('Reason')}: {reason}" if reason else "")
    to = [user.email]
    sender = actor_user(actor)
    transaction.on_commit(lambda: mail_enqueue(subject=subject, body=body, to=to, actor=sender))


@transaction.atomic
def approval_submit(*, actor: Actor, program: Program, period: str) -> PeriodApproval:
    """Submit a program's half-year for approval (its program managers; staff)."""
    require(
        permissions.can_submit(actor, program),
        _("You may only submit the programs you manage."),
    )
    label = _period_label(period)
    approval = (
        PeriodApproval.objects.select_for_update(of=("self",))
        .select_related("program")
        .filter(plan_id=program.plan_id, program=program, period=label)
        .first()
    )
    if approval is None:
        approval = PeriodApproval(plan_id=program.plan_id, program=program, period=label)
    elif approval.status in (ApprovalStatus.SUBMITTED, ApprovalStatus.APPROVED):
        raise Conflict(
            ApprovalErrorCode.WRONG_STATE,
            _("%(program)s %(period)s is already %(status)s.")
            % {
                "program": program.code,
                "period": label,
                "status": approval.get_status_display().lower(),
            },
        )
    approval.status = ApprovalStatus.SUBMITTED
    approval.submitted_by = actor_user(actor)
    approval.submitted_at = timezone.now()
    approval.reason = ""
    audit.save(approval, actor=actor)
    _step(approval, StepAction.SUBMITTED, actor)
    return approval


@transaction.atomic
def approval_approve(*, actor: Actor, approval: PeriodApproval) -> PeriodApproval:
    """Approve a submitted half-year: its events are locked from now on (Secretariat)."""
    require(permissions.can_decide(actor), _("Only the Secretariat approves a period."))
    approval = _locked(approval.pk)
    if approval.status != ApprovalStatus.SUBMITTED:
        raise _wrong_state(approval, _("submitted"))
    approval.status = ApprovalStatus.APPROVED
    approval.approved_by = actor_user(actor)
    approval.approved_at = timezone.now()
    approval.reason = ""
    audit.save(approval, actor=actor)
    _step(approval, StepAction.APPROVED, actor)
    _notify(approval, StepAction.APPROVED, "", actor)
    return approval


@transaction.atomic
def approval_return(*, actor: Actor, approval: PeriodApproval, reason: str) -> PeriodApproval:
    """Return a submitted half-year to its program with a reason (Secretariat)."""
    require(permissions.can_decide(actor), _("Only the Secretariat returns a period."))
    text = _reason(reason)
    approval = _locked(approval.pk)
    if approval.status != ApprovalStatus.SUBMITTED:
        raise _wrong_state(approval, _("submitted"))
    approval.status = ApprovalStatus.RETURNED
    approval.reason = text
    audit.save(approval, actor=actor, reason=text[:100])
    _step(approval, StepAction.RETURNED, actor, text)
    _notify(approval, StepAction.RETURNED, text, actor)
    return approval


@transaction.atomic
def approval_unlock(*, actor: Actor, approval: PeriodApproval, reason: str) -> PeriodApproval:
    """Unlock an approved half-year with a reason (administrators): its events can be
    corrected, the changes are listed in "changed since approval", and it is submitted and
    approved again for a corrected report."""
    require(permissions.can_unlock(actor), _("Only an administrator unlocks an approval."))
    text = _reason(reason)
    approval = _locked(approval.pk)
    if approval.status != ApprovalStatus.APPROVED:
        raise _wrong_state(approval, _("approved"))
    approval.status = ApprovalStatus.UNLOCKED
    approval.reason = text
    audit.save(approval, actor=actor, reason=text[:100])
    _step(approval, StepAction.UNLOCKED, actor, text)
    _notify(approval, StepAction.UNLOCKED, text, actor)
    return approval
