"""Forum pages (the member area, /forum/) and the administrators' existence list
(/workspace/forum/). Thin: reads through :mod:`cicte.forum.selectors` (``visible_to``),
writes through the services; an item the reader may not see is a 404, never a 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cicte.access.permissions import administrator_required
from cicte.core.errors import ApplicationError
from cicte.core.forms_actions import apply_error, error_message
from cicte.core.tables import table_downloads
from cicte.forum import exports, selectors, services
from cicte.forum.forms import (
    JoinForm,
    ModerateForm,
    OrganisationForm,
    PreferenceForm,
    PublishForm,
    ReasonForm,
    ReleaseForm,
    ReplyForm,
    ReshareDecisionForm,
    ReshareForm,
    SubmissionForm,
    ThreadForm,
)
from cicte.forum.models import (
    Attachment,
    NotificationPreference,
    Post,
    Submission,
    SubmissionStatus,
    Thread,
    ThreadKind,
)
from cicte.forum.permissions import can_moderate, can_reply, is_originator
from cicte.sharing import permissions as sharing_permissions
from cicte.sharing import selectors as sharing_selectors
from cicte.sharing import services as sharing
from cicte.sharing.models import (
    Community,
    CommunityMembership,
    ReshareRequest,
    ReshareStatus,
    Sector,
    SharingOrganisation,
)


def _thread(request: HttpRequest, pk: int) -> Thread:
    thread = selectors.thread_for(request.user, pk)
    if thread is None:
        raise Http404
    return thread


def _files(request: HttpRequest) -> list[Any]:
    upload = request.FILES.get("attachment")
    return [upload] if upload else []


@require_GET
@table_downloads
def index(request: HttpRequest) -> HttpResponse:
    threads = selectors.threads_for(request.user)
    return render(
        request,
        "forum/index.html",
        {
            "communities": sharing_selectors.communities_for(request.user),
            "threads": threads[:50],
            "count": threads.count(),
        },
    )


@require_GET
@table_downloads
def community(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(Community, slug=slug)
    threads = selectors.threads_for(request.user).filter(community=space)
    return render(
        request,
        "forum/community.html",
        {
            "view": sharing_selectors.community_view(request.user, space),
            "threads": threads[:100],
            "count": threads.count(),
            "join_form": JoinForm() if request.user.is_authenticated else None,
            "can_post": sharing_permissions.can_post(request.user, space),
        },
    )


@login_required
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(Community, slug=slug)
    show_people = sharing_permissions.can_see_members(request.user, space)
    form = ThreadForm(
        request.POST or None,
        request.FILES or None,
        community=space,
        user=request.user,
        show_people=show_people,
        initial={"tlp": space.default_tlp, "language": request.LANGUAGE_CODE[:2]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_create(
                actor=request.user,
                community=space,
                title=data["title"],
                body=data["body"],
                tlp=data["tlp"],
                pap=data["pap"],
                audience_kind=data["audience_kind"],
                organisations=list(data["organisations"]),
                people=list(data.get("people") or []),
                kind=data["kind"],
                category=data["category"],
                language=data["language"],
                event=data["event"],
                files=_files(request),
                summary=data["summary"],
                recommendations=data["recommendations"],
                affected_sectors=data["affected_sectors"],
                affected_countries=data["affected_countries"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The thread was posted."))
            return redirect(thread.get_absolute_url())
    return render(request, "forum/thread_form.html", {"form": form, "community": space})


@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    item = _thread(request, pk)
    user = request.user
    replying = user.is_authenticated and can_reply(user, item)
    released_from = (
        selectors.thread_for(user, item.released_from_id) if item.released_from_id else None
    )
    sector_names = dict(Sector.choices)
    return render(
        request,
        "forum/thread.html",
        {
            "thread": item,
            "sectors": [str(sector_names.get(c, c)) for c in item.affected_sectors.split(",") if c],
            "posts": selectors.posts_for(user, item),
            "organisations": item.audience_organisations.all(),
            "reply_form": ReplyForm(
                community=item.community,
                show_people=False,
                initial={"tlp": item.tlp, "audience_kind": item.audience_kind},
            )
            if replying
            else None,
            "moderate_form": ModerateForm(initial={"locked": item.locked, "hidden": item.hidden})
            if can_moderate(user, item)
            else None,
            "reshare_form": ReshareForm()
            if user.is_authenticated and not is_originator(user, item)
            else None,
            "release_form": _release_form(user) if is_originator(user, item) else None,
            "released_from": released_from,
            "can_close": item.kind == ThreadKind.QUESTION
            and user.is_authenticated
            and (is_originator(user, item) or can_moderate(user, item)),
        },
    )


def _release_form(user: Any) -> ReleaseForm:
    form = ReleaseForm()
    form.set_communities(Community.objects.filter(pk__in=sharing_permissions.community_ids(user)))
    return form


@require_POST
@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    item = _thread(request, pk)
    form = ReplyForm(request.POST, request.FILES, community=item.community)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.post_create(
                actor=request.user,
                thread=item,
                body=data["body"],
                tlp=data["tlp"],
                audience_kind=data["audience_kind"],
                organisations=list(data["organisations"]) or None,
                people=list(data.get("people") or []),
                files=_files(request),
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("Your reply was posted."))
    else:
        messages.error(request, _("Write a reply."))
    return redirect(item.get_absolute_url())


@require_POST
@login_required
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Thread, pk=pk)
    if selectors.thread_for(request.user, pk) is None and not can_moderate(request.user, item):
        raise Http404  # existence is not revealed to readers who may not see the thread
    form = ModerateForm(request.POST)
    if form.is_valid():
        try:
            services.thread_moderate(
                actor=request.user,
                thread=item,
                locked=form.cleaned_data["locked"],
                hidden=form.cleaned_data["hidden"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("The thread was moderated; its originator was told."))
    if selectors.thread_for(request.user, pk) is None:
        return redirect("forum:index")
    return redirect(item.get_absolute_url())


@require_POST
@login_required
def reshare(request: HttpRequest, pk: int) -> HttpResponse:
    item = _thread(request, pk)
    form = ReshareForm(request.POST)
    if form.is_valid():
        try:
            sharing.reshare_request(
                actor=request.user,
                item=item,
                wanted_tlp=form.cleaned_data["wanted_tlp"],
                message=form.cleaned_data["message"],
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("Your request was sent to the originator."))
    return redirect(item.get_absolute_url())


@require_POST
@login_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    item = _thread(request, pk)
    form = ReleaseForm(request.POST)
    form.set_communities(Community.objects.all())
    if form.is_valid():
        try:
            released = services.thread_release(
                actor=request.user,
                thread=item,
                community=form.cleaned_data["community"],
                tlp=form.cleaned_data["tlp"],
                audience_kind=form.cleaned_data["audience_kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("The item was released."))
            return redirect(released.get_absolute_url())
    return redirect(item.get_absolute_url())


@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    item = _thread(request, pk)
    if fmt == "stix":
        body, content_type, name = (
            exports.stix_bundle(request.user, item),
            "application/stix+json;version=2.1",
            "stix",
        )
    elif fmt == "misp":
        body, content_type, name = (
            exports.misp_event(request.user, item),
            "application/json",
            "misp",
        )
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="thread-{item.pk}-{name}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.attachment_for(request.user, pk)
    if found is None:
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


@require_GET
@table_downloads
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = selectors.search(request.user, query)
    return render(
        request,
        "forum/search.html",
        {"query": query, "results": results[:100], "count": results.count()},
    )


@require_GET
def autocomplete(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {"results": selectors.autocomplete(request.user, request.GET.get("q", "")[:100])}
    )


@require_GET
@table_downloads
def directory(request: HttpRequest) -> HttpResponse:
    rows = sharing_selectors.organisations_for(request.user)
    editable = {
        o.pk
        for o in SharingOrganisation.objects.filter(pk__in=[r.pk for r in rows])
        if sharing_permissions.can_edit_organisation(request.user, o)
    }
    return render(
        request,
        "forum/directory.html",
        {
            "organisations": rows,
            "editable": editable,
            "vetted": sharing_permissions.is_vetted(request.user),
        },
    )


@require_POST
@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(Community, slug=slug)
    form = JoinForm(request.POST)
    if form.is_valid():
        names = [n.strip() for n in form.cleaned_data["sponsors"].split(",") if n.strip()]
        sponsors = list(get_user_model().objects.filter(username__in=names))
        try:
            if len(sponsors) != len(set(names)):
                raise sharing.SharingError(
                    sharing.SharingErrorCode.SPONSORS,
                    _("Name two existing members of the community as sponsors."),
                )
            sharing.membership_request(
                actor=request.user,
                community=space,
                organisation=form.cleaned_data["organisation"],
                sponsors=sponsors,
                message=form.cleaned_data["message"],
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("Your request was sent; your sponsors can now endorse it."))
    else:
        messages.error(request, _("Choose your organisation."))
    return redirect("forum:community", slug=slug)


@login_required
@table_downloads
def requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forum/requests.html",
        {
            "pending": sharing_selectors.pending_requests(request.user),
            "can_decide": sharing_permissions.can_manage_communities(request.user),
            "reason_form": ReasonForm(),
        },
    )


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    membership = get_object_or_404(CommunityMembership, pk=pk)
    try:
        if action == "endorse":
            sharing.membership_endorse(actor=request.user, membership=membership)
            messages.success(request, _("You endorsed the request."))
        elif action == "approve":
            sharing.membership_approve(actor=request.user, membership=membership)
            messages.success(request, _("The member was approved."))
        else:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            sharing.membership_decline(actor=request.user, membership=membership, reason=reason)
            messages.success(request, _("The request was declined."))
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    return redirect("forum:requests")


@require_POST
@login_required
def request_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "endorse")


@require_POST
@login_required
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "approve")


@require_POST
@login_required
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "decline")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = NotificationPreference.objects.filter(user_id=request.user.pk or 0).first()
    form = PreferenceForm(
        request.POST or None,
        initial={
            "frequency": current.frequency if current else "daily",
            "sectors": current.sector_list() if current else [],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(
                actor=request.user,
                frequency=form.cleaned_data["frequency"],
                sectors=form.cleaned_data["sectors"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Your preference was saved."))
            return redirect("forum:preferences")
    return render(request, "forum/preferences.html", {"form": form})


@administrator_required
@require_GET
@table_downloads
def existence(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forum/existence.html",
        {"rows": selectors.existence(request.user), "form": ReasonForm()},
    )


@administrator_required
@require_POST
def remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if kind == "thread":
            sharing.break_glass_remove(
                actor=request.user, item=get_object_or_404(Thread, pk=pk), reason=reason
            )
        elif kind == "post":
            sharing.break_glass_remove(
                actor=request.user, item=get_object_or_404(Post, pk=pk), reason=reason
            )
        elif kind == "attachment":
            services.attachment_remove(
                actor=request.user, attachment=get_object_or_404(Attachment, pk=pk), reason=reason
            )
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("The item was removed; its originator was told."))
    return redirect("workspace:forum-existence")


# --- questions -------------------------------------------------------------------------


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _thread(request, pk)
    try:
        services.question_close(actor=request.user, thread=item, closed=not item.closed)
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(
            request,
            _("The question was reopened.") if item.closed else _("The question was closed."),
        )
    return redirect(item.get_absolute_url())


# --- re-share requests: the originator decides ---------------------------------------------


@login_required
@table_downloads
def reshare_requests(request: HttpRequest) -> HttpResponse:
    """Requests to the signed-in originator (to decide) and the reader's own requests."""
    mine = ReshareRequest.objects.filter(originator_id=request.user.pk, status=ReshareStatus.OPEN)
    rows = []
    for item in mine:
        thread = selectors.thread_for(request.user, item.item_id)
        if item.item_type != "forum.thread" or thread is None:
            continue
        kind, organisations = sharing.default_widening(item, thread)
        form = ReshareDecisionForm(
            community=thread.community,
            show_people=False,
            prefix=f"r{item.pk}",
            initial={
                "tlp": item.wanted_tlp,
                "audience_kind": kind,
                "organisations": [o.pk for o in organisations],
            },
        )
        rows.append({"request": item, "thread": thread, "form": form})
    asked = ReshareRequest.objects.filter(requester_id=request.user.pk).order_by("-created_at")[:50]
    return render(request, "forum/reshare_requests.html", {"rows": rows, "asked": asked})


