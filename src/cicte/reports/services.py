"""Writes of the reports app: period narratives and publication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core import audit, dataversion
from cicte.core.errors import require
from cicte.core.periods import Period, PeriodError, parse_period
from cicte.core.types import Actor, actor_user
from cicte.core.versioning import check_version
from cicte.plan.models import Program, WorkPlan
from cicte.reports import permissions
from cicte.reports.models import Narrative, PublishedReport, ReportFormat, StoredRender
from cicte.reports.registry import publish_listeners

NARRATIVE_MAX_CHARS = 5000


@transaction.atomic
def narrative_save(
    *, actor: Actor, program: Program, period: str, text: str, version: int | None = None
) -> Narrative:
    """Create or update the program's narrative for a period label ("2012-H1"). ``version``
    is the token the writer read (0 for "there was none"): a stale one is refused."""
    require(
        permissions.can_write_narrative(actor, program),
        _("You may only write the narratives of the programs you manage."),
    )
    try:
        label = parse_period(period).label
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None
    text = text.strip()
    if len(text) > NARRATIVE_MAX_CHARS:
        raise ValidationError(f"The narrative is longer than {NARRATIVE_MAX_CHARS} characters.")
    narrative = Narrative.objects.select_for_update().filter(
        program=program, period=label
    ).first() or Narrative(program=program, period=label)
    if narrative.pk is not None:
        check_version(narrative, version)
    narrative.text = text
    if actor_user(actor) is not None:
        narrative.author = actor_user(actor)
    audit.save(narrative, actor=actor)
    return narrative


def report_publish(
    *,
    actor: Actor,
    plan: WorkPlan,
    period: Period | str,
    language: str,
    issued: dt.date | None = None,
    progress: Callable[[int, Any], None] | None = None,
) -> list[PublishedReport]:
    """Freeze the report as HTML (shown at /reports/) and PDF; re-publishing replaces both.
    A decision of the Secretariat (:func:`can_publish_report`).

    The rendering happens outside any transaction (on SQLite a transaction would hold the
    write lock for the whole render); only the final save of the rows is one short
    transaction, so a run that stops half-way leaves the previous publication intact and
    can simply be run again. Normally called by the background job (``report_publish_request``).

    ``issued`` is the date of issue printed on the report (today when not given); every
    format of the publication carries it, and later drafts of the same report show it too."""
    require(permissions.can_publish_report(actor), _("Only the Secretariat publishes the report."))
    from cicte.reports.build import report_data
    from cicte.reports.renderers import html as html_renderer
    from cicte.reports.renderers import pdf as pdf_renderer

    step = progress or (lambda percent, message: None)
    if isinstance(period, str):
        period = parse_period(period)
    step(10, gettext_lazy("Collecting the report data"))
    issued = issued or timezone.localdate()
    data = report_data(plan=plan, period=period, language=language, issued=issued)
    step(30, gettext_lazy("Rendering the web page"))
    fragment = html_renderer.render_fragment(data)
    step(50, gettext_lazy("Rendering the PDF"))
    pdf = pdf_renderer.render(data)
    step(90, gettext_lazy("Saving the publication"))
    now = timezone.now()
    published = []
    outputs: list[tuple[str, str, bytes | None]] = [
        (ReportFormat.HTML, fragment, None),
        (ReportFormat.PDF, "", pdf),
    ]
    with transaction.atomic():
        for fmt, html, content in outputs:
            report = PublishedReport.objects.filter(
                plan=plan, period=period.label, language=language, format=fmt
            ).first() or PublishedReport(
                plan=plan, period=period.label, language=language, format=fmt
            )
            report.title = data.meta.title
            report.document_symbol = data.meta.document_symbol
            report.html = html
            report.published_at = now
            report.issued = issued
            if actor_user(actor) is not None:
                report.published_by = actor_user(actor)
            if content is not None:
                name = f"{plan.year}-{period.label}-{language}.{fmt}".replace("/", "-")
                report.file.save(name, ContentFile(content), save=False)
            audit.save(report, actor=actor)
            published.append(report)
        for listener in publish_listeners():
            listener(plan=plan, period=period, reports=published, actor=actor)
    return published


def report_render_stored(
    *,
    actor: Actor,
    plan: WorkPlan,
    period: Period,
    language: str,
    fmt: str,
    paper: str = "a4",
    progress: Callable[[int, object], None] | None = None,
) -> StoredRender:
    """The draft report in one format, rendered once per data version and stored: a second
    request for the same plan, period, language, format, paper and date of issue, with no
    write to the plan's data in between, gets the stored file without rendering.

    The data version is read first (a write racing with the render leaves a render under the
    old version, never new data missing from a file labelled current). The render runs
    outside any transaction; the row is written in a short one at the end, and older renders
    of the same choice (earlier versions) are removed with their files.
    """
    from cicte.reports import selectors
    from cicte.reports.build import report_data
    from cicte.reports.renderers import default_filename, render

    require(
        permissions.can_read_draft_report(actor),
        _("Only Secretariat staff read draft reports."),
    )
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
    if stored is not None:
        return stored
    if progress is not None:
        progress(10, gettext_lazy("Collecting the report data"))
    data = report_data(plan=plan, period=period, language=language, issued=issued)
    if progress is not None:
        progress(40, gettext_lazy("Rendering the document"))
    content = render(data, fmt, paper=paper)
    name = default_filename(data, fmt)
    with transaction.atomic():
        StoredRender.objects.filter(key=key).delete()  # a row whose file went missing
        stored = StoredRender(
            key=key,
            plan=plan,
            period=period.label,
            language=language,
            format=fmt,
            paper=paper,
            issued=issued,
            data_version=version,
            filename=name,
        )
        stored.file.save(name, ContentFile(content), save=False)
        stored.save()
        older = StoredRender.objects.filter(
            plan=plan, period=period.label, language=language, format=fmt, paper=paper
        ).exclude(pk=stored.pk)
        for old in older:
            old.delete()
            transaction.on_commit(partial(old.file.storage.delete, old.file.name))
    return stored
