"""Staff workspace pages for events: list, detail, record/edit, import and export.

Thin views: permission first, parse input with forms, call a selector or a service, render.
Full pages normally; only a partial (``{% partialdef %}``) for htmx requests.
"""

from __future__ import annotations

import tempfile
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, Sum
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cicte.access.permissions import (
    chosen_member_state,
    is_secretariat,
    user_member_states,
    workspace_required,
)
from cicte.core.errors import ApplicationError
from cicte.core.periods import PeriodError, parse_period
from cicte.core.tables import table_downloads
from cicte.core.versioning import StaleEdit, parse_version, version_of
from cicte.delivery import exporting, selectors, services
from cicte.delivery.forms import (
    PROBLEM_MESSAGES,
    AttachmentForm,
    CountryFormSet,
    EventFilterForm,
    EventForm,
    ImportForm,
    TargetFormSet,
    grown_formset,
)
from cicte.delivery.guards import EventLocked
from cicte.delivery.models import (
    Attachment,
    CountryParticipation,
    Event,
    EventKind,
    EventStatus,
    Participant,
)
from cicte.delivery.parsing.spreadsheet import SpreadsheetError, read_events
from cicte.delivery.permissions import (
    can_count_toward,
    can_edit_event,
    can_import_events,
    can_record_events,
)
from cicte.delivery.rules import Problem, event_problems
from cicte.delivery.services import CountryRow, EventValidationError
from cicte.directory import services as directory_services
from cicte.directory.models import MemberState
from cicte.plan.models import Target, WorkPlan

PAGE_SIZE = 50
#: Rows added by one press of "Add a row" (the form works without JavaScript).
ADD_ROWS = 1


def _plan_from(value: str | None) -> WorkPlan | None:
    if value and value.isdigit():
        plan = WorkPlan.objects.filter(pk=int(value)).first()
        if plan is not None:
            return plan
    return selectors.default_plan()


# --- list and detail ----------------------------------------------------------------------


@workspace_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    plan = _plan_from(request.GET.get("plan"))
    form = EventFilterForm(request.GET or None, plan=plan, initial={"plan": plan})
    filters = selectors.EventFilters(plan=plan)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.EventFilters(
            plan=data["plan"] or plan,
            period=data["period"],
            status=data["status"],
            kind=data["kind"],
            member_state=data["member_state"],
            program=data["program"],
            search=data["q"],
        )
    events = selectors.event_list(filters=filters)
    # A COUNT and one query of the page's rows (related codes aggregated in SQL).
    page = selectors.event_page(events, size=PAGE_SIZE, number=request.GET.get("page")).page
    kinds, statuses = dict(EventKind.choices), dict(EventStatus.choices)
    page.object_list = [
        {
            "event": record,
            "kind_label": kinds.get(record.kind, record.kind),
            "status_label": statuses.get(record.status, record.status),
        }
        for record in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "plan": filters.plan,
        "page": page,
        "query": query.urlencode(),
        "export_query": _export_query(filters),
        "statuses": EventStatus.choices,
        "period_suggestions": _period_suggestions(filters.plan),
        # Offer only what the role can use (a program manager does not import spreadsheets).
        "can_record": can_record_events(request.user),
        "can_import": can_import_events(request.user),
    }
    template = "delivery/event_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


def _export_query(filters: selectors.EventFilters) -> str:
    query = QueryDict(mutable=True)
    if filters.plan is not None:
        query["plan"] = str(filters.plan.pk)
    if filters.period is not None:
        query["period"] = filters.period.label
    return query.urlencode()


def _period_suggestions(plan: WorkPlan | None) -> list[str]:
    if plan is None:
        return []
    y = plan.year
    return [f"{y}-H1", f"{y}-H2", str(y), f"{y}-Q1", f"{y}-Q2", f"{y}-Q3", f"{y}-Q4"]


