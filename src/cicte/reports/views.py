"""Report pages: the staff workspace (preview, downloads, narratives, publication) and the
public list of published reports. Thin: permission, parse, selector/service, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cicte.access.permissions import workspace_required
from cicte.core import dataversion
from cicte.core.errors import ApplicationError
from cicte.core.forms_actions import error_message
from cicte.core.tables import table_downloads
from cicte.core.versioning import version_of
from cicte.plan.models import Program, WorkPlan
from cicte.reports import build, selectors, services, tasks
from cicte.reports.forms import NarrativeForm, PublishForm, ReportChoiceForm
from cicte.reports.models import Narrative, PublishedReport, ReportFormat
from cicte.reports.permissions import can_publish_report, can_write_narrative
from cicte.reports.renderers import CONTENT_TYPES, FORMATS
from cicte.reports.renderers import html as html_renderer


def _initial(request: HttpRequest) -> dict[str, Any]:
    plan = WorkPlan.objects.order_by("-year", "-id").first()
    period = ""
    if plan is not None:
        period = f"{plan.year}-H1"
    language = get_language() or "en"
    return {
        "plan": plan.pk if plan else None,
        "period": period,
        "lang": language if language in build.LANGUAGES else "en",
    }


def _choice(request: HttpRequest) -> ReportChoiceForm:
    """The GET choice, or the newest plan's first half-year so the preview shows at once."""
    if "plan" in request.GET:
        return ReportChoiceForm(request.GET)
    initial = _initial(request)
    return ReportChoiceForm(initial) if initial["plan"] else ReportChoiceForm()


def _query(form: ReportChoiceForm) -> str:
    return urlencode(
        {
            "plan": form.cleaned_data["plan"].pk,
            "period": form.cleaned_data["period"].label,
            "lang": form.cleaned_data["lang"],
        }
    )


@workspace_required
def report(request: HttpRequest) -> HttpResponse:
    form = _choice(request)
    context: dict[str, Any] = {"form": form, "formats": FORMATS}
    if form.is_valid():
        plan = form.cleaned_data["plan"]
        period = form.cleaned_data["period"]
        language = form.cleaned_data["lang"]
        issued = selectors.issued_on(plan=plan, period=period, language=language)
        data = build.report_data(plan=plan, period=period, language=language, issued=issued)
        narratives = {
            n.program_id: n
            for n in Narrative.objects.filter(program__plan=plan, period=period.label)
        }
        programs = Program.objects.filter(plan=plan).order_by("position", "id")
        context.update(
            plan=plan,
            period=period,
            language=language,
            query=_query(form),
            # The fragment is our own template's output (autoescaped).
            preview=mark_safe(html_renderer.render_fragment(data)),  # noqa: S308
            narrative_forms=[
                (
                    program,
                    NarrativeForm(
                        initial={
                            "program": program.pk,
                            "period": period.label,
                            "lang": language,
                            "text": narratives[program.pk].text if program.pk in narratives else "",
                            "version": (
                                version_of(narratives[program.pk])
                                if program.pk in narratives
                                else 0
                            ),
                        },
                        auto_id=f"narrative-{program.pk}-%s",
                    ),
                    can_write_narrative(request.user, program),
                )
                for program in programs
            ],
            can_publish=can_publish_report(request.user),
            publish_form=PublishForm(
                initial={
                    "issued": issued or timezone.localdate(),
                },
                auto_id="publish-%s",
            ),
            published=PublishedReport.objects.filter(
                plan=plan, period=period.label, language=language
            ).order_by("format"),
        )
    return render(request, "reports/workspace_report.html", context)


