"""Scholarship pages: the staff workspace (calls, selection, completion, export), points of
contact (calls, nominations of their own state), the nominee's confirmation link and the
donors' completions. Thin: the services decide."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cicte.access import permissions as roles
from cicte.access.permissions import workspace_required
from cicte.core.errors import ApplicationError, NotAllowed
from cicte.core.exports import xlsx_bytes
from cicte.core.forms_actions import apply_error
from cicte.core.tables import table_downloads
from cicte.evaluations.models import Questionnaire
from cicte.plan.models import Target
from cicte.scholarships import permissions, selectors, services
from cicte.scholarships.forms import (
    CallForm,
    CompleteForm,
    NominationForm,
    ReasonForm,
    TravelForm,
)
from cicte.scholarships.models import (
    CallStatus,
    Nomination,
    ScholarshipCall,
    TravelStatus,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- staff ----------------------------------------------------------------------------------


@workspace_required
@table_downloads
def calls(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scholarships/calls.html",
        {
            "calls": selectors.calls_for(request.user),
            "can_create": permissions.can_create_calls(request.user),
        },
    )


@workspace_required
def call_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_calls(request.user):
        raise PermissionDenied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        target = Target.objects.filter(plan=cd["plan"], code=cd["target"].strip()).first()
        if target is None:
            form.add_error("target", _("No target with this code in the plan."))
        else:
            try:
                call = services.call_create(
                    actor=request.user,
                    plan=cd["plan"],
                    target=target,
                    course=cd["course"],
                    provider=cd["provider"],
                    funding_source=cd["funding_source"],
                    start_date=cd["start_date"],
                    end_date=cd["end_date"],
                    city=cd["city"],
                    host_state=cd["host_state"],
                    seats=cd["seats"],
                    nomination_deadline=cd["nomination_deadline"],
                    eligible_states=list(cd["eligible_states"]),
                    eligible_subregions=cd["eligible_subregions"],
                    small_islands_only=cd["small_islands_only"],
                    profile=cd["profile"],
                    public=cd["public"],
                )
            except NotAllowed:
                raise
            except ApplicationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Call saved as a draft; publish it when ready."))
                return redirect(call.get_absolute_url())
    return render(request, "scholarships/call_form.html", {"form": form})


def _call(pk: int, user: Any) -> ScholarshipCall:
    return get_object_or_404(
        ScholarshipCall.objects.visible_to(user).select_related(
            "provider", "target__project", "plan", "host_state", "funding_source"
        ),
        pk=pk,
    )


@workspace_required
@table_downloads
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk, request.user)
    nominations = selectors.nominations_of(call, request.user)
    feedback = selectors.call_feedback(call)
    return render(
        request,
        "scholarships/call_detail.html",
        {
            "call": call,
            "nominations": nominations,
            "balance": selectors.balance(call),
            "can_manage": permissions.can_manage_call(request.user, call),
            "selecting": call.status in (CallStatus.CLOSED, CallStatus.AWARDED),
            "eligible": call.eligible_states.all(),
            "complete_form": CompleteForm(),
            "feedback": feedback,
            "feedback_rows": [(_("Course"), call.course, feedback)] if feedback else [],
            "travel_statuses": TravelStatus.choices,
            "questionnaire": (
                Questionnaire.objects.filter(event_id=call.event_id).first()
                if call.event_id
                else None
            ),
        },
    )


def _act(request: HttpRequest, call: ScholarshipCall, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except NotAllowed:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(call.get_absolute_url())


@workspace_required
@require_POST
def call_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk, request.user)
    return _act(
        request,
        call,
        lambda: services.call_publish(actor=request.user, call=call),
        _("The call is open; the points of contact of the eligible states were told."),
    )


@workspace_required
@require_POST
def call_close(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk, request.user)
    return _act(
        request,
        call,
        lambda: services.call_close(actor=request.user, call=call),
        _("Nominations are closed; select the awardees."),
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(str(value or "").strip())
    except ValueError:
        return None
    return number if 0 < number < 100_000 else None


@workspace_required
@require_POST
def selection(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk, request.user)
    decisions = []
    for nomination in call.nominations.all():
        decision = request.POST.get(f"decision-{nomination.pk}", "")
        if not decision:
            continue
        decisions.append(
            services.Decision(
                nomination.pk,
                decision,
                _int_or_none(request.POST.get(f"rank-{nomination.pk}")),
                request.POST.get(f"reason-{nomination.pk}", "")[:2000],
            )
        )
    return _act(
        request,
        call,
        lambda: services.selection_apply(actor=request.user, call=call, decisions=decisions),
        _("Selection saved; the nominees and their points of contact are told."),
    )


def _nomination(pk: int, user: Any) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(user).select_related("call", "member_state"), pk=pk
    )


@workspace_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(pk, request.user)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        nomination.call,
        lambda: services.nomination_withdraw(
            actor=request.user, nomination=nomination, reason=reason
        ),
        _("Withdrawn; a freed seat goes to the first of the waitlist."),
    )


@workspace_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(pk, request.user)
    form = CompleteForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(nomination.call.get_absolute_url())
    cd = form.cleaned_data
    return _act(
        request,
        nomination.call,
        lambda: services.nomination_complete(
            actor=request.user,
            nomination=nomination,
            completed=cd["outcome"] == "completed",
            certificate=cd["certificate"],
            issue_certificate=cd["issue_certificate"],
            reason=cd["reason"],
        ),
        _("Recorded."),
    )


@workspace_required
@require_POST
def travel(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(pk, request.user)
    form = TravelForm(request.POST, prefix=f"travel-{nomination.pk}")
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[k].label}: {e}" if k in form.fields else str(e)
                for k, errs in form.errors.items()
                for e in errs
            ),
        )
        return redirect(nomination.call.get_absolute_url())
    return _act(
        request,
        nomination.call,
        lambda: services.travel_record(
            actor=request.user, nomination=nomination, **form.cleaned_data
        ),
        _("Travel recorded."),
    )


@workspace_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk, request.user)
    if not roles.can_edit_everything(request.user) and not permissions.can_manage_call(
        request.user, call
    ):
        raise PermissionDenied
    response = HttpResponse(
        xlsx_bytes(selectors.export_sheets(call, request.user)), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="scholarship-call-{call.pk}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@workspace_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(pk, request.user)
    if not nomination.certificate:
        raise Http404
    try:
        handle = nomination.certificate.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = nomination.certificate.name.rsplit(".", 1)[-1]
    types = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"certificate-{nomination.pk}.{extension}",
        content_type=types.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)


# --- points of contact and the public -------------------------------------------------------


def public_calls(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scholarships/public_calls.html",
        {
            "calls": selectors.calls_for(request.user).exclude(status=CallStatus.DRAFT),
            "states": roles.user_member_states(request.user),
            "can_view_completions": permissions.can_view_completions(request.user),
        },
    )


def public_call(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk, request.user)
    states = roles.user_member_states(request.user)
    form = NominationForm(states=states)
    return render(
        request,
        "scholarships/public_call.html",
        _public_context(request, call, form),
    )


def _public_context(request: HttpRequest, call: ScholarshipCall, form: NominationForm) -> dict:
    states = roles.user_member_states(request.user)
    return {
        "call": call,
        "form": form,
        "can_nominate": bool(states) and call.status == CallStatus.OPEN,
        "nominations": selectors.nominations_of(call, request.user) if states else [],
        "eligible": call.eligible_states.all(),
    }


@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    call = _call(pk, request.user)
    states = roles.user_member_states(request.user)
    if not states:
        raise PermissionDenied
    form = NominationForm(request.POST, request.FILES, states=states)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.nomination_submit(
                actor=request.user,
                call=call,
                member_state=cd["member_state"],
                name=cd["name"],
                institution=cd["institution"],
                position=cd["position"],
                sex=cd["sex"],
                email=cd["email"],
                language=cd["language"],
                justification=cd["justification"],
                documents=[cd["document"]] if cd["document"] else [],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Nominated; the nominee was sent a link to confirm."))
            return redirect("scholarships:call", call.pk)
    return render(
        request, "scholarships/public_call.html", _public_context(request, call, form), status=400
    )


@require_POST
def poc_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    nomination = _nomination(pk, request.user)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.nomination_withdraw(actor=request.user, nomination=nomination, reason=reason)
    except NotAllowed:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Withdrawn."))
    return redirect("scholarships:call", nomination.call_id)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The nominee's link: a page with one button (a GET never confirms: mail scanners
    follow links)."""
    try:
        nomination = services.nomination_by_token(token)
    except ApplicationError:
        raise Http404 from None
    error = ""
    done = False
    if request.method == "POST":
        try:
            nomination = services.nomination_confirm(token=token)
            done = True
        except ApplicationError as exc:
            error = exc.message
    response = render(
        request,
        "scholarships/confirm.html",
        {"nomination": nomination, "call": nomination.call, "error": error, "done": done},
        status=409 if error else 200,
    )
    response["Referrer-Policy"] = "same-origin"  # the secret never leaves the site
    return response


@table_downloads
def completions(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_completions(request.user):
        raise PermissionDenied
    rows = selectors.completions(request.user)
    return render(
        request,
        "scholarships/completions.html",
        {
            "rows": rows,
            "women": sum(r.women for r in rows),
            "men": sum(r.men for r in rows),
            "total": sum(r.total for r in rows),
            "feedback": selectors.feedback_of_calls(request.user),
        },
    )