@workspace_required
@require_GET
@table_downloads
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_detail(pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None
    context = {
        "event": event,
        "contributions": list(event.contributions.all()),
        "countries": selectors.participation_by_country(event=event),
        "statuses": [(v, label) for v, label in EventStatus.choices if v != event.status],
        "attachment_form": AttachmentForm(),
        "can_edit": can_edit_event(request.user, event),
    }
    return render(request, "delivery/event_detail.html", context)


# --- record and edit ----------------------------------------------------------------------


def _initial_from_event(event: Event) -> dict[str, Any]:
    return {
        "plan": event.plan_id,
        "kind": event.kind,
        "title": event.title,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "status": event.status,
        "modality": event.modality,
        "city": event.city,
        "host_state": event.host_state.code if event.host_state else "",
        "beneficiaries": [s.code for s in event.beneficiaries.all()],
        "participants_total": event.participants_total,
        "participants_women": event.participants_women,
        "participants_men": event.participants_men,
        "partners": list(event.partners.all()),
        "funding_source": event.funding_source.name if event.funding_source else "",
        "cost": event.cost,
        "currency": event.currency,
        "course": event.course,
        "provider": event.provider.name if event.provider else "",
        "notes": event.notes,
    }


def _unbound_from_post(data: QueryDict) -> tuple[EventForm, Any, Any]:
    """Re-display posted values without validating (used by 'Add' and 'Search')."""
    event_initial: dict[str, Any] = {}
    for name in EventForm.base_fields:
        if name in ("beneficiaries", "partners"):
            event_initial[name] = data.getlist(name)
        elif name in data:
            event_initial[name] = data.get(name)
    targets_initial = _rows_from_post(data, "targets", ("target", "units"))
    countries_initial = _rows_from_post(
        data, "countries", ("member_state", "women", "men", "not_stated")
    )
    return (
        EventForm(initial=event_initial),
        targets_initial,
        countries_initial,
    )


def _posted_rows(data: QueryDict, prefix: str) -> int:
    """How many rows of ``prefix`` the posted form showed (typed or empty)."""
    try:
        return max(0, min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), 40))
    except ValueError:
        return 0


def _rows_from_post(data: QueryDict, prefix: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), 40)
    except ValueError:
        total = 0
    rows = []
    for i in range(total):
        row = {name: data.get(f"{prefix}-{i}-{name}", "") for name in names}
        if any(str(v).strip() for k, v in row.items() if k != "units"):
            rows.append(row)
    return rows


def _form_context(
    *,
    request: HttpRequest,
    event: Event | None,
    form: EventForm,
    targets: Any,
    countries: Any,
    plan: WorkPlan | None,
    search: str = "",
) -> dict[str, Any]:
    options = selectors.target_options(plan=plan) if plan else []
    plan_partner_ids = set(selectors.plan_partner_ids(plan=plan)) if plan else set()
    partner_field = form["partners"]
    plan_partners = [w for w in partner_field if int(str(w.data["value"])) in plan_partner_ids]
    other_partners = [w for w in partner_field if int(str(w.data["value"])) not in plan_partner_ids]
    subregions = selectors.states_by_subregion()
    by_code = {str(w.data["value"]): w for w in form["beneficiaries"]}
    grouped = [
        {"label": group.label, "key": group.key, "widgets": [by_code[s.code] for s in group.states]}
        for group in subregions
    ]
    errors = _error_summary(form, targets, countries)
    return {
        "event": event,
        "form_url": (
            reverse("workspace:event-edit", args=[event.pk])
            if event is not None
            else reverse("workspace:event-create")
        ),
        "form": form,
        "targets_formset": targets,
        "countries_formset": countries,
        "plan": plan,
        "target_options": options,
        "plan_partners": plan_partners,
        "other_partners": other_partners,
        "beneficiary_groups": grouped,
        "organizations": selectors.organizations(),
        "search": search,
        "search_results": selectors.target_search(plan=plan, query=search)
        if plan and search
        else [],
        "error_summary": errors,
    }


def _error_summary(form: EventForm, targets: Any, countries: Any) -> list[tuple[str, str, str]]:
    """(anchor id, label, message) for every error, for the summary at the top of the form."""
    if not form.is_bound:
        return []
    summary: list[tuple[str, str, str]] = []
    for name, errors in form.errors.items():
        if name == "__all__":
            summary += [("event-form", "", str(e)) for e in errors]
            continue
        field = form[name]
        summary += [(field.id_for_label or "event-form", str(field.label), str(e)) for e in errors]
    for formset, anchor, label in (
        (targets, "targets", _("Targets")),
        (countries, "countries", _("Participants by member state")),
    ):
        if not formset.is_bound:
            continue
        summary += [(anchor, label, str(e)) for e in formset.non_form_errors()]
        for row in formset.forms:
            for name, errors in row.errors.items():
                anchor_id = row[name].id_for_label if name != "__all__" else anchor
                summary += [(anchor_id, label, str(e)) for e in errors]
    return summary


