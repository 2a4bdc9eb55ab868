"""Roster pages: the staff workspace (``workspace:roster*``), the expert's own area and the
point of contact's area (``roster:``). Thin: parse, call a service or a selector, render.
Every expert shown goes through :mod:`cicte.roster.privacy`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cicte.access import permissions as roles
from cicte.access.permissions import workspace_required
from cicte.assistance.models import AssistanceRequest
from cicte.core import exports
from cicte.core.errors import ApplicationError
from cicte.core.forms_actions import apply_error, form_action
from cicte.core.tables import table_downloads
from cicte.plan.models import Target
from cicte.roster import forms as f
from cicte.roster import permissions, privacy, selectors, services
from cicte.roster.calendar import assignment_ics
from cicte.roster.models import (
    Assignment,
    AssignmentDocument,
    Certification,
    Expert,
    Mission,
    MissionReport,
    MissionStatus,
    Response,
    SupportRequest,
)
from cicte.roster.ranking import candidates


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _own_expert(request: HttpRequest) -> Expert | None:
    if not request.user.is_authenticated:
        return None
    return Expert.objects.filter(user=request.user).first()


def _act(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    success: str,
    back: str,
    *args: Any,
) -> HttpResponse:
    form_action(request, form, call, success=success, invalid=_("Check the form."))
    return redirect(back, *args)


# ---- the expert's own area --------------------------------------------------------------


@require_GET
def me(request: HttpRequest) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    expert = _own_expert(request)
    if expert is None:
        return render(request, "roster/me.html", {"expert": None})
    view = privacy.expert_view(request.user, expert, path="page")
    alerts = expert.responses.select_related("mission", "alert").order_by("-alert__sent_at")
    assignments = expert.assignments.select_related("mission").prefetch_related("documents")
    return render(
        request,
        "roster/me.html",
        {
            "expert": expert,
            "view": view,
            "alerts": alerts,
            "assignments": assignments,
            "profile_form": f.ProfileForm(
                initial={name: getattr(expert, name) for name in services.PROFILE_FIELDS}
            ),
            "skill_form": f.SkillForm(),
            "language_form": f.LanguageForm(),
            "absence_form": f.AbsenceForm(),
            "certification_form": f.CertificationForm(),
            "certifications": expert.certifications.all(),
            "absences": expert.absences.all(),
            "trainings": expert.trainings.all(),
        },
    )


def _own_post(
    request: HttpRequest, form_class: type[forms.Form], call: Callable[..., object], done: str
) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    expert = _own_expert(request)
    if expert is None:
        raise PermissionDenied
    form = form_class(request.POST, request.FILES)
    return _act(request, form, lambda d: call(expert, d), done, "roster:me")


@require_POST
def me_profile(request: HttpRequest) -> HttpResponse:
    return _own_post(
        request,
        f.ProfileForm,
        lambda e, d: services.profile_update(actor=request.user, expert=e, **d),
        _("Profile saved."),
    )


@require_POST
def me_skill(request: HttpRequest) -> HttpResponse:
    return _own_post(
        request,
        f.SkillForm,
        lambda e, d: services.skill_set(
            actor=request.user, expert=e, skill=d["skill"], level=d["level"]
        ),
        _("Skills saved."),
    )


@require_POST
def me_language(request: HttpRequest) -> HttpResponse:
    return _own_post(
        request,
        f.LanguageForm,
        lambda e, d: services.language_set(actor=request.user, expert=e, **d),
        _("Languages saved."),
    )


@require_POST
def me_absence(request: HttpRequest) -> HttpResponse:
    return _own_post(
        request,
        f.AbsenceForm,
        lambda e, d: services.absence_add(actor=request.user, expert=e, **d),
        _("Absence recorded."),
    )


@require_POST
def me_certification(request: HttpRequest) -> HttpResponse:
    return _own_post(
        request,
        f.CertificationForm,
        lambda e, d: services.certification_add(actor=request.user, expert=e, **d),
        _("Certification added."),
    )


@require_POST
def me_leave(request: HttpRequest) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    expert = _own_expert(request)
    if expert is None:
        raise PermissionDenied
    services.leave_request(actor=request.user, expert=expert)
    messages.success(
        request,
        _("You have left the roster. Your data will be anonymised after %(days)s days.")
        % {"days": services.retention_days()},
    )
    return redirect("roster:me")


@require_GET
def me_export(request: HttpRequest) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    expert = _own_expert(request)
    if expert is None:
        raise Http404
    data = selectors.own_data(request.user, expert)
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    out = HttpResponse(body, content_type="application/json; charset=utf-8")
    out["Content-Disposition"] = 'attachment; filename="my-roster-data.json"'
    out["X-Content-Type-Options"] = "nosniff"
    out["Cache-Control"] = "private, no-store"
    return out


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    expert = services.invitation_find(token)
    if expert is None:
        return render(request, "roster/invitation.html", {"invalid": True}, status=404)
    form = f.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.invitation_accept(
                actor=request.user,
                token=token,
                consent=form.cleaned_data["consent"],
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            if not request.user.is_authenticated and accepted.user is not None:
                login(request, accepted.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to the roster. Please complete your profile."))
            return redirect("roster:me")
    return render(request, "roster/invitation.html", {"expert": expert, "form": form})


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str, choice: str) -> HttpResponse:
    """The one-click answer: the link in the alert opens this page with the answer chosen;
    one button confirms it (a GET never changes anything: mail scanners open links)."""
    found = services.response_for_token(token)
    if found is None or choice not in {"available", "unavailable"}:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.answer_alert(token=token, answer=choice)
        except ApplicationError as exc:
            error = exc.message
        else:
            return render(request, "roster/answered.html", {"choice": choice}, status=200)
    return render(
        request,
        "roster/answer.html",
        {
            "response": found,
            "summary": services.alert_summary(found.mission),
            "choice": choice,
            "expired": timezone.now() > found.alert.deadline,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The assignment's dates as an iCalendar file: the expert's own only."""
    if (response := _signed_in(request)) is not None:
        return response
    item = Assignment.objects.filter(
        pk=pk, expert__user_id=int(request.user.pk or 0)
    ).select_related("mission")
    assignment = item.first()
    if assignment is None:
        raise Http404
    mission = assignment.mission
    text = assignment_ics(
        uid=f"roster-assignment-{assignment.pk}@cicte",
        summary=_("CICTE expert mission: %s") % mission.title,
        start=assignment.start,
        end=assignment.end,
        description=_("Role: %s") % assignment.role,
        stamp=timezone.now(),
    )
    out = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    out["Content-Disposition"] = f'attachment; filename="assignment-{assignment.pk}.ics"'
    out["X-Content-Type-Options"] = "nosniff"
    out["Cache-Control"] = "private, no-store"
    return out


