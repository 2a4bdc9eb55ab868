"""Evaluation pages in the workspace and the public participant questionnaire."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from cicte.access.permissions import workspace_required
from cicte.core.errors import ApplicationError
from cicte.core.forms_actions import form_action
from cicte.core.redirects import safe_next
from cicte.core.tables import table_downloads
from cicte.core.versioning import version_of
from cicte.delivery.models import Event
from cicte.evaluations import forms, selectors, services
from cicte.evaluations.forms import (
    EvaluationForm,
    FeedbackScopeForm,
    RecommendationForm,
    RecommendationStatusForm,
    ResponseForm,
)
from cicte.evaluations.models import (
    Evaluation,
    EvaluationKind,
    Questionnaire,
    Rating,
    Recommendation,
    RecommendationStatus,
)
from cicte.evaluations.services import EvaluationErrorCode

COOKIE_PREFIX = "cicte_feedback_"
COOKIE_SALT = "cicte.evaluations.answered"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


@workspace_required
@table_downloads
def evaluation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    if kind not in EvaluationKind.values:
        kind = None
    return render(
        request,
        "evaluations/list.html",
        {
            "evaluations": selectors.evaluation_list(kind=kind),
            "kinds": EvaluationKind.choices,
            "kind": kind or "",
            "scale": Rating.choices,
        },
    )


@workspace_required
def evaluation_new(request: HttpRequest) -> HttpResponse:
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)  # a new evaluation has no version yet
        try:
            item = services.evaluation_create(actor=request.user, **data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The evaluation was recorded."))
            return redirect(item)
    return render(request, "evaluations/form.html", {"form": form, "scale": Rating.choices})


@workspace_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Evaluation.objects.select_related("project", "event"), pk=pk)
    initial = {
        "kind": item.kind,
        "project": item.project,
        "event": item.event,
        "date": item.date,
        "evaluator": item.evaluator,
        "rating": item.rating,
        "findings": item.findings,
        "version": version_of(item),
    }
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evaluation_update(
                actor=request.user, evaluation=item, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The evaluation was updated."))
            return redirect(item)
    return render(
        request,
        "evaluations/form.html",
        {"form": form, "scale": Rating.choices, "evaluation": item},
    )


@workspace_required
@table_downloads
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Evaluation.objects.select_related("project", "event", "created_by"), pk=pk
    )
    recommendations = item.recommendations.select_related("owner").order_by("due_date", "id")
    return render(
        request,
        "evaluations/detail.html",
        {
            "evaluation": item,
            "recommendations": recommendations,
            "followed_up": selectors.recommendations_followed_up(evaluation=item),
            "form": RecommendationForm(),
            "status_form": RecommendationStatusForm(),
            "statuses": RecommendationStatus.choices,
        },
    )


@workspace_required
@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Evaluation, pk=pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_add(actor=request.user, evaluation=item, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The recommendation was added."))
    else:
        messages.error(request, _("Write the recommendation; check the due date."))
    return redirect(item)


@workspace_required
@table_downloads
def recommendation_tracker(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in RecommendationStatus.values:
        status = None
    return render(
        request,
        "evaluations/recommendations.html",
        {
            "recommendations": selectors.recommendation_tracker(status=status),
            "statuses": RecommendationStatus.choices,
            "status": status or "",
            "past_due_ids": {r.pk for r in selectors.recommendations_past_due()},
        },
    )


@workspace_required
@require_POST
def recommendation_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Recommendation.objects.select_related("evaluation"), pk=pk)
    form_action(
        request,
        RecommendationStatusForm(request.POST),
        lambda data: services.recommendation_set_status(
            actor=request.user, recommendation=item, status=data["status"], note=data["note"]
        ),
        success=_("The recommendation was updated."),
        invalid=_("Choose a status."),
    )
    return redirect(safe_next(request, item.evaluation.get_absolute_url()))


@workspace_required
@table_downloads
def feedback(request: HttpRequest) -> HttpResponse:
    """Questionnaires and aggregated results for an event, a project or a program."""
    scope = FeedbackScopeForm(request.GET or None)
    results = []
    if scope.is_valid():
        if scope.cleaned_data.get("event"):
            event = scope.cleaned_data["event"]
            results.append((_("Event"), str(event), selectors.feedback_for_event(event=event)))
        if scope.cleaned_data.get("project"):
            project = scope.cleaned_data["project"]
            results.append(
                (_("Project"), str(project), selectors.feedback_for_project(project=project))
            )
        if scope.cleaned_data.get("program"):
            program = scope.cleaned_data["program"]
            results.append(
                (_("Program"), str(program), selectors.feedback_for_program(program=program))
            )
    questionnaires = Questionnaire.objects.select_related("event").order_by("-event__start_date")[
        : forms.RECENT_EVENT_CHOICES
    ]
    return render(
        request,
        "evaluations/feedback.html",
        {
            "scope": scope,
            "results": results,
            "questionnaires": questionnaires,
            "events": Event.objects.filter(questionnaire__isnull=True).order_by(
                "-start_date", "-id"
            )[: forms.RECENT_EVENT_CHOICES],
        },
    )


@workspace_required
@require_POST
def questionnaire_toggle(request: HttpRequest) -> HttpResponse:
    event = Event.objects.filter(pk=request.POST.get("event") or 0).first()
    if event is None:
        messages.error(request, _("Choose an event."))
        return redirect("workspace:evaluations-feedback")
    try:
        if request.POST.get("action") == "close":
            questionnaire = get_object_or_404(Questionnaire, event=event)
            services.questionnaire_close(actor=request.user, questionnaire=questionnaire)
            messages.success(request, _("The questionnaire is closed."))
        else:
            services.questionnaire_open(actor=request.user, event=event)
            messages.success(request, _("The questionnaire is open; share its link."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("workspace:evaluations-feedback")


# ---- public questionnaire ---------------------------------------------------------------


def _cookie_name(questionnaire: Questionnaire) -> str:
    return f"{COOKIE_PREFIX}{questionnaire.pk}"


def _answered_here(request: HttpRequest, questionnaire: Questionnaire) -> bool:
    value = request.get_signed_cookie(
        _cookie_name(questionnaire), default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    return value == questionnaire.token[:8]


@csrf_protect
def questionnaire_form(request: HttpRequest, token: str) -> HttpResponse:
    """No account needed. One answer per browser: a signed cookie marks the browser after it
    answers, and each form carries a signed one-time response code so that the same form
    cannot be submitted twice (double click, back button, replay) even without cookies."""
    questionnaire = Questionnaire.objects.select_related("event").filter(token=token).first()
    if questionnaire is None:
        raise Http404
    context: dict[str, object] = {"questionnaire": questionnaire, "event": questionnaire.event}
    if not questionnaire.is_open:
        context["notice"] = _("This questionnaire is closed and no longer accepts answers.")
        return render(request, "evaluations/questionnaire.html", context, status=410)
    if _answered_here(request, questionnaire):
        context["notice"] = _("You have already answered this questionnaire. Thank you!")
        return render(request, "evaluations/questionnaire.html", context, status=409)
    if request.method == "POST":
        form = ResponseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.response_submit(
                    questionnaire=questionnaire,
                    code=data["code"],
                    satisfaction=data["satisfaction"],
                    relevance=data["relevance"],
                    knowledge_before=data["knowledge_before"],
                    knowledge_after=data["knowledge_after"],
                    comment=data["comment"],
                )
            except ApplicationError as exc:
                context["notice"] = exc.message
                statuses: dict[str, int] = {
                    EvaluationErrorCode.QUESTIONNAIRE_CLOSED: 410,
                    EvaluationErrorCode.ALREADY_ANSWERED: 409,
                }
                status = statuses.get(exc.code, 400)
                return render(request, "evaluations/questionnaire.html", context, status=status)
            context["thanks"] = True
            response = render(request, "evaluations/questionnaire.html", context)
            response.set_signed_cookie(
                _cookie_name(questionnaire),
                questionnaire.token[:8],
                salt=COOKIE_SALT,
                max_age=COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    else:
        form = ResponseForm(
            initial={"code": services.response_code_issue(questionnaire=questionnaire)}
        )
    context["form"] = form
    return render(request, "evaluations/questionnaire.html", context)