def _resolve_targets(formset: Any, plan: WorkPlan) -> list[tuple[Target, int]] | None:
    """Target rows → (Target, units); adds form errors for unknown codes. Whether the user
    may count toward them is the service's decision (shown on the form when refused)."""
    known = {
        t.code.casefold(): t for t in Target.objects.filter(plan=plan).select_related("project")
    }
    result: list[tuple[Target, int]] = []
    ok = True
    for row in formset.forms:
        code = str(row.cleaned_data.get("target") or "").strip()
        if not code:
            continue
        # Accept "1.A.1.a — text" as typed from the datalist.
        code = code.split(" ")[0]
        target = known.get(code.casefold())
        if target is None:
            row.add_error(
                "target",
                _("Unknown target code %(code)s in this plan.") % {"code": code},
            )
            ok = False
            continue
        result.append((target, row.cleaned_data.get("units") or 1))
    return result if ok else None


def _cleaned(form: Any) -> dict[str, Any]:
    return getattr(form, "cleaned_data", None) or {}


def _preview_problems(
    form: EventForm, targets: Any, countries: Any, resolved: list[tuple[Target, int]] | None
) -> list[Problem]:
    """The event rules (:func:`cicte.delivery.rules.event_problems`) on the values that
    parsed, even when other fields did not, so a single submit shows every problem. The
    service applies the same rules again when it writes."""
    data = _cleaned(form)

    def number(name: str) -> int:
        value = data.get(name)
        return value if isinstance(value, int) else 0

    problems = event_problems(
        start_date=data.get("start_date"),
        end_date=data.get("end_date"),
        participants_total=number("participants_total"),
        participants_women=number("participants_women"),
        participants_men=number("participants_men"),
        units=[units for _target, units in resolved or ()],
        country_totals=[
            sum(int(_cleaned(row).get(name) or 0) for name in ("women", "men", "not_stated"))
            for row in countries.forms
            if _cleaned(row).get("member_state")
        ],
    )
    if resolved == [] and not targets.non_form_errors():
        problems.append(Problem("targets", "no_target", "no target"))
    # A field Django already refused keeps that one message.
    return [p for p in problems if p.field not in form.errors]


def _apply_problems(
    error: EventValidationError, form: EventForm, targets: Any, countries: Any
) -> None:
    for problem in error.problems:
        message = PROBLEM_MESSAGES.get(problem.code, problem.message)
        if problem.field in ("targets", "units"):
            targets._non_form_errors.append(message)
        elif problem.field == "country_participation":
            countries._non_form_errors.append(message)
        elif problem.field in form.fields:
            form.add_error(problem.field, message)
        else:
            form.add_error(None, message)