@workspace_required
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    form = ReportChoiceForm(request.GET)
    if not form.is_valid():
        return redirect(reverse("workspace:report"))
    paper = request.GET.get("paper", "a4")
    if paper not in ("a4", "letter"):
        paper = "a4"
    plan = form.cleaned_data["plan"]
    period = form.cleaned_data["period"]
    language = form.cleaned_data["lang"]
    # Rendered once per data version and stored (services.report_render_stored): a stored
    # render of this choice is served at once, in every format.
    version = dataversion.current(plan.pk)
    issued = selectors.issued_on(plan=plan, period=period, language=language)
    key = selectors.render_key(
        plan=plan,
        period=period,
        language=language,
        fmt=fmt,
        paper=paper,
        issued=issued,
        version=version,
    )
    stored = selectors.stored_render(key=key)
    if stored is None and fmt != "pdf":
        stored = services.report_render_stored(
            actor=request.user, plan=plan, period=period, language=language, fmt=fmt, paper=paper
        )
    if stored is not None:
        with stored.file.open("rb") as handle:  # a few MB at most (the annex is capped)
            response = HttpResponse(handle.read(), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
    if fmt == "pdf":
        # Tens of seconds on a full year: rendered in the background; the job's page shows
        # its progress and then the file (and this link serves the stored PDF from then on).
        job = tasks.report_render_request(
            actor=request.user,
            plan=plan,
            period=period,
            language=language,
            file_format=fmt,
            paper=paper,
            ui_language=get_language() or "en",
        )
        return redirect(job.get_absolute_url())
    raise Http404  # not reached: every other format was rendered above


@workspace_required
@require_POST
def narrative_save(request: HttpRequest) -> HttpResponse:
    form = NarrativeForm(request.POST)
    if not form.is_valid() and "program" in form.errors:
        raise Http404
    program = get_object_or_404(Program, pk=form.data.get("program"))
    back = (
        reverse("workspace:report")
        + "?"
        + urlencode(
            {
                "plan": program.plan_id,
                "period": form.data.get("period", ""),
                "lang": form.data.get("lang", "en"),
            }
        )
    )
    if not form.is_valid():
        messages.error(request, _("The narrative was not saved: check its length."))
        return redirect(back)
    try:
        services.narrative_save(
            actor=request.user,
            program=program,
            period=form.cleaned_data["period"],
            text=form.cleaned_data["text"],
            version=form.cleaned_data.get("version"),
        )
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_message(exc))
        return redirect(back)
    messages.success(request, _("Narrative saved for %(program)s.") % {"program": program.code})
    return redirect(back + "#narratives")


@workspace_required
@require_POST
def report_publish(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a plan, a period within its year and a language."))
        return redirect(reverse("workspace:report"))
    job = tasks.report_publish_request(
        actor=request.user,
        plan=form.cleaned_data["plan"],
        period=form.cleaned_data["period"],
        language=form.cleaned_data["lang"],
        issued=form.cleaned_data.get("issued"),
        ui_language=get_language() or "en",
    )
    if job.status == "succeeded":
        messages.success(request, _("The report was published at /reports/."))
    elif job.status == "failed":
        messages.error(
            request, _("The report could not be published: %(error)s") % {"error": job.error}
        )
    else:
        messages.info(request, _("The report is being published in the background."))
    return redirect(job.get_absolute_url())


# --- public ----------------------------------------------------------------------------


@table_downloads
def public_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.published_reports().filter(format=ReportFormat.HTML)
    pdfs = {
        (r.plan_id, r.period, r.language): r
        for r in selectors.published_reports().filter(format=ReportFormat.PDF)
    }
    rows = [(r, pdfs.get((r.plan_id, r.period, r.language))) for r in reports]
    return render(request, "reports/public_list.html", {"rows": rows})


def _sibling(report: PublishedReport, fmt: str) -> PublishedReport | None:
    """The same publication (plan, period, language) in another format."""
    return PublishedReport.objects.filter(
        plan_id=report.plan_id, period=report.period, language=report.language, format=fmt
    ).first()


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published report's page. Every format of a publication answers here: the id of its
    PDF leads to the same page (the PDF is at ``/reports/<id>/pdf/`` with the page's id)."""
    report = get_object_or_404(PublishedReport, pk=pk)
    if report.format != ReportFormat.HTML:
        page = _sibling(report, ReportFormat.HTML)
        if page is None:
            raise Http404
        return redirect(page.get_absolute_url(), permanent=True)
    pdf = _sibling(report, ReportFormat.PDF)
    return render(
        request,
        "reports/public_detail.html",
        # Stored at publication from our own autoescaped template.
        {"report": report, "body": mark_safe(report.html), "pdf": pdf},  # noqa: S308
    )


def public_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF of the publication whose page is ``/reports/<pk>/`` (the same id)."""
    page = get_object_or_404(PublishedReport, pk=pk)
    pdf = page if page.format == ReportFormat.PDF else _sibling(page, ReportFormat.PDF)
    if pdf is None:
        raise Http404
    return public_file(request, pdf.pk)


def public_file(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(PublishedReport, pk=pk)
    if not report.file:
        raise Http404
    name = f"{report.document_symbol}-{report.language}.{report.format}".replace("/", "-")
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=report.format != ReportFormat.PDF,
        filename=name.replace(" ", ""),
        content_type=CONTENT_TYPES.get(report.format, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