def _file_response(handle: Any, name: str, content_type: str) -> HttpResponse:
    out = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    out["X-Content-Type-Options"] = "nosniff"
    out["Cache-Control"] = "private, no-store"
    return out  # type: ignore[return-value]


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A ToR or NDA: Secretariat staff and the assigned expert."""
    if (response := _signed_in(request)) is not None:
        return response
    doc = AssignmentDocument.objects.filter(
        pk=pk, assignment__in=Assignment.objects.visible_to(request.user)
    ).first()
    if doc is None:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _file_response(handle, doc.original_name, doc.content_type)


@require_GET
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A certification's evidence: the expert and vetted roster managers."""
    if (response := _signed_in(request)) is not None:
        return response
    cert = Certification.objects.filter(pk=pk).select_related("expert").first()
    if (
        cert is None
        or not cert.evidence
        or not permissions.can_see_sensitive(request.user, cert.expert)
    ):
        raise Http404
    try:
        handle = cert.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _file_response(handle, cert.evidence_name, cert.evidence_type)


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """A mission report: its named officials and its author only (TLP:RED)."""
    found = MissionReport.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "roster/report.html", {"report": found})


# ---- the point of contact's area --------------------------------------------------------


def _state(request: HttpRequest) -> Any:
    state = roles.chosen_member_state(request.user, request.GET.get("state"))
    if state is None:
        raise PermissionDenied
    return state