def _save_event(request: HttpRequest, event: Event | None) -> tuple[Event | None, dict[str, Any]]:
    data = request.POST
    form = EventForm(data)
    targets = TargetFormSet(data, prefix="targets")
    countries = CountryFormSet(data, prefix="countries")
    plan = _plan_from(data.get("plan")) if event is None else event.plan
    valid = form.is_valid() & targets.is_valid() & countries.is_valid()
    resolved = _resolve_targets(targets, plan) if targets.is_valid() and plan is not None else None
    # Every problem at once, next to its field: the event's rules on whatever parsed, and
    # whether the user may count toward the chosen targets, before the service is asked.
    problems = _preview_problems(form, targets, countries, resolved)
    refused = resolved is not None and not can_count_toward(
        request.user, [target for target, _units in resolved]
    )
    if refused:
        problems.append(Problem("targets", "scope", "a target outside the user's programs"))
    if problems:
        _apply_problems(EventValidationError(problems), form, targets, countries)
    elif valid and resolved is not None and plan is not None:
        cd = form.cleaned_data
        country_rows = [
            CountryRow(
                r.cleaned_data["member_state"],
                r.cleaned_data.get("women") or 0,
                r.cleaned_data.get("men") or 0,
                r.cleaned_data.get("not_stated") or 0,
            )
            for r in countries.forms
            if r.cleaned_data.get("member_state")
        ]
        partners = list(cd["partners"]) + list(cd["partners_extra"])
        try:
            if cd["new_partner_name"]:
                partners.append(
                    directory_services.organization_create(
                        actor=request.user,
                        name=cd["new_partner_name"],
                        acronym=cd["new_partner_acronym"],
                    )
                )
            values: dict[str, Any] = {
                "kind": cd["kind"],
                "title": cd["title"],
                "start_date": cd["start_date"],
                "end_date": cd["end_date"],
                "status": cd["status"],
                "modality": cd["modality"],
                "city": cd["city"],
                "host_state": _state(cd["host_state"]),
                "beneficiaries": cd["beneficiaries"],
                "participants_total": cd["participants_total"],
                "participants_women": cd["participants_women"],
                "participants_men": cd["participants_men"],
                "country_participation": country_rows,
                "partners": list(dict.fromkeys(partners)),
                "funding_source": cd["funding_source_obj"],
                "cost": cd["cost"],
                "currency": cd["currency"],
                "course": cd["course"],
                "provider": cd["provider_obj"],
                "notes": cd["notes"],
                "targets": resolved,
            }
            if event is None:
                saved = services.event_record(actor=request.user, plan=plan, **values)
            else:
                saved = services.event_update(
                    actor=request.user, event=event, version=cd.get("version"), **values
                )
            return saved, {}
        except EventValidationError as exc:
            _apply_problems(exc, form, targets, countries)
        except ApplicationError as exc:  # refused (not allowed) or stale: nothing was saved
            form.add_error(None, exc.message)
    return None, _form_context(
        request=request,
        event=event,
        form=form,
        targets=targets,
        countries=countries,
        plan=plan,
    )


def _state(code: str) -> Any:
    return MemberState.objects.filter(code=code).first() if code else None


def _event_form_page(request: HttpRequest, event: Event | None) -> HttpResponse:
    plan: WorkPlan | None
    if request.method == "POST":
        action_add = request.POST.get("add_target", "")
        action_search = "search_targets" in request.POST
        add_row = request.POST.get("add_row", "")
        if action_add or action_search or add_row in ("targets", "countries"):
            # Re-display what was typed without saving: a target added from the search,
            # the search results, or one more row of targets or countries.
            form, target_rows, country_rows = _unbound_from_post(request.POST)
            if action_add and not any(r["target"] == action_add for r in target_rows):
                target_rows.append({"target": action_add, "units": 1})
            plan = event.plan if event else _plan_from(request.POST.get("plan"))
            shown = {
                prefix: _posted_rows(request.POST, prefix) for prefix in ("targets", "countries")
            }
            shown[add_row] = shown.get(add_row, 0) + ADD_ROWS
            context = _form_context(
                request=request,
                event=event,
                form=form,
                targets=grown_formset(
                    TargetFormSet, prefix="targets", initial=target_rows, rows=shown["targets"]
                ),
                countries=grown_formset(
                    CountryFormSet,
                    prefix="countries",
                    initial=country_rows,
                    rows=shown["countries"],
                ),
                plan=plan,
                search=request.POST.get("target_query", "") if action_search else "",
            )
            context["focus_row"] = add_row
            return render(request, "delivery/event_form.html", context)
        saved, context = _save_event(request, event)
        if saved is not None:
            messages.success(
                request,
                _("Event saved: %(title)s") % {"title": saved.title},
            )
            if "save_and_new" in request.POST:
                return redirect(f"{_url('workspace:event-create')}?plan={saved.plan_id}")
            return redirect(saved.get_absolute_url())
        return render(request, "delivery/event_form.html", context, status=200)
    # GET
    if event is not None:
        initial = _initial_from_event(event)
        initial["version"] = version_of(event)
        target_rows = [
            {"target": c.target.code, "units": c.units}
            for c in event.contributions.select_related("target").order_by("target__position")
        ]
        country_rows = [
            {
                "member_state": c.member_state.code,
                "women": c.women,
                "men": c.men,
                "not_stated": c.not_stated,
            }
            for c in event.country_participation.select_related("member_state")
        ]
        plan = event.plan
    else:
        plan = _plan_from(request.GET.get("plan"))
        initial = {"plan": plan.pk if plan else None, "status": EventStatus.HELD}
        code = request.GET.get("target", "")
        target_rows = [{"target": code, "units": 1}] if code else []
        country_rows = []
    context = _form_context(
        request=request,
        event=event,
        form=EventForm(initial=initial),
        targets=TargetFormSet(prefix="targets", initial=target_rows),
        countries=CountryFormSet(prefix="countries", initial=country_rows),
        plan=plan,
    )
    return render(request, "delivery/event_form.html", context)


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


