"""Approval pages (staff workspace): the half-year overview, a program's approval with its
completeness, timeline and "changed since approval". Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cicte.access.permissions import workspace_required
from cicte.approvals import permissions, selectors, services
from cicte.approvals.models import ApprovalStatus, PeriodApproval
from cicte.core.errors import ApplicationError
from cicte.core.periods import PeriodError, parse_period
from cicte.core.tables import table_downloads
from cicte.plan.models import Program, WorkPlan
from cicte.plan.selectors import PlanNotFound, plan_get


def _plan(request: HttpRequest) -> WorkPlan | None:
    try:
        return plan_get(request.GET.get("plan") or "")
    except PlanNotFound:
        return WorkPlan.objects.order_by("-year", "-id").first()


@workspace_required
@table_downloads
def overview(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    text = request.GET.get("period") or (f"{plan.year}-H1" if plan else "")
    error = ""
    rows: list[selectors.ProgramRow] = []
    period = None
    try:
        period = parse_period(text)
    except PeriodError as exc:
        error = str(exc)
    if plan is not None and period is not None:
        rows = selectors.overview(plan=plan, period=period)
    return render(
        request,
        "approvals/overview.html",
        {
            "plan": plan,
            "plans": WorkPlan.objects.order_by("-year"),
            "period": period,
            "period_text": text,
            "error": error,
            "rows": rows,
            "periods": [f"{plan.year}-H1", f"{plan.year}-H2"] if plan else [],
        },
    )


def _program_period(program_pk: int, period: str) -> tuple[Program, str]:
    program = get_object_or_404(Program.objects.select_related("plan"), pk=program_pk)
    try:
        label = parse_period(period).label
    except PeriodError:
        raise Http404 from None
    return program, label


@workspace_required
@table_downloads
def detail(request: HttpRequest, program_pk: int, period: str) -> HttpResponse:
    program, label = _program_period(program_pk, period)
    approval = selectors.approval_for(program=program, period=label)
    user = request.user
    status = approval.status if approval else ""
    return render(
        request,
        "approvals/detail.html",
        {
            "program": program,
            "period": label,
            "approval": approval,
            "completeness": selectors.completeness(program=program, period=parse_period(label)),
            "steps": selectors.steps(approval),
            "changes": selectors.changes_since_approval(approval) if approval else [],
            "bases": selectors.bases(approval),
            "can_submit": permissions.can_submit(user, program)
            and status not in (ApprovalStatus.SUBMITTED, ApprovalStatus.APPROVED),
            "can_decide": permissions.can_decide(user) and status == ApprovalStatus.SUBMITTED,
            "can_unlock": permissions.can_unlock(user) and status == ApprovalStatus.APPROVED,
        },
    )


def _approval(program: Program, label: str) -> PeriodApproval:
    approval = selectors.approval_for(program=program, period=label)
    if approval is None:
        raise Http404
    return approval


@workspace_required
@require_POST
def submit(request: HttpRequest, program_pk: int, period: str) -> HttpResponse:
    program, label = _program_period(program_pk, period)
    try:
        services.approval_submit(actor=request.user, program=program, period=label)
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Submitted for approval."))
    return redirect("workspace:approval", program.pk, label)


@workspace_required
@require_POST
def decide(request: HttpRequest, program_pk: int, period: str) -> HttpResponse:
    program, label = _program_period(program_pk, period)
    approval = _approval(program, label)
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            services.approval_approve(actor=request.user, approval=approval)
            messages.success(request, _("Approved: the events of this half-year are locked."))
        elif action == "return":
            services.approval_return(
                actor=request.user, approval=approval, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Returned to the program with your reason."))
        else:
            messages.error(request, _("Choose approve or return."))
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("workspace:approval", program.pk, label)


@workspace_required
@require_POST
def unlock(request: HttpRequest, program_pk: int, period: str) -> HttpResponse:
    program, label = _program_period(program_pk, period)
    approval = _approval(program, label)
    try:
        services.approval_unlock(
            actor=request.user, approval=approval, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Unlocked: the events can be corrected."))
    return redirect("workspace:approval", program.pk, label)