def _own_request(request: HttpRequest, pk: int) -> tuple[ReshareRequest, Thread]:
    item = ReshareRequest.objects.filter(pk=pk, originator_id=request.user.pk).first()
    thread = selectors.thread_for(request.user, item.item_id) if item is not None else None
    if item is None or thread is None:
        raise Http404
    return item, thread


@require_POST
@login_required
def reshare_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item, thread = _own_request(request, pk)
    form = ReshareDecisionForm(
        request.POST, community=thread.community, show_people=False, prefix=f"r{item.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose the label and the audience."))
        return redirect("forum:reshare-requests")
    data = form.cleaned_data
    try:
        services.reshare_accept(
            actor=request.user,
            request=item,
            tlp=data["tlp"],
            audience_kind=data["audience_kind"],
            organisations=list(data["organisations"]),
            note=data["note"],
        )
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        return redirect("forum:reshare-requests")
    messages.success(request, _("The item was shared more widely; the requester was told."))
    return redirect(thread.get_absolute_url())


@require_POST
@login_required
def reshare_decline(request: HttpRequest, pk: int) -> HttpResponse:
    item, _thread_item = _own_request(request, pk)
    try:
        sharing.reshare_decline(
            actor=request.user, request=item, note=request.POST.get(f"r{item.pk}-note", "")
        )
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("The request was declined; the requester was told."))
    return redirect("forum:reshare-requests")