@workspace_required
def event_create(request: HttpRequest) -> HttpResponse:
    # The form is offered to those who may record events; a save is the service's decision.
    if request.method != "POST" and not can_record_events(request.user):
        raise PermissionDenied
    return _event_form_page(request, None)


def _event_for_change(request: HttpRequest, pk: int) -> Event:
    """The event a form or action is about. Pages (GET) are offered only to those who may
    edit it; writes (POST) are decided by the service, which refuses with a 403."""
    event = get_object_or_404(Event.objects.select_related("plan"), pk=pk)
    if request.method != "POST" and not can_edit_event(request.user, event):
        raise PermissionDenied
    return event


@workspace_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form_page(request, _event_for_change(request, pk))


@workspace_required
@require_GET
def target_search(request: HttpRequest) -> HttpResponse:
    """Targets matching ``q`` (code or words): a partial for htmx, a page otherwise."""
    plan = _plan_from(request.GET.get("plan"))
    query = request.GET.get("q", "") or request.GET.get("target_query", "")
    results = selectors.target_search(plan=plan, query=query) if plan else []
    context = {
        "plan": plan,
        "search": query,
        "search_results": results,
        "in_form": False,
        "can_record": can_record_events(request.user),
    }
    if getattr(request, "htmx", False):
        context["in_form"] = True
        return render(request, "delivery/event_form.html#target-results", context)
    return render(request, "delivery/target_search.html", context)


@workspace_required
@require_POST
def event_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for_change(request, pk)
    try:
        copy = services.event_duplicate(actor=request.user, event=event)
    except EventLocked as exc:
        messages.error(request, exc.message)
        return redirect(event.get_absolute_url())
    messages.success(request, _("Event duplicated: edit the copy below."))
    return redirect(_url("workspace:event-edit", copy.pk))


@workspace_required
@require_POST
def event_status(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for_change(request, pk)
    try:
        event = services.event_set_status(
            actor=request.user,
            event=event,
            status=request.POST.get("status", ""),
            version=parse_version(request.POST.get("version")),
        )
    except EventValidationError:
        messages.error(request, _("Unknown status."))
    except (StaleEdit, EventLocked) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Status changed to %(status)s.") % {"status": event.get_status_display()}
        )
    return redirect(event.get_absolute_url())


# --- attachments --------------------------------------------------------------------------


