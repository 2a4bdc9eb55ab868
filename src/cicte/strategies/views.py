"""Pages of the strategies database. Public pages (/strategies/) read through the selectors
(``visible_to``): an entry the reader may not see is a 404, exactly like one that does not
exist. Submissions (points of contact and the Secretariat) and the Secretariat's
verification queue and support engagements (/workspace/strategies/) write through the
services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cicte.access import permissions as roles
from cicte.access.permissions import workspace_required
from cicte.core.errors import ApplicationError
from cicte.core.forms_actions import apply_error, error_message
from cicte.core.tables import table_downloads
from cicte.core.versioning import version_of
from cicte.directory.tilemap import Category, tile_map
from cicte.strategies import exports, maturity, permissions, selectors, services
from cicte.strategies.forms import (
    ArchiveUrlForm,
    AssessmentForm,
    DocumentForm,
    EngagementForm,
    MilestoneForm,
    RatingsForm,
    VerifyForm,
    format_translations,
)
from cicte.strategies.models import (
    DocumentKind,
    DocumentStatus,
    Language,
    PolicyDocument,
    Review,
)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _filters(request: HttpRequest) -> selectors.Filters:
    get = request.GET
    year = get.get("year", "")
    return selectors.Filters(
        q=get.get("q", "")[:200],
        kind=get.get("kind", "") if get.get("kind") in DocumentKind.values else "",
        status=get.get("status", "") if get.get("status") in DocumentStatus.values else "",
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        language=get.get("language", "") if get.get("language") in Language.values else "",
        dimension=get.get("dimension", "")
        if get.get("dimension") in maturity.dimension_ids()
        else "",
        pillar=get.get("pillar", "") if get.get("pillar") in maturity.pillar_ids() else "",
        jurisdiction=get.get("jurisdiction", "")[:20],
    )


def map_categories() -> list[Category]:
    return [
        Category("adopted", _("National strategy adopted or in force"), "#1b6e3a"),
        Category("in_progress", _("Strategy in progress"), "#8a5a00"),
        Category("other", _("Other instruments only"), "#2f5d8a"),
        Category("none", _("Nothing recorded"), "#6b6b6b"),
    ]


def strategies_map(actor: Any) -> Any:
    return tile_map(
        selectors.map_categories(actor),
        categories=map_categories(),
        title=_("National cyber-security strategies of the member states"),
        description=_(
            "Each square is a member state, placed roughly where it lies, coloured by the "
            "status of its national strategy. The table below says the same."
        ),
        url=lambda code: reverse("strategies:profile", args=[code]),
        id="strategies-map",
    )


@require_GET
@table_downloads
def index(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    documents = selectors.search(request.user, filters)
    model = maturity.model()
    language = (get_language() or "en")[:2]
    return render(
        request,
        "strategies/index.html",
        {
            "filters": filters,
            "documents": documents[:200],
            "count": documents.count(),
            "map": strategies_map(request.user),
            "jurisdictions": selectors.jurisdictions(),
            "kinds": DocumentKind.choices,
            "statuses": DocumentStatus.choices,
            "language_choices": Language.choices,
            "years": selectors.years(request.user),
            "dimensions": [(d.id, d.label(language)) for d in model.dimensions],
            "pillars": [(p.id, p.label(language)) for p in model.pillars],
            "can_submit": _submittable(request.user) != [],
            "query_string": request.GET.urlencode(),
        },
    )


def _jurisdiction(code: str) -> Any:
    found = selectors.jurisdiction_get(code)
    if found is None:
        raise Http404
    return found


@require_GET
@table_downloads
def profile(request: HttpRequest, code: str) -> HttpResponse:
    jurisdiction = _jurisdiction(code)
    data = selectors.profile(request.user, jurisdiction)
    return render(
        request,
        "strategies/profile.html",
        {
            "profile": data,
            "can_submit": permissions.can_submit(request.user, jurisdiction),
            "can_assess": permissions.can_assess(request.user, jurisdiction),
            "model": maturity.model(),
        },
    )


@require_GET
def profile_json(request: HttpRequest, code: str) -> HttpResponse:
    data = selectors.profile(request.user, _jurisdiction(code))
    body = json.dumps(exports.jurisdiction_json(data, _base(request)), ensure_ascii=False, indent=2)
    return _download(body.encode(), f"strategies-{data.jurisdiction.code}.json", "application/json")


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    codes = [c for c in request.GET.getlist("j") if c][: selectors.MAX_COMPARE + 3]
    profiles = selectors.compare(request.user, codes)
    return render(
        request,
        "strategies/compare.html",
        {
            "profiles": profiles,
            "chosen": [p.jurisdiction.code for p in profiles],
            "jurisdictions": selectors.jurisdictions(),
            "slots": range(selectors.MAX_COMPARE),
            "too_many": len({c.upper() for c in codes}) > selectors.MAX_COMPARE,
        },
    )


def _document(request: HttpRequest, pk: int) -> PolicyDocument:
    found = selectors.document_for(request.user, pk)
    if found is None:
        raise Http404
    return found


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    user = request.user
    return render(
        request,
        "strategies/document.html",
        {
            "document": item,
            "dublin_core": exports.dublin_core_rows(exports.dublin_core(item, _base(request))),
            "predecessors": selectors.supersession_chain(user, item),
            "successors": selectors.successors(user, item),
            "can_edit": permissions.can_edit_document(user, item),
            "can_verify": permissions.can_verify(user)
            and item.review in (Review.SUBMITTED, Review.RETURNED, Review.PUBLISHED),
            "can_show": item.status == DocumentStatus.DRAFT
            and permissions.is_point_of_contact_for(user, item.jurisdiction),
            "can_see_history": permissions.can_see_history(user, item),
            "verify_form": VerifyForm(initial={"version": version_of(item)}),
            "archive_form": ArchiveUrlForm(),
            "dimensions": [maturity.model().dimension(c) for c in item.dimension_list],
            "pillars": [p for p in maturity.model().pillars if p.id in item.pillar_list],
        },
    )


@require_GET
def document_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    if not permissions.can_see_history(request.user, item):
        raise Http404
    return render(
        request,
        "strategies/history.html",
        {"document": item, "versions": selectors.document_history(item)},
    )


@require_GET
def document_jsonld(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    body = json.dumps(
        {"@context": exports.CONTEXT, **exports.dublin_core(item, _base(request))},
        ensure_ascii=False,
        indent=2,
    )
    return _download(body.encode(), f"document-{item.pk}.jsonld", "application/ld+json")


@require_GET
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    if not item.archive_file:
        raise Http404
    try:
        handle = item.archive_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.archive_name or f"document-{item.pk}",
        content_type=item.archive_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response  # type: ignore[return-value]


@require_GET
def documents_csv(request: HttpRequest) -> HttpResponse:
    documents = selectors.search(request.user, _filters(request))
    return _download(
        exports.documents_csv(documents, _base(request)),
        "strategies-documents.csv",
        "text/csv; charset=utf-8",
    )


@require_GET
def documents_jsonld(request: HttpRequest) -> HttpResponse:
    documents = selectors.search(request.user, _filters(request))
    body = json.dumps(exports.jsonld(documents, _base(request)), ensure_ascii=False, indent=2)
    return _download(body.encode(), "strategies-dublin-core.jsonld", "application/ld+json")


# --- submission ------------------------------------------------------------------------------


def _submittable(user: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [j for j in selectors.jurisdictions() if permissions.can_submit(user, j)]


def _document_args(data: dict[str, Any], documents: list[PolicyDocument]) -> dict[str, Any]:
    by_pk = {d.pk: d for d in documents}
    supersedes = data.get("supersedes")
    return {
        "kind": data["kind"],
        "title": data["title"],
        "status": data["status"],
        "language": data["language"],
        "translations": data["translations"],
        "adopted_on": data["adopted_on"],
        "in_force_on": data["in_force_on"],
        "review_on": data["review_on"],
        "lead_agency": data["lead_agency"],
        "identifier": data["identifier"],
        "version_label": data["version_label"],
        "summary": data["summary"],
        "official_url": data["official_url"],
        "dimensions": data["dimensions"],
        "pillars": data["pillars"],
        "supersedes": by_pk.get(supersedes) if supersedes else None,
    }


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    jurisdictions = _submittable(request.user)
    if not jurisdictions:
        raise PermissionDenied
    documents = list(selectors.documents_for(request.user))
    initial: dict[str, Any] = {"submit": True}
    states = roles.user_member_states(request.user)
    if states:
        initial["jurisdiction"] = states[0].code
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        jurisdictions=jurisdictions,
        documents=documents,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.document_submit(
                actor=request.user,
                jurisdiction=_jurisdiction(data["jurisdiction"]),
                archive=data["archive"],
                submit=data["submit"],
                **_document_args(data, documents),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("The entry was submitted: the Secretariat verifies the source, then publishes.")
                if data["submit"]
                else _("The draft was saved; submit it when it is ready."),
            )
            return redirect(item.get_absolute_url())
    return render(request, "strategies/document_form.html", {"form": form, "document": None})


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    if not permissions.can_edit_document(request.user, item):
        raise PermissionDenied
    documents = [d for d in selectors.documents_for(request.user) if d.pk != item.pk]
    initial = {
        "version": version_of(item),
        "jurisdiction": item.jurisdiction.code,
        "kind": item.kind,
        "title": item.title,
        "language": item.language,
        "translations": format_translations(item.translations),
        "status": item.status,
        "adopted_on": item.adopted_on,
        "in_force_on": item.in_force_on,
        "review_on": item.review_on,
        "lead_agency": item.lead_agency,
        "identifier": item.identifier,
        "version_label": item.version_label,
        "official_url": item.official_url,
        "summary": item.summary,
        "dimensions": item.dimension_list,
        "pillars": item.pillar_list,
        "supersedes": item.supersedes_id,
        "submit": item.review != Review.DRAFT,
    }
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        jurisdictions=[item.jurisdiction],
        documents=documents,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_update(
                actor=request.user,
                document=item,
                version=data["version"],
                archive=data["archive"],
                submit=data["submit"],
                **_document_args(data, documents),
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect(item.get_absolute_url())
    return render(request, "strategies/document_form.html", {"form": form, "document": item})


@login_required
@require_POST
def archive_url(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    form = ArchiveUrlForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid URL."))
    else:
        try:
            services.document_archive_url(
                actor=request.user, document=item, url=form.cleaned_data["url"]
            )
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("The copy was archived."))
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def show_in_progress(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    try:
        services.document_show_in_progress(actor=request.user, document=item)
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(
            request, _("The draft will be shown publicly as “In progress” once verified.")
        )
    return redirect(item.get_absolute_url())


# --- the Secretariat's verification ----------------------------------------------------------


@workspace_required
@require_GET
@table_downloads
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "strategies/queue.html",
        {"documents": selectors.review_queue(request.user)},
    )


@workspace_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    item = _document(request, pk)
    form = VerifyForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    action = request.POST.get("action", "publish")
    try:
        if action == "return":
            services.document_return(actor=request.user, document=item, note=data.get("note", ""))
            messages.success(request, _("The entry was returned to the point of contact."))
        else:
            services.document_publish(
                actor=request.user,
                document=item,
                note=data.get("note", ""),
                version=data.get("version"),
            )
            messages.success(request, _("The entry was verified and published."))
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    return redirect(item.get_absolute_url())


# --- maturity assessments --------------------------------------------------------------------


def _assessment(request: HttpRequest, pk: int) -> Any:
    found = selectors.assessment_for(request.user, pk)
    if found is None:
        raise Http404
    return found


@require_GET
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    return render(
        request,
        "strategies/assessment.html",
        {
            "view": selectors.assessment_view(item),
            "assessment": item,
            "model": maturity.model(),
            "can_rate": permissions.can_rate(request.user, item),
            "can_consent": permissions.can_consent(request.user, item),
        },
    )


@require_GET
def assessment_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    item = _assessment(request, pk)
    view = selectors.assessment_view(item)
    name = f"assessment-{item.jurisdiction.code}-{item.assessed_on:%Y-%m-%d}"
    if fmt == "docx":
        return _download(
            exports.assessment_docx(view),
            f"{name}.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    if fmt == "xlsx":
        return _download(
            exports.assessment_xlsx(view),
            f"{name}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404


@login_required
def assessment_new(request: HttpRequest, code: str) -> HttpResponse:
    jurisdiction = _jurisdiction(code)
    if not permissions.can_assess(request.user, jurisdiction):
        raise PermissionDenied
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.assessment_create(
                actor=request.user,
                jurisdiction=jurisdiction,
                assessed_on=data["assessed_on"],
                assessor=data["assessor"],
                summary=data["summary"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The assessment was created: enter a stage per factor."))
            return redirect("strategies:assessment-ratings", pk=item.pk)
    return render(
        request, "strategies/assessment_form.html", {"form": form, "jurisdiction": jurisdiction}
    )


@login_required
def assessment_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    if not permissions.can_rate(request.user, item):
        raise PermissionDenied
    current = {r.factor: r for r in item.ratings.all()}
    form = RatingsForm(request.POST or None, ratings=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ratings = [
            {
                "factor": factor.id,
                "stage": data[f"stage_{factor.id}"],
                "evidence": data[f"evidence_{factor.id}"],
                "rated_on": item.assessed_on,
            }
            for factor in maturity.model().factors
            if data.get(f"stage_{factor.id}")
        ]
        try:
            services.ratings_set(actor=request.user, assessment=item, ratings=ratings)
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The ratings were saved."))
            return redirect(item.get_absolute_url())
    return render(request, "strategies/ratings_form.html", {"form": form, "assessment": item})


@login_required
@require_POST
def assessment_consent(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    consent = request.POST.get("consent") == "yes"
    try:
        services.assessment_consent(actor=request.user, assessment=item, consent=consent)
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(
            request,
            _("The assessment is now public on the profile.")
            if consent
            else _("The assessment is no longer public."),
        )
    return redirect(item.get_absolute_url())


# --- support engagements (the Secretariat) ---------------------------------------------------


@workspace_required
def engagements(request: HttpRequest) -> HttpResponse:
    from cicte.assistance.models import AssistanceRequest

    requests = list(
        AssistanceRequest.objects.visible_to(request.user)
        .filter(strategy_engagement__isnull=True)
        .select_related("member_state")
        .order_by("-submitted_at")[:200]
    )
    form = EngagementForm(request.POST or None, requests=requests)
    if request.method == "POST" and form.is_valid():
        chosen = get_object_or_404(
            AssistanceRequest.objects.visible_to(request.user), pk=form.cleaned_data["request"]
        )
        try:
            item = services.engagement_create(
                actor=request.user, request=chosen, title=form.cleaned_data["title"]
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The support engagement was opened."))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "strategies/engagements.html",
        {
            "engagements": selectors.engagements_for(request.user),
            "form": form,
            "can_manage": permissions.can_manage_engagements(request.user),
        },
    )


@workspace_required
def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    from cicte.delivery.models import Event

    item = selectors.engagements_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    events = list(
        Event.objects.filter(contributions__isnull=False).distinct().order_by("-start_date")[:300]
    )
    form = MilestoneForm(request.POST or None, events=events)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_add(
                actor=request.user,
                engagement=item,
                phase=data["phase"],
                event=Event.objects.filter(pk=data["event"]).first(),
                note=data["note"],
            )
        except ApplicationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("The milestone was recorded."))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "strategies/engagement.html",
        {
            "engagement": item,
            "form": form,
            "can_manage": permissions.can_manage_engagements(request.user),
        },
    )
