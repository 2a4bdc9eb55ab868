"""Exercise pages (thin: parse, call a service or selector, render).

Every exercise read goes through ``selectors`` (``visible_to``); a page a role may not use
answers 404, the same as a page that does not exist. Live pages poll with htmx (the partial
``#live`` every 10 seconds) and keep a plain "Refresh" link, so they work without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cicte.core.errors import ApplicationError
from cicte.core.tables import table_downloads
from cicte.delivery import permissions as delivery_permissions
from cicte.delivery.models import Event, EventKind
from cicte.exercises import calendar as feeds
from cicte.exercises import (
    documents,
    exporting,
    extensions,
    forms,
    permissions,
    selectors,
    services,
)
from cicte.exercises.models import (
    AfterActionReport,
    Capability,
    CriticalTask,
    Exercise,
    ExerciseStatus,
    ExternalParticipant,
    Inject,
    Membership,
    MselUpload,
    Objective,
    Rating,
    ReportStatus,
)
from cicte.exercises.parsing import msel as msel_parser
from cicte.exercises.permissions import ExternalActor
from cicte.plan.models import Target

POLL_SECONDS = 10


def _exercise(request: HttpRequest, pk: int) -> Exercise:
    exercise = selectors.exercise_get(actor=request.user, pk=pk)
    if exercise is None:
        raise Http404
    return exercise


def _need(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _run(request: HttpRequest, call: Callable[[], Any], success: str) -> Any:
    try:
        result = call()
    except ApplicationError as exc:
        messages.error(
            request, " ".join([exc.message, *[str(d) for d in exc.details[:1] if not exc.message]])
        )
        return None
    messages.success(request, success)
    return result if result is not None else True


def _invalid_form(request: HttpRequest, form: Any) -> None:
    errors = [
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(e)}".lstrip(": ")
        for name, e in form.errors.items()
    ]
    messages.error(request, _("Check the form: %(errors)s") % {"errors": "; ".join(errors)})


def _context(request: HttpRequest, exercise: Exercise, **extra: Any) -> dict[str, Any]:
    actor = request.user
    held = permissions.roles_in(actor, exercise)
    return {
        "exercise": exercise,
        "my_roles": sorted(held),
        "can": {
            "manage": permissions.can_manage_roles(actor, exercise),
            "design": permissions.can_design(actor, exercise),
            "msel": permissions.can_see_msel(actor, exercise),
            "control": permissions.can_control(actor, exercise),
            "evaluate": permissions.can_evaluate(actor, exercise),
            "hotwash": permissions.can_write_hotwash(actor, exercise),
            "play": permissions.can_play(actor, exercise)
            or permissions.ExerciseRole.OBSERVER in held,
            "report": selectors.report_for(actor=actor, exercise=exercise) is not None
            or permissions.can_edit_report(actor, exercise),
        },
        "poll_seconds": POLL_SECONDS,
        **extra,
    }


# --- list, create, overview ----------------------------------------------------------------


@login_required
@table_downloads
def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    return render(
        request,
        "exercises/index.html",
        {
            "exercises": selectors.exercise_list(actor=request.user, q=q),
            "injects": selectors.inject_search(actor=request.user, q=q) if q else [],
            "q": q,
            "can_create": delivery_permissions.can_record_events(request.user),
            "calendar_url": reverse("exercises:calendar", args=[feeds.feed_token(request.user)]),
        },
    )


def _free_events(user: Any) -> list[Event]:
    return [
        e
        for e in Event.objects.visible_to(user)
        .filter(kind=EventKind.EXERCISE, exercise__isnull=True)
        .order_by("-start_date")[:200]
        if delivery_permissions.can_edit_event(user, e)
    ]


@login_required
def exercise_new(request: HttpRequest) -> HttpResponse:
    if not delivery_permissions.can_record_events(request.user):
        raise Http404
    events = _free_events(request.user)
    form = forms.ExerciseForm(request.POST or None, events=events)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = next((e for e in events if e.pk == data["event"]), None)
        target = None
        if event is None and data["target"]:
            target = (
                Target.objects.select_related("project__plan")
                .filter(code=data["target"].strip())
                .order_by("-project__plan__year")
                .first()
            )
            if target is None:
                form.add_error("target", _("No target with that code."))
        if not form.errors:
            try:
                exercise = services.exercise_create(
                    actor=request.user,
                    title=data["title"],
                    type=data["type"],
                    event=event,
                    target=target,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    scope=data["scope"],
                    scenario=data["scenario"],
                    threat=data["threat"],
                    sponsor=data["sponsor"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The exercise was created; you are its director."))
                return redirect(exercise)
    return render(request, "exercises/new.html", {"form": form})


@login_required
@table_downloads
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    actor = request.user
    context = _context(request, exercise)
    teams = list(exercise.teams.all())
    objectives = list(
        exercise.objectives.prefetch_related("capabilities", "critical_tasks__capability")
    )
    context.update(
        teams=teams,
        objectives=objectives,
        modules=list(exercise.modules.all()),
        sessions=list(exercise.sessions.visible_to(actor)) if context["my_roles"] else [],
        memberships=list(exercise.memberships.select_related("user", "team"))
        if context["can"]["manage"]
        else [],
        externals=list(exercise.externals.select_related("team"))
        if context["can"]["manage"]
        else [],
        problems=services.readiness_problems(exercise) if context["can"]["design"] else [],
        acknowledged=exercise.comchecks.filter(user_id=actor.pk or 0).exists(),
        new_link=request.session.pop(f"exercise-link-{exercise.pk}", None),
        # One page, several forms: distinct ids (auto_id) so every label names its own input.
        forms={
            "team": forms.TeamForm(auto_id="team-%s"),
            "role": forms.RoleForm(teams=teams, auto_id="role-%s"),
            "link": forms.LinkForm(teams=teams, auto_id="link-%s"),
            "objective": forms.ObjectiveForm(auto_id="objective-%s"),
            "task": forms.TaskForm(objectives=objectives, auto_id="task-%s"),
            "module": forms.ModuleForm(auto_id="module-%s"),
            "session": forms.SessionForm(auto_id="session-%s"),
        },
        languages=documents.LANGUAGES,
    )
    return render(request, "exercises/detail.html", context)


@login_required
@require_POST
def setup_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    exercise = _exercise(request, pk)
    actor = request.user
    teams = list(exercise.teams.all())
    back = redirect(exercise)
    if what == "team":
        form: Any = forms.TeamForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.team_add(actor=actor, exercise=exercise, **form.cleaned_data),
                _("The team was added."),
            )
    elif what == "role":
        form = forms.RoleForm(request.POST, teams=teams)
        if form.is_valid():
            d = form.cleaned_data
            team = next((t for t in teams if t.pk == d["team"]), None)
            _run(
                request,
                lambda: services.role_add(
                    actor=actor, exercise=exercise, user=d["username"], role=d["role"], team=team
                ),
                _("The role was assigned."),
            )
    elif what == "link":
        form = forms.LinkForm(request.POST, teams=teams)
        if form.is_valid():
            d = form.cleaned_data
            team = next((t for t in teams if t.pk == d["team"]), None)
            result = _run(
                request,
                lambda: services.external_add(
                    actor=actor,
                    exercise=exercise,
                    name=d["name"],
                    email=d["email"],
                    role=d["role"],
                    team=team,
                    send=d["send"],
                ),
                _("The participant link was made. Copy it now: it is shown only once."),
            )
            if result:
                _person, token = result
                request.session[f"exercise-link-{exercise.pk}"] = request.build_absolute_uri(
                    reverse("exercises:x", args=[token])
                )
    elif what == "objective":
        form = forms.ObjectiveForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.objective_add(actor=actor, exercise=exercise, **form.cleaned_data),
                _("The objective was added."),
            )
    elif what == "task":
        objectives = list(exercise.objectives.all())
        form = forms.TaskForm(request.POST, objectives=objectives)
        if form.is_valid():
            d = form.cleaned_data
            objective = next(o for o in objectives if o.pk == d["objective"])
            _run(
                request,
                lambda: services.critical_task_add(
                    actor=actor, objective=objective, capability=d["capability"], text=d["text"]
                ),
                _("The critical task was added."),
            )
    elif what == "module":
        form = forms.ModuleForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.module_add(actor=actor, exercise=exercise, **form.cleaned_data),
                _("The module was added."),
            )
    elif what == "session":
        form = forms.SessionForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.session_add(actor=actor, exercise=exercise, **form.cleaned_data),
                _("The session was added."),
            )
    else:
        raise Http404
    if not form.is_valid():
        _invalid_form(request, form)
    return back


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    membership = (
        Membership.objects.filter(exercise=exercise, pk=item).select_related("exercise").first()
    )
    if membership is None:
        raise Http404
    _run(
        request,
        lambda: services.role_remove(actor=request.user, membership=membership),
        _("The role was removed."),
    )
    return redirect(exercise)


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    person = (
        ExternalParticipant.objects.filter(exercise=exercise, pk=item)
        .select_related("exercise")
        .first()
    )
    if person is None:
        raise Http404
    _run(
        request,
        lambda: services.external_revoke(actor=request.user, participant=person),
        _("The link was revoked."),
    )
    return redirect(exercise)


# --- MSEL ------------------------------------------------------------------------------------


@login_required
@table_downloads
def msel(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _need(permissions.can_see_msel(request.user, exercise))
    teams = list(exercise.teams.all())
    form = forms.InjectForm(request.POST or None, teams=teams)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            chosen = [t for t in teams if t.pk in d.pop("teams")]
            if _run(
                request,
                lambda: services.inject_add(
                    actor=request.user, exercise=exercise, teams=chosen, **d
                ),
                _("The inject was added."),
            ):
                return redirect("exercises:msel", pk=exercise.pk)
        else:
            _invalid_form(request, form)
    injects = selectors.msel(actor=request.user, exercise=exercise)
    return render(
        request,
        "exercises/msel.html",
        _context(
            request,
            exercise,
            injects=injects,
            form=form,
            attachment_form=forms.AttachmentForm(
                injects=[i for i in injects if i.status == "pending"]
            ),
            max_upload=services.max_attachment_bytes(),
        ),
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a document to a pending inject (planners and controllers)."""
    exercise = _exercise(request, pk)
    _need(permissions.can_see_msel(request.user, exercise))
    injects = selectors.msel(actor=request.user, exercise=exercise)
    form = forms.AttachmentForm(request.POST, request.FILES, injects=injects)
    if not form.is_valid():
        _invalid_form(request, form)
        return redirect("exercises:msel", pk=exercise.pk)
    inject = next(i for i in injects if i.pk == form.cleaned_data["inject"])
    _run(
        request,
        lambda: services.inject_attachment_add(
            actor=request.user, inject=inject, upload=form.cleaned_data["file"]
        ),
        _("The document was attached to inject #%(n)s.") % {"n": inject.number},
    )
    return redirect("exercises:msel", pk=exercise.pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _need(permissions.can_see_msel(request.user, exercise))
    found = selectors.attachment_for(actor=request.user, pk=item)
    if found is None or found.inject.exercise_id != exercise.pk:
        raise Http404
    _run(
        request,
        lambda: services.inject_attachment_remove(actor=request.user, attachment=found),
        _("The document was removed."),
    )
    return redirect("exercises:msel", pk=exercise.pk)


def _attachment_response(actor: Any, pk: int, item: int) -> HttpResponse:
    found = selectors.attachment_for(actor=actor, pk=item)
    if found is None or found.inject.exercise_id != pk:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


@login_required
def attachment(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """An inject's document: staff always, players once the inject is released to them."""
    return _attachment_response(request.user, pk, item)


@login_required
def msel_import(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _need(permissions.can_design(request.user, exercise))
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            item = services.msel_upload(
                actor=request.user,
                exercise=exercise,
                name=upload.name or "msel.xlsx",
                data=upload.read(10 * 1024 * 1024 + 1),
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("exercises:msel-map", pk=exercise.pk, upload=item.pk)
    return render(request, "exercises/msel_import.html", _context(request, exercise, form=form))


@login_required
def msel_map(request: HttpRequest, pk: int, upload: int) -> HttpResponse:
    """The column-mapping step: each MSEL field ← a column of the sheet; mandatory fields
    without a column are flagged; an import is all or nothing, errors by row and column."""
    exercise = _exercise(request, pk)
    _need(permissions.can_design(request.user, exercise))
    item = MselUpload.objects.filter(
        pk=upload, exercise=exercise, uploaded_by_id=request.user.pk
    ).first()
    if item is None:
        raise Http404
    sheet = msel_parser.read_sheet(bytes(item.data))
    mapping = msel_parser.guess_mapping(sheet.headers)
    problems: list[str] = []
    error = ""
    if request.method == "POST":
        mapping = {}
        for spec in msel_parser.FIELDS:
            raw = request.POST.get(f"map-{spec.key}", "")
            mapping[spec.key] = (
                int(raw) if raw.isdigit() and int(raw) < len(sheet.headers) else None
            )
        try:
            injects = services.msel_import(
                actor=request.user, exercise=exercise, data=bytes(item.data), mapping=mapping
            )
        except ApplicationError as exc:
            error, problems = exc.message, [str(d) for d in exc.details if exc.code != "mapping"]
        else:
            messages.success(request, _("%(n)s injects imported.") % {"n": len(injects)})
            return redirect("exercises:msel", pk=exercise.pk)
    labels = dict(services.field_labels())
    fields = [
        {
            "key": spec.key,
            "label": labels[spec.key],
            "required": spec.required,
            "column": mapping.get(spec.key),
            "missing": spec.required and mapping.get(spec.key) is None,
        }
        for spec in msel_parser.FIELDS
    ]
    return render(
        request,
        "exercises/msel_map.html",
        _context(
            request,
            exercise,
            upload=item,
            headers=list(enumerate(sheet.headers)),
            preview=[values for _n, values in sheet.rows[:5]],
            rows=len(sheet.rows),
            fields=fields,
            error=error,
            problems=problems,
        ),
    )


@login_required
def msel_export(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _need(permissions.can_see_msel(request.user, exercise))
    content = exporting.msel_xlsx(selectors.msel(actor=request.user, exercise=exercise))
    return _download(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"msel-{exercise.pk}.xlsx",
    )


@login_required
@require_POST
def mark_ready(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _run(
        request,
        lambda: services.exercise_mark_ready(actor=request.user, exercise=exercise),
        _("The exercise is ready to start."),
    )
    return redirect(exercise)


@login_required
@require_POST
def comcheck(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _run(
        request,
        lambda: services.comcheck_ack(actor=request.user, exercise=exercise),
        _("Communications check acknowledged."),
    )
    return redirect(
        (request.POST.get("back") == "play" and reverse("exercises:play", args=[pk]))
        or exercise.get_absolute_url()
    )


# --- live conduct ------------------------------------------------------------------------------


def _live(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(request, f"{template}#live", context)
    return render(request, template, context)


@login_required
@table_downloads
def control(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _need(permissions.can_see_msel(request.user, exercise))
    injects = selectors.msel(actor=request.user, exercise=exercise)
    return _live(
        request,
        "exercises/control.html",
        _context(
            request,
            exercise,
            injects=injects,
            elapsed=exercise.elapsed_seconds() // 60,
            form=forms.InjectForm(teams=list(exercise.teams.all())),
            now=timezone.now(),
        ),
    )


@login_required
@require_POST
def control_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    exercise = _exercise(request, pk)
    if action == "contingency":
        teams = list(exercise.teams.all())
        form = forms.InjectForm(request.POST, teams=teams)
        if form.is_valid():
            d = form.cleaned_data
            chosen = [t for t in teams if t.pk in d.pop("teams")]
            _run(
                request,
                lambda: services.inject_add(
                    actor=request.user, exercise=exercise, teams=chosen, contingency=True, **d
                ),
                _("The contingency inject was added."),
            )
        else:
            _invalid_form(request, form)
    elif action in ("start", "pause", "resume", "end"):
        _run(
            request,
            lambda: services.exercise_control(actor=request.user, exercise=exercise, action=action),
            _("Done: %(action)s.") % {"action": action},
        )
    else:
        raise Http404
    return redirect("exercises:control", pk=exercise.pk)


@login_required
@require_POST
def inject_action(request: HttpRequest, pk: int, inject: int, action: str) -> HttpResponse:
    exercise = _exercise(request, pk)
    item = (
        Inject.objects.visible_to(request.user)
        .filter(exercise=exercise, pk=inject)
        .select_related("exercise")
        .first()
    )
    if item is None:
        raise Http404
    if action == "release":
        _run(
            request,
            lambda: services.inject_release(actor=request.user, inject=item) or None,
            _("Inject %(n)s released.") % {"n": item.number},
        )
    elif action == "skip":
        _run(
            request,
            lambda: (
                services.inject_skip(
                    actor=request.user, inject=item, reason=request.POST.get("reason", "")
                )
                or None
            ),
            _("Inject %(n)s skipped.") % {"n": item.number},
        )
    else:
        raise Http404
    return redirect("exercises:control", pk=exercise.pk)


@login_required
def play(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    held = permissions.roles_in(request.user, exercise)
    _need(bool(held & {permissions.ExerciseRole.PLAYER, permissions.ExerciseRole.OBSERVER}))
    return _live(
        request,
        "exercises/play.html",
        _context(
            request,
            exercise,
            feed=selectors.player_feed(actor=request.user, exercise=exercise),
            respond=permissions.can_play(request.user, exercise),
            acknowledged=exercise.comchecks.filter(user_id=request.user.pk or 0).exists(),
            response_form=forms.ResponseForm(),
            respond_url=lambda inject_pk: reverse("exercises:respond", args=[pk, inject_pk]),
            refresh_url=reverse("exercises:play", args=[pk]),
        ),
    )


@login_required
@require_POST
def respond(request: HttpRequest, pk: int, inject: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    item = (
        Inject.objects.visible_to(request.user)
        .filter(exercise=exercise, pk=inject)
        .select_related("exercise")
        .first()
    )
    if item is None:
        raise Http404
    _respond(request, request.user, item)
    return redirect("exercises:play", pk=exercise.pk)


def _respond(request: HttpRequest, actor: Any, inject: Inject) -> None:
    form = forms.ResponseForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.response_submit(
                actor=actor, inject=inject, text=form.cleaned_data["text"]
            ),
            _("Your response was sent."),
        )
    else:
        _invalid_form(request, form)


# --- evaluation ---------------------------------------------------------------------------------


@login_required
@table_downloads
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    actor = request.user
    _need(
        permissions.can_evaluate(actor, exercise) or permissions.can_write_hotwash(actor, exercise)
    )
    tasks = selectors.critical_tasks(exercise)
    injects = selectors.msel(actor=actor, exercise=exercise)
    from cicte.evaluations.models import Questionnaire

    return render(
        request,
        "exercises/evaluate.html",
        _context(
            request,
            exercise,
            observations=selectors.observations(actor=actor, exercise=exercise),
            notes=selectors.hotwash(actor=actor, exercise=exercise),
            observation_form=forms.ObservationForm(tasks=tasks, injects=injects, auto_id="obs-%s"),
            hotwash_form=forms.HotWashForm(auto_id="hw-%s"),
            ratings=Rating.choices,
            questionnaire=Questionnaire.objects.filter(event=exercise.event).first(),
        ),
    )


@login_required
@require_POST
def evaluate_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    exercise = _exercise(request, pk)
    actor = request.user
    if what == "observation":
        tasks = selectors.critical_tasks(exercise)
        injects = list(exercise.injects.all()) if permissions.can_see_msel(actor, exercise) else []
        form: Any = forms.ObservationForm(request.POST, tasks=tasks, injects=injects)
        if form.is_valid():
            d = form.cleaned_data
            task = CriticalTask.objects.select_related("objective").get(pk=d["critical_task"])
            inject = next((i for i in injects if i.pk == d["inject"]), None)
            _run(
                request,
                lambda: services.observation_add(
                    actor=actor,
                    exercise=exercise,
                    critical_task=task,
                    inject=inject,
                    text=d["text"],
                    rating=d["rating"],
                    strength=d["strength"],
                ),
                _("The observation was recorded."),
            )
        else:
            _invalid_form(request, form)
    elif what == "hotwash":
        form = forms.HotWashForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.hotwash_add(actor=actor, exercise=exercise, **form.cleaned_data),
                _("The note was added."),
            )
        else:
            _invalid_form(request, form)
    elif what == "feedback":
        _run(
            request,
            lambda: services.feedback_open(actor=actor, exercise=exercise) and None,
            _("The participant feedback form is open."),
        )
    else:
        raise Http404
    return redirect("exercises:evaluate", pk=exercise.pk)


# --- after-action report --------------------------------------------------------------------


@login_required
@table_downloads
def report(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    actor = request.user
    item = selectors.report_for(actor=actor, exercise=exercise)
    editable = permissions.can_edit_report(actor, exercise)
    _need(item is not None or editable)
    pairs: list[tuple[Objective, Capability, str]] = []
    if item is not None:
        current = {(r.objective_id, r.capability_id): r.rating for r in item.ratings.all()}
        for objective in exercise.objectives.prefetch_related("capabilities"):
            for capability in objective.capabilities.all():
                pairs.append(
                    (objective, capability, current.get((objective.pk, capability.pk), ""))
                )
    return render(
        request,
        "exercises/report.html",
        _context(
            request,
            exercise,
            report=item,
            editable=editable and (item is None or item.status == ReportStatus.DRAFT),
            finalize=permissions.can_finalize_report(actor, exercise),
            pairs=pairs,
            actions=list(services.actions_of(item.actions.all())) if item else [],
            form=forms.ReportForm(
                initial={
                    "overview": item.overview,
                    "strengths": item.strengths,
                    "improvements": item.improvements,
                }
                if item
                else None
            ),
            action_form=forms.ActionForm(),
            ratings=Rating.choices,
            languages=documents.LANGUAGES,
            report_links=extensions.report_links(actor, item),
        ),
    )


@login_required
@require_POST
def report_post(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    exercise = _exercise(request, pk)
    actor = request.user
    item = AfterActionReport.objects.filter(exercise=exercise).select_related("exercise").first()
    if what == "build":
        _run(
            request,
            lambda: services.report_build(actor=actor, exercise=exercise) and None,
            _("The draft was built from the observations."),
        )
        return redirect("exercises:report", pk=exercise.pk)
    if item is None or not AfterActionReport.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise Http404
    if what == "update":
        form: Any = forms.ReportForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: (
                    services.report_update(actor=actor, report=item, **form.cleaned_data) and None
                ),
                _("The report was saved."),
            )
    elif what == "rating":
        form = forms.RatingForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            objective = Objective.objects.filter(exercise=exercise, pk=d["objective"]).first()
            capability = Capability.objects.filter(pk=d["capability"]).first()
            if objective is None or capability is None:
                raise Http404
            _run(
                request,
                lambda: (
                    services.rating_set(
                        actor=actor,
                        report=item,
                        objective=objective,
                        capability=capability,
                        rating=d["rating"],
                    )
                    and None
                ),
                _("The rating was saved."),
            )
    elif what == "action":
        form = forms.ActionForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.action_add(actor=actor, report=item, **form.cleaned_data) and None,
                _("The improvement action was added."),
            )
    elif what == "finalize":
        form = None
        _run(
            request,
            lambda: services.report_finalize(actor=actor, report=item) and None,
            _("The report is final."),
        )
    else:
        raise Http404
    if form is not None and not form.is_valid():
        _invalid_form(request, form)
    return redirect("exercises:report", pk=exercise.pk)


# --- documents and exports -----------------------------------------------------------------------


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or (get_language() or "en")[:2]
    return lang if lang in documents.LANGUAGES else "en"


def _document_for(actor: Any, exercise: Exercise, doc: str, language: str) -> documents.Document:
    held = permissions.roles_in(actor, exercise)
    if doc == "sitman" and held:
        return documents.situation_manual(exercise, language=language)
    if doc == "handbook" and permissions.can_see_msel(actor, exercise):
        return documents.handbook(exercise, language=language)
    if doc in ("aar", "debrief"):
        item = AfterActionReport.objects.visible_to(actor).filter(exercise=exercise).first()
        if item is not None:
            if doc == "aar" and not isinstance(actor, ExternalActor):
                return documents.after_action_report(item, language=language)
            if doc == "debrief" and item.status == ReportStatus.FINAL:
                return documents.debrief(item, language=language)
    raise Http404


def _document_response(
    actor: Any, exercise: Exercise, doc: str, fmt: str, language: str
) -> HttpResponse:
    if fmt not in documents.FORMATS:
        raise Http404
    content = documents.render(_document_for(actor, exercise, doc, language), fmt)
    return _download(
        content,
        content_type=documents.CONTENT_TYPES[fmt],
        filename=f"exercise-{exercise.pk}-{doc}-{language}.{fmt}",
    )


@login_required
def document(request: HttpRequest, pk: int, doc: str, fmt: str) -> HttpResponse:
    exercise = _exercise(request, pk)
    return _document_response(request.user, exercise, doc, fmt, _language(request))


@login_required
def statistics(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _need(permissions.can_view_statistics(request.user, exercise))
    content = exporting.statistics_xlsx(selectors.statistics(actor=request.user, exercise=exercise))
    return _download(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"exercise-{exercise.pk}-statistics.xlsx",
    )


def calendar(request: HttpRequest, token: str) -> HttpResponse:
    user_id = feeds.feed_user_id(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Http404
    content = feeds.ics(selectors.sessions(actor=user), name=_("Exercises"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- participants without accounts ----------------------------------------------------


def _external(request: HttpRequest, token: str) -> ExternalActor | HttpResponse:
    try:
        return services.external_resolve(token)
    except ApplicationError as exc:
        return render(
            request, "exercises/link_error.html", {"message": exc.message}, status=exc.status
        )


def x_home(request: HttpRequest, token: str) -> HttpResponse:
    actor = _external(request, token)
    if isinstance(actor, HttpResponse):
        return actor
    exercise = actor.participant.exercise
    final = (
        AfterActionReport.objects.visible_to(actor)
        .filter(exercise=exercise, status=ReportStatus.FINAL)
        .exists()
    )
    context = {
        "exercise": exercise,
        "participant": actor.participant,
        "feed": selectors.player_feed(actor=actor, exercise=exercise),
        "respond": actor.participant.role == permissions.ExerciseRole.PLAYER,
        "acknowledged": exercise.comchecks.filter(external=actor.participant).exists(),
        "response_form": forms.ResponseForm(),
        "token": token,
        "final": final,
        "running": exercise.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED),
        "refresh_url": reverse("exercises:x", args=[token]),
        "poll_seconds": POLL_SECONDS,
        "languages": documents.LANGUAGES,
    }
    response = _live(request, "exercises/external.html", context)
    response["Referrer-Policy"] = "same-origin"  # the token never leaves in a Referer
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def x_comcheck(request: HttpRequest, token: str) -> HttpResponse:
    actor = _external(request, token)
    if isinstance(actor, HttpResponse):
        return actor
    _run(
        request,
        lambda: services.comcheck_ack(actor=actor, exercise=actor.participant.exercise),
        _("Communications check acknowledged."),
    )
    return redirect("exercises:x", token=token)


@require_POST
def x_respond(request: HttpRequest, token: str, inject: int) -> HttpResponse:
    actor = _external(request, token)
    if isinstance(actor, HttpResponse):
        return actor
    item = Inject.objects.visible_to(actor).filter(pk=inject).select_related("exercise").first()
    if item is None:
        raise Http404
    _respond(request, actor, item)
    return redirect("exercises:x", token=token)


def x_attachment(request: HttpRequest, token: str, item: int) -> HttpResponse:
    actor = _external(request, token)
    if isinstance(actor, HttpResponse):
        return actor
    response = _attachment_response(actor, actor.participant.exercise_id, item)
    response["Referrer-Policy"] = "same-origin"
    return response


def x_calendar(request: HttpRequest, token: str) -> HttpResponse:
    actor = _external(request, token)
    if isinstance(actor, HttpResponse):
        return actor
    content = feeds.ics(selectors.sessions(actor=actor), name=actor.participant.exercise.title)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def x_document(request: HttpRequest, token: str, doc: str, fmt: str) -> HttpResponse:
    actor = _external(request, token)
    if isinstance(actor, HttpResponse):
        return actor
    if doc not in ("sitman", "debrief"):
        raise Http404
    return _document_response(actor, actor.participant.exercise, doc, fmt, _language(request))