@workspace_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_for_change(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                event=event,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except EventValidationError as exc:
            for problem in exc.problems:
                messages.error(request, str(PROBLEM_MESSAGES.get(problem.code, problem.message)))
        except EventLocked as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Document attached."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(event.get_absolute_url())


@workspace_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A streaming response; the decorator's type names HttpResponse.
    return cast(HttpResponse, response)


# --- import and export --------------------------------------------------------------------


@workspace_required
def event_import(request: HttpRequest) -> HttpResponse:
    # Secretariat staff only (an import may touch every program); the service checks it too.
    if not can_import_events(request.user):
        raise PermissionDenied
    result = None
    file_error = ""
    plan = selectors.default_plan()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            plan = form.cleaned_data["plan"]
            try:
                sheet = read_events(form.cleaned_data["file"].read())
            except SpreadsheetError as exc:
                file_error = str(exc)
            else:
                result = services.events_import(
                    actor=request.user,
                    plan=plan,
                    rows=sheet.rows,
                    parse_errors=sheet.errors,
                    import_valid_only=form.cleaned_data["valid_only"],
                )
                if result.written:
                    messages.success(
                        request,
                        _(
                            "Imported: %(created)s created, %(updated)s updated, "
                            "%(unchanged)s unchanged."
                        )
                        % {
                            "created": result.created,
                            "updated": result.updated,
                            "unchanged": result.unchanged,
                        },
                    )
                    if not result.errors:
                        return redirect(f"{_url('workspace:event-list')}?plan={plan.pk}")
    else:
        form = ImportForm(initial={"plan": plan})
    return render(
        request,
        "delivery/event_import.html",
        {"form": form, "result": result, "file_error": file_error, "plan": plan},
    )


@workspace_required
@require_GET
def event_template(request: HttpRequest) -> HttpResponse:
    plan = _plan_from(request.GET.get("plan"))
    targets = selectors.target_options(plan=plan) if plan else []
    label = f"the {plan.year} Work Plan ({plan.symbol})" if plan else "the Work Plan"
    data = exporting.events_template(targets=targets, plan_label=label)
    response = HttpResponse(data, content_type=exporting.XLSX_CONTENT_TYPE)
    year = plan.year if plan else "plan"
    response["Content-Disposition"] = f'attachment; filename="events-template-{year}.xlsx"'
    return response


@workspace_required
@require_GET
def event_export(request: HttpRequest) -> HttpResponse:
    plan = _plan_from(request.GET.get("plan"))
    if plan is None:
        raise Http404
    period = None
    if request.GET.get("period"):
        try:
            period = parse_period(request.GET["period"])
        except PeriodError:
            period = None
    file_format = request.GET.get("format", "xlsx")
    events = Event.objects.filter(plan=plan)
    if period is not None:
        events = events.filter(end_date__gte=period.start, end_date__lte=period.end)
    if events.count() > settings.CICTE_EXPORT_BACKGROUND_EVENTS:
        # Large exports are written by the background worker; the user follows the job.
        from cicte.delivery.tasks import export_events

        job = export_events.enqueue(
            label=f"Export the {plan.year} events ({file_format.upper()})",
            actor=request.user,
            plan_id=plan.pk,
            period=period.label if period else "",
            file_format="csv" if file_format == "csv" else "xlsx",
        )
        return redirect(job.get_absolute_url())
    rows = selectors.export_rows(plan=plan, period=period)
    suffix = f"-{period.label}" if period else ""
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv":
        response = StreamingHttpResponse(
            exporting.events_csv_lines(rows), content_type=exporting.CSV_CONTENT_TYPE
        )
        name = f"events-{plan.year}{suffix}.csv"
    else:
        # Written to a temporary file by openpyxl's write-only workbook and streamed from
        # there: memory does not grow with the number of events.
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
        exporting.write_events_xlsx(rows, spool)
        spool.seek(0)
        response = FileResponse(spool, content_type=exporting.XLSX_CONTENT_TYPE)
        name = f"events-{plan.year}{suffix}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name.replace("..", "_")}"'
    return cast(HttpResponse, response)  # CSV streams; the decorator's type names HttpResponse


# --- a point of contact's country ---------------------------------------------------------


@table_downloads
def my_country(request: HttpRequest) -> HttpResponse:
    """A point of contact's view of their country (``?state=JAM`` when they speak for several):
    its events (host or beneficiary) and its own participants. Staff use the workspace's
    member-state pages instead."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = chosen_member_state(request.user, request.GET.get("state"))
    if state is None:
        if is_secretariat(request.user):
            return redirect("workspace:dashboard")
        raise PermissionDenied
    received = Event.beneficiaries.through.objects.filter(memberstate=state).values("event_id")
    events = Event.objects.visible_to(request.user).filter(Q(host_state=state) | Q(pk__in=received))
    page_events = (
        events.select_related("plan", "host_state")
        .prefetch_related(
            "beneficiaries",
            Prefetch(
                "participants",
                queryset=Participant.objects.visible_to(request.user)
                .filter(member_state=state)
                .order_by("name"),
                to_attr="own_participants",
            ),
            Prefetch(
                "country_participation",
                queryset=CountryParticipation.objects.filter(member_state=state),
                to_attr="own_participation",
            ),
        )
        .order_by("-end_date", "-id")
    )
    page = Paginator(page_events, 25).get_page(request.GET.get("page"))
    # The country's own figures (held events; participants from the per-country rows),
    # never the events' totals, which count every country's participants.
    own = CountryParticipation.objects.filter(
        member_state=state, event__in=events.filter(status=EventStatus.HELD)
    ).aggregate(women=Sum("women"), men=Sum("men"), not_stated=Sum("not_stated"))
    figures = {k: int(v or 0) for k, v in own.items()}
    figures["total"] = sum(figures.values())
    figures["events_held"] = events.filter(status=EventStatus.HELD).count()
    context = {
        "state": state,
        "page": page,
        "states": user_member_states(request.user),
        "figures": figures,
    }
    return render(request, "accounts/my_country.html", context)