@require_GET
@table_downloads
def poc(request: HttpRequest) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    state = _state(request)
    nominees = Expert.objects.visible_to(request.user).filter(nominating_state=state)
    missions = (
        Mission.objects.visible_to(request.user)
        .filter(request__member_state=state)
        .select_related("request")
    )
    teams = {
        m.pk: selectors.proposed_team(request.user, m)
        for m in missions
        if m.status != MissionStatus.OPEN
    }
    return render(
        request,
        "roster/poc.html",
        {
            "state": state,
            "nominees": privacy.expert_views(request.user, list(nominees), path="page"),
            "releases": selectors.pending_releases(request.user),
            "missions": [(m, teams.get(m.pk, [])) for m in missions],
            "requests": AssistanceRequest.objects.visible_to(request.user)
            .filter(member_state=state, expert_support__isnull=False)
            .order_by("-submitted_at"),
            "nominate_form": f.NominateForm(),
            "request_form": f.SupportRequestForm(
                initial={
                    "contact_name": getattr(request.user, "get_full_name", str)(),
                    "contact_email": getattr(request.user, "email", ""),
                }
            ),
        },
    )


@require_POST
def poc_nominate(request: HttpRequest) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    state = _state(request)
    return _act(
        request,
        f.NominateForm(request.POST),
        lambda d: services.expert_nominate(actor=request.user, member_state=state, **d),
        _("Nominated: an invitation is on its way."),
        "roster:poc",
    )


@require_POST
def poc_request(request: HttpRequest) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    state = _state(request)
    return _act(
        request,
        f.SupportRequestForm(request.POST),
        lambda d: services.support_request(actor=request.user, member_state=state, **d),
        _("Your request for expert support was sent to the Secretariat."),
        "roster:poc",
    )


@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    found = Response.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.release_decide(actor=request.user, response=found, approve=approve)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Release approved.") if approve else _("Release refused."))
    if roles.is_secretariat(request.user):
        return redirect("workspace:roster-mission", found.mission_id)
    return redirect("roster:poc")


@require_POST
def team_accept(request: HttpRequest, pk: int) -> HttpResponse:
    if (response := _signed_in(request)) is not None:
        return response
    mission = Mission.objects.visible_to(request.user).filter(pk=pk).first()
    if mission is None:
        raise Http404
    try:
        services.team_accept(actor=request.user, mission=mission)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You accepted the proposed team."))
    return redirect("roster:poc")


# ---- the staff workspace ----------------------------------------------------------------