# --- the directory: contact data and PGP keys ------------------------------------------------


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(SharingOrganisation, pk=pk)
    if not sharing_permissions.can_edit_organisation(request.user, organisation):
        raise Http404
    form = OrganisationForm(
        request.POST or None,
        initial={
            "email": organisation.email,
            "phone": organisation.phone,
            "website": organisation.website,
            "listed_publicly": organisation.listed_publicly,
            "pgp_key": organisation.pgp_key,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            sharing.organisation_update(
                actor=request.user, organisation=organisation, pgp_key=data.pop("pgp_key"), **data
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The directory entry was saved."))
            return redirect("forum:directory")
    return render(
        request, "forum/organisation_form.html", {"form": form, "organisation": organisation}
    )


# --- anonymous submission through the host ---------------------------------------------------


@login_required
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """A member submits anonymously; the host reviews and publishes under its own name."""
    space = get_object_or_404(Community, slug=slug)
    if not sharing_permissions.is_member(request.user, space) or space.host_id is None:
        raise Http404
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        initial={"language": request.LANGUAGE_CODE[:2], "kind": ThreadKind.ADVISORY},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submission_create(
                actor=request.user,
                community=space,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                category=data["category"],
                language=data["language"],
                summary=data["summary"],
                recommendations=data["recommendations"],
                affected_sectors=data["affected_sectors"],
                affected_countries=data["affected_countries"],
                files=_files(request),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Your submission was sent to the host, who will publish it under its own name."),
            )
            return redirect("forum:submissions")
    return render(request, "forum/submit.html", {"form": form, "community": space})


@login_required
@table_downloads
def submissions(request: HttpRequest) -> HttpResponse:
    """The host's review queue, and the signed-in member's own submissions."""
    reviewable = [
        s
        for s in Submission.objects.filter(status=SubmissionStatus.PENDING).select_related(
            "community"
        )
        if sharing_permissions.can_review_submissions(request.user, s.community)
    ]
    rows = [
        {
            "submission": s,
            "form": PublishForm(
                community=s.community,
                show_people=False,
                prefix=f"s{s.pk}",
                initial={"tlp": s.community.default_tlp},
            ),
        }
        for s in reviewable
    ]
    own = Submission.objects.filter(
        submitter_digest=services.submitter_digest(request.user)
    ).select_related("community", "thread")
    return render(
        request,
        "forum/submissions.html",
        {"rows": rows, "own": own, "reason_form": ReasonForm()},
    )


def _reviewable(request: HttpRequest, pk: int) -> Submission:
    submission = get_object_or_404(Submission, pk=pk)
    if not sharing_permissions.can_review_submissions(request.user, submission.community):
        raise Http404
    return submission


@require_POST
@login_required
def submission_publish(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _reviewable(request, pk)
    form = PublishForm(
        request.POST, community=submission.community, show_people=False, prefix=f"s{pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose the label and the audience."))
        return redirect("forum:submissions")
    data = form.cleaned_data
    try:
        thread = services.submission_publish(
            actor=request.user,
            submission=submission,
            tlp=data["tlp"],
            audience_kind=data["audience_kind"],
            organisations=list(data["organisations"]),
            pap=data["pap"],
        )
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        return redirect("forum:submissions")
    messages.success(request, _("The submission was published under the host's name."))
    return redirect(thread.get_absolute_url())


@require_POST
@login_required
def submission_decline(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _reviewable(request, pk)
    form = ReasonForm(request.POST)
    try:
        services.submission_decline(
            actor=request.user,
            submission=submission,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("The submission was declined."))
    return redirect("forum:submissions")
