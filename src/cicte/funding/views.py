"""Funding pages: the staff workspace and the donors' view of what they fund."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cicte.access import permissions as roles
from cicte.access.permissions import workspace_required
from cicte.core.errors import ApplicationError
from cicte.core.forms_actions import form_action
from cicte.core.tables import table_downloads
from cicte.core.versioning import version_of
from cicte.funding import selectors, services
from cicte.funding.forms import AmountForm, ContributionForm, DonorForm, ReceivedForm
from cicte.funding.models import Budget, Contribution, Donor, FundingNeed
from cicte.plan.models import Project, Target, WorkPlan
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
    data = selectors.funding_overview(plan=plan) if plan else None
    return render(
        request,
        "funding/overview.html",
        {"plan": plan, "data": data, "plans": WorkPlan.objects.order_by("-year")},
    )


@workspace_required
@table_downloads
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("program", "plan"), pk=pk)
    data = selectors.project_funding(project=project)
    budget = Budget.objects.filter(project=project).first()
    needs = {n.target_id: n for n in FundingNeed.objects.filter(target__project=project)}
    return render(
        request,
        "funding/project.html",
        {
            "project": project,
            "data": data,
            "can_edit": roles.can_edit_program(request.user, project.program),
            "staff": True,
            # Version tokens: a save based on what this page showed is refused when stale.
            "budget_version": version_of(budget) if budget else 0,
            "unfunded": [
                (t, version_of(needs[t.target_id]) if t.target_id in needs else 0)
                for t in data.unfunded_targets
            ],
        },
    )


@workspace_required
@require_POST
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("program"), pk=pk)
    form_action(
        request,
        AmountForm(request.POST),
        lambda data: services.budget_set(
            actor=request.user,
            project=project,
            amount_usd=data["amount"],
            notes=data["notes"],
            version=data.get("version"),
        ),
        success=_("The budget was saved."),
        invalid=_("Enter an amount."),
    )
    return redirect("workspace:funding-project", pk=pk)


@workspace_required
@require_POST
def need(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.select_related("project__program"), pk=pk)
    form_action(
        request,
        AmountForm(request.POST),
        lambda data: services.funding_need_set(
            actor=request.user,
            target=target,
            estimated_usd=data["amount"],
            notes=data["notes"],
            version=data.get("version"),
        ),
        success=_("The estimated need was saved."),
        invalid=_("Enter an amount."),
    )
    return redirect("workspace:funding-project", pk=target.project_id)


@workspace_required
def contribution_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("project"):
        project = Project.objects.filter(pk=request.GET["project"]).first()
        if project is not None:
            initial = {"project": project, "plan": project.plan}
    form = ContributionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.contribution_record(actor=request.user, **data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The contribution was recorded."))
            if item.project_id:
                return redirect("workspace:funding-project", pk=item.project_id)
            return redirect(f"{reverse('workspace:funding-overview')}?plan={item.plan.year}")
    return render(request, "funding/contribution_form.html", {"form": form})


@workspace_required
@require_POST
def contribution_received(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Contribution, pk=pk)
    form = ReceivedForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_mark_received(
                actor=request.user,
                contribution=item,
                date=form.cleaned_data["date"],
                rate_to_usd=form.cleaned_data["rate_to_usd"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The contribution is marked received."))
    else:
        messages.error(request, _("Enter the date received."))
    return redirect("workspace:funding-donors")


@workspace_required
@table_downloads
def donors(request: HttpRequest) -> HttpResponse:
    form = DonorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.donor_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The donor was added."))
            return redirect("workspace:funding-donors")
    contributions = Contribution.objects.select_related(
        "donor", "donor__member_state", "donor__organization", "project", "program", "plan"
    ).order_by("-date", "-id")
    return render(
        request,
        "funding/donors.html",
        {
            "form": form,
            "donors": Donor.objects.select_related("member_state", "organization"),
            "contributions": contributions,
        },
    )


# ---- donors' view ------------------------------------------------------------------------


def _donor_organization_id(request: HttpRequest) -> int | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organization = roles.chosen_donor_organization(request.user, request.GET.get("organization"))
    if organization is None:
        if roles.is_secretariat(request.user):
            return redirect("workspace:funding-overview")
        raise PermissionDenied
    return int(organization.pk)


@table_downloads
def donor_projects(request: HttpRequest) -> HttpResponse:
    org = _donor_organization_id(request)
    if isinstance(org, HttpResponse):
        return org
    return render(
        request,
        "funding/donor_projects.html",
        {"projects": selectors.projects_funded_by(organization_id=org)},
    )


@table_downloads
def donor_project(request: HttpRequest, pk: int) -> HttpResponse:
    org = _donor_organization_id(request)
    if isinstance(org, HttpResponse):
        return org
    project = get_object_or_404(Project.objects.select_related("program", "plan"), pk=pk)
    if not selectors.donor_funds_project(organization_id=org, project=project):
        raise Http404
    return render(
        request,
        "funding/project.html",
        {"project": project, "data": selectors.project_funding(project=project), "staff": False},
    )
