"""Web pages of the knowledge base (/knowledge/). Thin: every read through the selectors
for :func:`reader` (the signed-in user, or whom an administrator views as), every write
through the services. While an administrator views as someone, every write is refused."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cicte.access.models import Membership, Role
from cicte.core.errors import ApplicationError
from cicte.core.forms_actions import apply_error, button_action, error_message
from cicte.core.tables import table_downloads
from cicte.exercises.models import AfterActionReport
from cicte.knowledge import permissions, selectors, services
from cicte.knowledge.forms import (
    AarForm,
    ApplyForm,
    ContactForm,
    DocumentForm,
    EventForm,
    LessonForm,
    MessageForm,
    ReleaseForm,
    SubscriptionForm,
    TaskForm,
    TeamForm,
    VersionForm,
    ViewAsForm,
    WorkspaceDocumentForm,
)
from cicte.knowledge.models import (
    ChecklistTask,
    Document,
    EventKind,
    HostTeamMember,
    Lesson,
    LessonStatus,
    MajorEvent,
    Subscription,
)
from cicte.sharing.markings import AudienceKind

VIEW_AS = "knowledge_view_as"


# -- view as -------------------------------------------------------------------------------


def reader(request: HttpRequest) -> Any:
    """Whose eyes the page uses: the signed-in user, or — for an administrator who chose
    "view as" — the person (or anonymous visitor) being checked."""
    chosen = request.session.get(VIEW_AS) if hasattr(request, "session") else None
    if not chosen or not permissions.can_view_as(request.user):
        return request.user
    if chosen.get("user") is None:
        return AnonymousUser()
    user = get_user_model().objects.filter(pk=chosen["user"], is_active=True).first()
    return user if user is not None else AnonymousUser()


def viewing_as(request: HttpRequest) -> str:
    chosen = request.session.get(VIEW_AS) if hasattr(request, "session") else None
    if chosen and permissions.can_view_as(request.user):
        return str(chosen.get("label", ""))
    return ""


def writes(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A write route: refused while viewing as someone (read-only)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and viewing_as(request):
            raise PermissionDenied(_("Viewing as someone else is read-only."))
        return view(request, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("viewing_as", viewing_as(request))
    context.setdefault("reader", reader(request))
    return render(request, template, context)


def _roles() -> list[tuple[str, str]]:
    return [
        ("anonymous", _("Anonymous visitor")),
        (Role.POINT_OF_CONTACT, str(Role.POINT_OF_CONTACT.label)),
        (Role.DONOR, str(Role.DONOR.label)),
        (Role.PROGRAM_MANAGER, str(Role.PROGRAM_MANAGER.label)),
        (Role.SECRETARIAT, str(Role.SECRETARIAT.label)),
        ("network", _("Member of the major-events network")),
        ("host_team", _("Member of a host team")),
    ]


def _representative(role: str) -> Any:
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    if role == "network":
        return users.filter(
            community_memberships__community__slug=permissions.COMMUNITY_SLUG,
            community_memberships__status="active",
        ).first()
    if role == "host_team":
        return users.filter(host_teams__isnull=False).first()
    ids = Membership.objects.filter(role=role).values("user_id")
    return users.filter(pk__in=ids).first()


@login_required
def view_as(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_as(request.user):
        raise PermissionDenied
    form = ViewAsForm(request.POST or None, roles=_roles())
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        role = form.cleaned_data["role"]
        viewed: Any = None
        label = ""
        if username:
            viewed = get_user_model().objects.filter(username=username, is_active=True).first()
            if viewed is None:
                form.add_error("username", _("No active user has this username."))
            label = username
        elif role == "anonymous":
            label = _("Anonymous visitor")
        elif role:
            viewed = _representative(role)
            if viewed is None:
                form.add_error("role", _("No user holds this role."))
            else:
                label = f"{dict(_roles())[role]} ({viewed.username})"
        else:
            form.add_error("username", _("Choose a person or a role."))
        if not form.errors:
            record = services.view_as_start(actor=request.user, viewed=viewed, label=label)
            request.session[VIEW_AS] = {
                "user": viewed.pk if viewed is not None else None,
                "label": label,
                "record": record.pk,
            }
            messages.info(request, _("You now see the knowledge base as %(who)s.") % {"who": label})
            return redirect("knowledge:index")
    return _page(request, "knowledge/view_as.html", {"form": form})


@require_POST
@login_required
def view_as_stop(request: HttpRequest) -> HttpResponse:
    request.session.pop(VIEW_AS, None)
    messages.info(request, _("You see the knowledge base as yourself again."))
    return redirect("knowledge:index")


# -- library and search --------------------------------------------------------------------


@require_GET
@table_downloads
def index(request: HttpRequest) -> HttpResponse:
    actor = reader(request)
    filters = selectors.Filters.from_query(request.GET)
    documents = selectors.documents(actor, filters).order_by("-published_at", "-pk")
    lessons = selectors.lessons(actor, filters).order_by("-published_at", "-pk")
    return _page(
        request,
        "knowledge/index.html",
        {
            "filters": filters,
            "documents": list(documents[:200]),
            "document_count": documents.count(),
            "lessons": list(lessons[:50]),
            "lesson_count": lessons.count(),
            "facets": selectors.facets(actor, filters),
            "event_kinds": EventKind.choices,
            "can_contribute": permissions.can_contribute(actor),
        },
    )


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    found = selectors.autocomplete(reader(request), str(request.GET.get("q", ""))[:200])
    response = JsonResponse(
        {"results": [{"title": s.title, "url": s.url, "kind": s.kind} for s in found]}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    atom = feedgenerator.Atom1Feed(
        title=_("CICTE major-events knowledge base"),
        link=request.build_absolute_uri(reverse("knowledge:index")),
        description=_("New documents and lessons learned"),
        language="en",
    )
    for item in selectors.feed_items(reader(request)):
        atom.add_item(
            title=item.title,
            link=request.build_absolute_uri(item.url),
            description=item.description[:500],
            pubdate=item.published,
            unique_id=request.build_absolute_uri(item.url),
            categories=[item.kind, item.tlp],
        )
    response = HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _document(request: HttpRequest, pk: int) -> Document:
    found = selectors.documents_for(reader(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_GET
@table_downloads
def document(request: HttpRequest, pk: int) -> HttpResponse:
    actor = reader(request)
    item = _document(request, pk)
    return _page(
        request,
        "knowledge/document.html",
        {
            "document": item,
            "versions": list(item.versions.all()),
            "related": selectors.related_documents(actor, item),
            "backlinks": selectors.backlinks(actor, item),
            "version_form": VersionForm(),
        },
    )


@require_GET
def download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = _document(request, pk)
    version = item.versions.filter(number=number).first()
    if version is None:
        raise Http404
    with version.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=version.content_type)
    response["Content-Disposition"] = f'attachment; filename="{version.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _audience_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "tlp": data["tlp"],
        "audience_kind": data["audience_kind"],
        "organisations": list(data.get("organisations") or []),
    }


@login_required
@writes
def document_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_contribute(reader(request)):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.document_create(
                actor=request.user,
                file=data["file"],
                title=data["title"],
                kind=data["kind"],
                language=data["language"],
                area=data["area"],
                country=data["country"],
                creator=data["creator"],
                subject=data["subject"],
                description=data["description"],
                publisher=data["publisher"],
                date=data["date"],
                rights=data["rights"],
                anonymous=data["anonymous"],
                **_audience_args(data),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The document was added; its text is being read."))
            return redirect(item.get_absolute_url())
    return _page(request, "knowledge/form.html", {"form": form, "title": _("Add a document")})


@require_POST
@login_required
@writes
def document_version(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add_version(
                actor=request.user,
                document=item,
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("The new version was added; the earlier ones are kept."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect(item.get_absolute_url())


# -- lessons -------------------------------------------------------------------------------


@require_GET
def lessons(request: HttpRequest) -> HttpResponse:
    actor = reader(request)
    filters = selectors.Filters.from_query(request.GET)
    rows = selectors.lessons(actor, filters).order_by("-published_at", "-pk")
    pending = []
    if permissions.can_validate_lesson(actor):
        pending = list(
            selectors.lessons_for(actor).exclude(status=LessonStatus.PUBLISHED).order_by("pk")
        )
    return _page(
        request,
        "knowledge/lessons.html",
        {
            "filters": filters,
            "lessons": list(rows[:200]),
            "count": rows.count(),
            "pending": pending,
        },
    )


def _lesson(request: HttpRequest, pk: int) -> Lesson:
    found = selectors.lessons_for(reader(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_GET
def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    actor = reader(request)
    item = _lesson(request, pk)
    events = (
        list(selectors.events_for(actor).order_by("name")[:200]) if actor.is_authenticated else []
    )
    return _page(
        request,
        "knowledge/lesson.html",
        {
            "lesson": item,
            "applications": list(item.applications.select_related("user", "event")),
            "related": selectors.related_lessons(actor, item),
            "apply_form": ApplyForm(events=events),
            "can_validate": permissions.can_validate_lesson(actor),
        },
    )


@login_required
@writes
def lesson_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    source = None
    document_id = str(request.GET.get("document", "") or request.POST.get("document", ""))
    if document_id.isdigit():
        source = _document(request, int(document_id))
    if not (
        permissions.can_contribute(actor)
        or (source is not None and source.event and permissions.is_team_member(actor, source.event))
    ):
        raise PermissionDenied
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.lesson_submit(
                actor=actor,
                title=data["title"],
                observation=data["observation"],
                discussion=data["discussion"],
                recommendation=data["recommendation"],
                area=data["area"],
                language=data["language"],
                source_document=source,
                **_audience_args(data),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The lesson was submitted; the Secretariat validates it."))
            return redirect(item.get_absolute_url())
    return _page(
        request,
        "knowledge/form.html",
        {"form": form, "title": _("Submit a lesson learned"), "source": source},
    )


def _lesson_action(
    request: HttpRequest, pk: int, call: Callable[[Lesson], Any], done: str
) -> HttpResponse:
    item = _lesson(request, pk)
    button_action(request, lambda: call(item), success=done)
    return redirect(item.get_absolute_url())


@require_POST
@login_required
@writes
def lesson_validate(request: HttpRequest, pk: int) -> HttpResponse:
    return _lesson_action(
        request,
        pk,
        lambda item: services.lesson_validate(actor=request.user, lesson=item),
        _("The lesson is validated."),
    )


@require_POST
@login_required
@writes
def lesson_publish(request: HttpRequest, pk: int) -> HttpResponse:
    tlp = request.POST.get("tlp") or None
    kind = request.POST.get("audience_kind") or None
    return _lesson_action(
        request,
        pk,
        lambda item: services.lesson_publish(
            actor=request.user, lesson=item, tlp=tlp, audience_kind=kind
        ),
        _("The lesson is published to its audience."),
    )


@require_POST
@login_required
@writes
def lesson_apply(request: HttpRequest, pk: int) -> HttpResponse:
    item = _lesson(request, pk)
    events = selectors.events_for(request.user)
    form = ApplyForm(request.POST, events=events)
    if not form.is_valid() or not form.cleaned_data["note"].strip():
        messages.error(request, _("Say how the lesson was applied."))
        return redirect(item.get_absolute_url())
    event = None
    if form.cleaned_data["event"]:
        event = events.filter(pk=form.cleaned_data["event"]).first()
    return _lesson_action(
        request,
        pk,
        lambda found: services.lesson_apply(
            actor=request.user, lesson=found, note=form.cleaned_data["note"], event=event
        ),
        _("Thank you: the lesson is marked applied."),
    )


@login_required
@writes
def release_exercise(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        AfterActionReport.objects.visible_to(request.user).select_related("exercise"),
        exercise_id=pk,
    )
    form = ReleaseForm(request.POST or None, initial={"title": report.exercise.title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.lesson_release_from_exercise(
                actor=request.user,
                report=report,
                title=data["title"],
                area=data["area"],
                language=data["language"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request, _("Released to the knowledge base: the Secretariat validates it.")
            )
            return redirect(item.get_absolute_url())
    return _page(
        request,
        "knowledge/form.html",
        {
            "form": form,
            "title": _("Release this exercise's after-action report to the knowledge base"),
        },
    )


# -- the registry --------------------------------------------------------------------------


@require_GET
@table_downloads
def events(request: HttpRequest) -> HttpResponse:
    actor = reader(request)
    filters = selectors.Filters.from_query(request.GET)
    when = str(request.GET.get("when", ""))
    when = when if when in ("upcoming", "past") else ""
    rows = selectors.events(actor, filters, when=when).order_by("-starts_on", "name")
    return _page(
        request,
        "knowledge/events.html",
        {
            "events": list(rows[:300]),
            "filters": filters,
            "when": when,
            "event_kinds": EventKind.choices,
            "can_register": actor.is_authenticated
            and (permissions.is_secretariat(actor) or bool(_my_states(actor))),
            "pending": list(rows.filter(status="submitted"))
            if permissions.can_validate_event(actor)
            else [],
        },
    )


def _my_states(actor: Any) -> list[Any]:
    from cicte.access import permissions as roles

    return roles.user_member_states(actor)


@login_required
@writes
def event_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not (permissions.is_secretariat(actor) or _my_states(actor)):
        raise PermissionDenied
    states = _my_states(actor)
    form = EventForm(
        request.POST or None, initial={"host_state": states[0].code if states else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.event_register(actor=actor, **data)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The event is registered; the Secretariat validates it."))
            return redirect(item.get_absolute_url())
    return _page(
        request, "knowledge/form.html", {"form": form, "title": _("Register a major event")}
    )


def _event(request: HttpRequest, pk: int) -> MajorEvent:
    found = selectors.events_for(reader(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_GET
def event(request: HttpRequest, pk: int) -> HttpResponse:
    actor = reader(request)
    item = _event(request, pk)
    filters = selectors.Filters(event=item.pk)
    return _page(
        request,
        "knowledge/event.html",
        {
            "event": item,
            "documents": list(selectors.documents(actor, filters)[:100]),
            "lessons": list(selectors.lessons(actor, filters)[:100]),
            "is_team": permissions.is_team_member(actor, item),
            "can_validate": permissions.can_validate_event(actor),
            "can_approve": permissions.can_approve_public(actor, item),
        },
    )


def _event_action(
    request: HttpRequest, pk: int, call: Callable[[MajorEvent], Any], done: str
) -> HttpResponse:
    item = _event(request, pk)
    button_action(request, lambda: call(item), success=done)
    return redirect(item.get_absolute_url())


@require_POST
@login_required
@writes
def event_validate(request: HttpRequest, pk: int) -> HttpResponse:
    accept = request.POST.get("decision") != "return"
    return _event_action(
        request,
        pk,
        lambda item: services.event_validate(
            actor=request.user, event=item, accept=accept, note=request.POST.get("note", "")
        ),
        _("The entry is validated.") if accept else _("The entry was returned."),
    )


@require_POST
@login_required
@writes
def event_public(request: HttpRequest, pk: int) -> HttpResponse:
    public = request.POST.get("public") == "1"
    return _event_action(
        request,
        pk,
        lambda item: services.event_set_public(actor=request.user, event=item, public=public),
        _("The entry is public.") if public else _("The entry is no longer public."),
    )


# -- the host workspace --------------------------------------------------------------------


def _workspace_event(request: HttpRequest, pk: int) -> MajorEvent:
    item = _event(request, pk)
    if not permissions.can_work_in(reader(request), item):
        raise Http404
    return item


@login_required
@table_downloads
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    item = _workspace_event(request, pk)
    actor = reader(request)
    team = list(item.team.select_related("user"))
    tasks = list(item.tasks.select_related("owner", "evidence_document"))
    documents = list(selectors.documents_for(actor).filter(event=item).order_by("-published_at"))
    forms = []
    for task in tasks:
        form = TaskForm(
            initial={
                "status": task.status,
                "owner": task.owner_id,
                "due_on": task.due_on,
                "evidence": task.evidence,
                "evidence_document": task.evidence_document_id,
            },
            prefix=f"task{task.pk}",
        )
        form.fields["owner"].widget.choices = [
            ("", "—"),
            *[(s.user_id, s.user.username) for s in team],
        ]
        form.fields["evidence_document"].widget.choices = [
            ("", "—"),
            *[(d.pk, d.title) for d in documents],
        ]
        forms.append((task, form))
    return _page(
        request,
        "knowledge/workspace.html",
        {
            "event": item,
            "team": team,
            "tasks": forms,
            "progress": selectors.checklist_progress(item),
            "documents": documents,
            "contacts": list(item.contacts.all()),
            "messages_list": list(item.messages.select_related("author")),
            "team_form": TeamForm(),
            "contact_form": ContactForm(),
            "message_form": MessageForm(),
            "document_form": WorkspaceDocumentForm(),
            "can_manage": permissions.can_manage_team(actor, item),
            "is_over": not item.is_upcoming,
        },
    )


def _workspace_post(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    call: Callable[[MajorEvent, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    item = _event(request, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    else:
        try:
            call(item, form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, done)
    return redirect("knowledge:workspace", item.pk)


@require_POST
@login_required
@writes
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(item: MajorEvent, data: dict[str, Any]) -> Any:
        user = get_user_model().objects.filter(username=data["username"].strip()).first()
        return services.team_add(actor=request.user, event=item, user=user, role=data["role"])

    return _workspace_post(request, pk, TeamForm, call, _("The host team is updated."))


@require_POST
@login_required
@writes
def team_remove(request: HttpRequest, pk: int, seat: int) -> HttpResponse:
    item = _event(request, pk)
    found = get_object_or_404(HostTeamMember, pk=seat, event=item)
    try:
        services.team_remove(actor=request.user, seat=found)
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    return redirect("knowledge:workspace", item.pk)


@require_POST
@login_required
@writes
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _workspace_post(
        request,
        pk,
        ContactForm,
        lambda item, data: services.contact_add(actor=request.user, event=item, **data),
        _("The contact is added."),
    )


@require_POST
@login_required
@writes
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    return _workspace_post(
        request,
        pk,
        MessageForm,
        lambda item, data: services.message_post(actor=request.user, event=item, body=data["body"]),
        _("The message is posted."),
    )


@require_POST
@login_required
@writes
def checklist_copy(request: HttpRequest, pk: int) -> HttpResponse:
    item = _event(request, pk)
    try:
        count = services.checklist_copy(actor=request.user, event=item)
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("%(n)s checklist items copied.") % {"n": count})
    return redirect("knowledge:workspace", item.pk)


@require_POST
@login_required
@writes
def workspace_document(request: HttpRequest, pk: int) -> HttpResponse:
    return _workspace_post(
        request,
        pk,
        WorkspaceDocumentForm,
        lambda item, data: services.document_create(
            actor=request.user, event=item, host_team_only=True, **data
        ),
        _("The document is in the workspace (the host team only)."),
    )


@require_POST
@login_required
@writes
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(ChecklistTask.objects.select_related("event"), pk=pk)
    if not permissions.can_work_in(request.user, task.event):
        raise Http404
    form = TaskForm(request.POST, prefix=f"task{task.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("knowledge:workspace", task.event_id)
    data = form.cleaned_data
    owner = get_user_model().objects.filter(pk=data["owner"]).first() if data["owner"] else None
    evidence_document = (
        selectors.documents_for(request.user).filter(pk=data["evidence_document"]).first()
        if data["evidence_document"]
        else None
    )
    try:
        services.task_update(
            actor=request.user,
            task=task,
            status=data["status"],
            owner=owner,
            due_on=data["due_on"],
            evidence=data["evidence"],
            evidence_document=evidence_document,
        )
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("The checklist item is updated."))
    return redirect(reverse("knowledge:workspace", args=[task.event_id]) + f"#task-{task.pk}")


@login_required
@writes
def aar_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _workspace_event(request, pk)
    form = AarForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_item = services.aar_publish(
                actor=request.user,
                event=item,
                file=data["file"],
                title=data["title"],
                language=data["language"],
                description=data["description"],
                tlp=data["tlp"],
                audience_kind=AudienceKind.PUBLIC
                if data["tlp"] == "clear"
                else AudienceKind.COMMUNITY,
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The sanitised after-action report is published."))
            return redirect(document_item.get_absolute_url())
    return _page(
        request,
        "knowledge/form.html",
        {"form": form, "title": _("Publish the sanitised after-action report"), "event": item},
    )


# -- subscriptions -------------------------------------------------------------------------


@login_required
@writes
def subscriptions(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_add(
                actor=request.user,
                event_kind=form.cleaned_data["event_kind"],
                country=form.cleaned_data["country"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("You follow it: a daily digest lists what is new."))
            return redirect("knowledge:subscriptions")
    owner: Any = request.user.pk
    rows = Subscription.objects.filter(user_id=owner).select_related("country")
    return _page(request, "knowledge/subscriptions.html", {"form": form, "subscriptions": rows})


@require_POST
@login_required
@writes
def subscription_remove(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Subscription, pk=pk, user_id=request.user.pk)
    services.subscription_remove(actor=request.user, subscription=found)
    messages.success(request, _("You no longer follow it."))
    return redirect("knowledge:subscriptions")