@workspace_required
@require_GET
@table_downloads
def workspace(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    experts = selectors.search_experts(request.user, query)
    views = privacy.expert_views(request.user, list(experts[:200]), path="search")
    return render(
        request,
        "roster/workspace.html",
        {
            "experts": views,
            "query": query,
            "stats": selectors.roster_stats(),
            "partner_form": f.PartnerNominateForm(),
        },
    )


@workspace_required
@require_POST
def partner_nominate(request: HttpRequest) -> HttpResponse:
    """A partner organisation's nominee, recorded by staff; the nominee is invited."""
    return _act(
        request,
        f.PartnerNominateForm(request.POST),
        lambda d: services.expert_nominate(actor=request.user, **d),
        _("Nominated: an invitation is on its way."),
        "workspace:roster",
    )


@workspace_required
@require_GET
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = Expert.objects.visible_to(request.user).filter(pk=pk).first()
    if expert is None:
        raise Http404
    return render(
        request,
        "roster/expert.html",
        {
            "expert": expert,
            "view": privacy.expert_view(request.user, expert, path="page"),
            "trainings": expert.trainings.all(),
            "certifications": expert.certifications.all(),
            "vet_form": f.VetForm(initial={"category": expert.vetting_category}),
            "training_form": f.TrainingForm(),
            "is_manager": permissions.is_roster_manager(request.user),
        },
    )


def _expert_or_404(request: HttpRequest, pk: int) -> Expert:
    expert = Expert.objects.visible_to(request.user).filter(pk=pk).first()
    if expert is None:
        raise Http404
    return expert


@workspace_required
@require_POST
def vet(request: HttpRequest, pk: int) -> HttpResponse:
    expert = _expert_or_404(request, pk)
    return _act(
        request,
        f.VetForm(request.POST),
        lambda d: services.expert_vet(actor=request.user, expert=expert, **d),
        _("Vetting recorded."),
        "workspace:roster-expert",
        pk,
    )


@workspace_required
@require_POST
def training_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = _expert_or_404(request, pk)
    return _act(
        request,
        f.TrainingForm(request.POST),
        lambda d: services.training_record(actor=request.user, expert=expert, **d),
        _("Training recorded."),
        "workspace:roster-expert",
        pk,
    )


@workspace_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The roster as CSV or XLSX (formula-safe); sensitive columns for roster managers only."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    experts = selectors.search_experts(request.user, request.GET.get("q", ""))
    rows = selectors.export_rows(request.user, experts)
    if fmt == "csv":
        body = exports.csv_bytes(selectors.EXPORT_HEADER, rows)
        content_type = "text/csv; charset=utf-8"
    else:
        sheet = exports.Sheet(
            title="Roster",
            columns=[exports.Column(h) for h in selectors.EXPORT_HEADER],
            rows=rows,
        )
        body = exports.xlsx_bytes([sheet])
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    out = HttpResponse(body, content_type=content_type)
    out["Content-Disposition"] = f'attachment; filename="roster.{fmt}"'
    out["X-Content-Type-Options"] = "nosniff"
    out["Cache-Control"] = "private, no-store"
    return out


@workspace_required
@require_GET
def missions(request: HttpRequest) -> HttpResponse:
    waiting = (
        SupportRequest.objects.filter(request__roster_missions__isnull=True)
        .select_related("request__member_state")
        .order_by("-request__submitted_at")
    )
    return render(
        request,
        "roster/missions.html",
        {
            "missions": Mission.objects.visible_to(request.user).select_related(
                "request__member_state"
            ),
            "waiting": waiting,
        },
    )


@workspace_required
@require_GET
@table_downloads
def reports(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "roster/reports.html",
        {"missions": selectors.missions_report(), "stats": selectors.roster_stats()},
    )


def _targets() -> Any:
    return Target.objects.select_related("project").order_by(
        "-project__program__work_area__plan__year", "code"
    )


@workspace_required
@require_http_methods(["GET", "POST"])
def mission_new(request: HttpRequest, request_pk: int) -> HttpResponse:
    found = AssistanceRequest.objects.visible_to(request.user).filter(pk=request_pk).first()
    if found is None:
        raise Http404
    targets = _targets()
    default = found.target or targets.filter(project__code="3.A.9").first()
    form = f.MissionForm(
        request.POST or None,
        targets=targets,
        initial={
            "title": found.title,
            "start": found.preferred_start,
            "end": found.preferred_end,
            "target": default.pk if default else None,
            "exclude_same_nationality": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mission = services.mission_open(
                actor=request.user,
                request=found,
                title=data["title"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                target=data["target"],
                skills=list(data["skills"]),
                languages=data["languages"].split(","),
                remote=data["remote"],
                place=data["place"],
                exclude_same_nationality=data["exclude_same_nationality"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Mission opened."))
            return redirect("workspace:roster-mission", mission.pk)
    return render(request, "roster/mission_new.html", {"form": form, "request_obj": found})


def _mission_or_404(request: HttpRequest, pk: int) -> Mission:
    mission = Mission.objects.visible_to(request.user).filter(pk=pk).first()
    if mission is None:
        raise Http404
    return mission


@workspace_required
@require_GET
@table_downloads
def mission(request: HttpRequest, pk: int) -> HttpResponse:
    found = _mission_or_404(request, pk)
    ranked = candidates(found, now=timezone.now())
    assignments = found.assignments.select_related("expert").prefetch_related("documents")
    return render(
        request,
        "roster/mission.html",
        {
            "mission": found,
            "candidates": ranked,
            "responses": found.responses.select_related("expert", "alert").order_by(
                "-score", "expert__name"
            ),
            "assignments": assignments,
            "reports": selectors.reports_for(request.user, found),
            "report_count": found.reports.count(),
            "alert_form": f.AlertForm(),
            "select_form": f.SelectForm(),
            "document_form": f.DocumentForm(),
            "report_form": f.ReportForm(readers=services.report_readers(found)),
            "close_form": f.CloseAssignmentForm(),
            "is_manager": permissions.is_roster_manager(request.user),
            "team": selectors.proposed_team(request.user, found),
        },
    )


@workspace_required
@require_POST
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    found = _mission_or_404(request, pk)
    ids = [int(x) for x in request.POST.getlist("experts") if x.isdigit()]
    chosen = list(Expert.objects.filter(pk__in=ids).prefetch_related("absences", "assignments"))
    form = f.AlertForm(request.POST)

    def call(d: dict[str, Any]) -> object:
        deadline = d["deadline"]
        if timezone.is_naive(deadline):
            deadline = timezone.make_aware(deadline, timezone.get_fixed_timezone(0))
        return services.alert_send(
            actor=request.user,
            mission=found,
            experts=chosen,
            deadline=deadline,
            message=d["message"],
        )

    return _act(request, form, call, _("Alert sent."), "workspace:roster-mission", pk)


def _response_or_404(request: HttpRequest, pk: int) -> Response:
    found = (
        Response.objects.visible_to(request.user).filter(pk=pk).select_related("mission").first()
    )
    if found is None:
        raise Http404
    return found


@workspace_required
@require_POST
def select(request: HttpRequest, pk: int) -> HttpResponse:
    found = _response_or_404(request, pk)
    return _act(
        request,
        f.SelectForm(request.POST),
        lambda d: services.select(actor=request.user, response=found, role=d["role"]),
        _("Expert selected."),
        "workspace:roster-mission",
        found.mission_id,
    )


def _mission_step(
    request: HttpRequest, pk: int, call: Callable[[Mission], object], done: str
) -> HttpResponse:
    found = _mission_or_404(request, pk)
    try:
        call(found)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("workspace:roster-mission", pk)


@workspace_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_step(
        request,
        pk,
        lambda m: services.team_propose(actor=request.user, mission=m),
        _("Team proposed to the requesting state."),
    )


@workspace_required
@require_POST
def deploy(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_step(
        request,
        pk,
        lambda m: services.mission_deploy(actor=request.user, mission=m),
        _("Team deployed."),
    )


@workspace_required
@require_POST
def mission_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_step(
        request,
        pk,
        lambda m: services.mission_close(actor=request.user, mission=m),
        _("Mission closed and recorded as a held technical-assistance mission."),
    )


@workspace_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = Assignment.objects.visible_to(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return _act(
        request,
        f.DocumentForm(request.POST, request.FILES),
        lambda d: services.assignment_document_add(
            actor=request.user, assignment=item, kind=d["kind"], upload=d["file"]
        ),
        _("Document added."),
        "workspace:roster-mission",
        item.mission_id,
    )


@workspace_required
@require_POST
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _mission_or_404(request, pk)
    form = f.ReportForm(request.POST, readers=services.report_readers(found))
    people = get_user_model().objects.filter(pk__in=request.POST.getlist("people"))
    return _act(
        request,
        form,
        lambda d: services.report_submit(
            actor=request.user, mission=found, title=d["title"], body=d["body"], people=list(people)
        ),
        _("Report submitted to the named officials (TLP:RED)."),
        "workspace:roster-mission",
        pk,
    )


@workspace_required
@require_POST
def assignment_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = (
        Assignment.objects.visible_to(request.user).filter(pk=pk).select_related("mission").first()
    )
    if item is None:
        raise Http404
    return _act(
        request,
        f.CloseAssignmentForm(request.POST),
        lambda d: services.assignment_close(actor=request.user, assignment=item, **d),
        _("Assignment closed with its appraisal."),
        "workspace:roster-mission",
        item.mission_id,
    )
