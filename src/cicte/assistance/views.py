"""Request pages: the member state's point of contact (``requests:``) and the staff queue
(``workspace:assistance-*``). Thin: parse, check permission, call a service or selector."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cicte.access import permissions as roles
from cicte.access.permissions import workspace_required
from cicte.assistance import selectors, services
from cicte.assistance.forms import RequestForm, StaffRequestForm, TransitionForm
from cicte.assistance.models import AssistanceRequest, RequestStatus
from cicte.assistance.workflow import Role, allowed_roles
from cicte.core.errors import ApplicationError
from cicte.core.tables import table_downloads
from cicte.core.versioning import version_of
from cicte.directory.models import MemberState
from cicte.plan.models import Program


def _point_of_contact(request: HttpRequest) -> MemberState | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = roles.chosen_member_state(request.user, request.GET.get("state"))
    if state is None:
        if roles.is_secretariat(request.user):
            return redirect("workspace:assistance-queue")
        raise PermissionDenied
    return state


def _submit(request: HttpRequest, form: RequestForm, member_state: MemberState) -> Any:
    data = form.cleaned_data
    return services.request_submit(
        actor=request.user,
        member_state=member_state,
        program=data.get("program"),
        title=data["title"],
        needs=data["needs"],
        preferred_start=data.get("preferred_start"),
        preferred_end=data.get("preferred_end"),
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
    )


# ---- point of contact (public URL space, signed in) ------------------------------------


@table_downloads
def my_requests(request: HttpRequest) -> HttpResponse:
    state = _point_of_contact(request)
    if isinstance(state, HttpResponse):
        return state
    items = selectors.requests_for_country(member_state_id=state.pk)
    return render(request, "assistance/my_requests.html", {"state": state, "items": items})


def my_request_new(request: HttpRequest) -> HttpResponse:
    state = _point_of_contact(request)
    if isinstance(state, HttpResponse):
        return state
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = _submit(request, form, state)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your request was submitted."))
            return redirect("requests:detail", pk=item.pk)
    return render(request, "assistance/request_form.html", {"form": form, "state": state})


@table_downloads
def my_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    state = _point_of_contact(request)
    if isinstance(state, HttpResponse):
        return state
    try:
        detail = selectors.request_detail(request_id=pk)
    except AssistanceRequest.DoesNotExist:
        raise Http404 from None
    if not AssistanceRequest.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404  # another country's request: not even its existence
    can_close = bool(
        (allowed_roles(detail.request.status, RequestStatus.CLOSED) or set()) & {Role.REQUESTER}
    )
    return render(
        request,
        "assistance/my_request_detail.html",
        {"detail": detail, "state": state, "can_close": can_close},
    )


@require_POST
def my_request_close(request: HttpRequest, pk: int) -> HttpResponse:
    state = _point_of_contact(request)
    if isinstance(state, HttpResponse):
        return state
    item = AssistanceRequest.objects.visible_to(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        services.request_transition(
            actor=request.user,
            request=item,
            to_status=RequestStatus.CLOSED,
            note=request.POST.get("note", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The request is closed."))
    return redirect("requests:detail", pk=pk)


# ---- staff workspace -------------------------------------------------------------------


@workspace_required
@table_downloads
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status and status not in RequestStatus.values:
        status = None
    country = (request.GET.get("country") or "").upper() or None
    try:
        program_id = int(request.GET.get("program") or 0) or None
    except ValueError:
        program_id = None
    rows = selectors.request_queue(
        status=status,
        member_state_code=country,
        program_id=program_id,
        open_only=request.GET.get("all") != "1" and not status,
    )
    context = {
        "rows": rows,
        "statuses": RequestStatus.choices,
        "states": MemberState.objects.order_by("code"),
        "programs": Program.objects.select_related("plan").order_by("-plan__year", "position"),
        "selected": {"status": status or "", "country": country or "", "program": program_id},
        "show_all": request.GET.get("all") == "1",
    }
    template = "assistance/queue.html"
    if getattr(request, "htmx", False):
        template += "#queue-table"
    return render(request, template, context)


@workspace_required
def staff_new(request: HttpRequest) -> HttpResponse:
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = _submit(request, form, form.cleaned_data["member_state"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The request was recorded."))
            return redirect("workspace:assistance-request", pk=item.pk)
    return render(request, "assistance/request_form.html", {"form": form, "staff": True})


@workspace_required
@table_downloads
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        detail = selectors.request_detail(request_id=pk)
    except AssistanceRequest.DoesNotExist:
        raise Http404 from None
    form = TransitionForm(initial={"events": detail.events})
    return render(
        request,
        "assistance/staff_detail.html",
        {
            "detail": detail,
            "form": form,
            "status_labels": dict(RequestStatus.choices),
            "version": version_of(detail.request),
        },
    )


@workspace_required
@require_POST
def staff_transition(request: HttpRequest, pk: int) -> HttpResponse:
    item = AssistanceRequest.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Check the values entered: %(errors)s")
            % {"errors": "; ".join(str(m) for errs in form.errors.values() for m in errs)},
        )
        return redirect("workspace:assistance-request", pk=pk)
    data = form.cleaned_data
    try:
        services.request_transition(
            actor=request.user,
            request=item,
            to_status=data["to_status"],
            note=data.get("note") or "",
            project=data.get("project"),
            target=data.get("target"),
            events=data.get("events"),
            decline_reason=data.get("decline_reason") or "",
            version=data.get("version"),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The request was updated."))
    return redirect("workspace:assistance-request", pk=pk)
