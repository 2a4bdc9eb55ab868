"""Assembly of the semi-annual report: one :class:`ReportData` feeds every format.

:func:`report_data` reads the :class:`~cicte.reports.types.ReportContext` once
(:func:`cicte.reports.selectors.report_context`), then calls every registered section builder
in order (:mod:`cicte.reports.registry`) inside ``translation.override(language)``.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from django.utils import translation
from django.utils.translation import gettext as _

from cicte.core.periods import Period
from cicte.plan.models import WorkPlan
from cicte.reports.formatting import document_symbol, period_label
from cicte.reports.registry import registered_sections
from cicte.reports.selectors import report_context
from cicte.reports.types import ReportData, ReportError, ReportMeta

#: The report languages: the interface languages (``settings.LANGUAGES``).
LANGUAGES = ("en", "es", "fr", "pt")


def report_meta(
    *, plan: WorkPlan, period: Period, language: str, issued: dt.date | None = None
) -> ReportMeta:
    """``issued``: the date of issue the Secretariat set when publishing (shown on every
    format); None for a draft, which says so instead of showing the day it was generated."""
    symbol = document_symbol(plan=plan, period=period)
    original = translation.get_language_info(plan.original_language or "en")
    label = period_label(period, language)
    return ReportMeta(
        plan_id=plan.pk,
        plan_symbol=plan.symbol,
        plan_title=plan.title,
        plan_series=plan.series,
        plan_year=plan.year,
        period=period,
        period_label=label,
        language=language,
        document_symbol=symbol,
        issued=issued,
        issued_label=(
            format_date(issued, "long", locale=language)
            if issued is not None
            else _("Draft, not yet issued")
        ),
        # "Original: English" / "Original: inglés" / "anglais" / "inglês" (Spanish, French
        # and Portuguese write language names in lower case).
        original_language_label=(
            str(original["name_translated"]).lower()
            if language in ("es", "fr", "pt")
            else str(original["name_translated"])
        ),
        title=_("Semi-annual report on the implementation of the %(year)s Work Plan")
        % {"year": plan.year},
        subtitle=_("Period covered: %(period)s") % {"period": label},
    )


def report_data(
    *, plan: WorkPlan, period: Period, language: str, issued: dt.date | None = None
) -> ReportData:
    """The whole report for a plan and period, with text in ``language`` (en, es, fr, pt)."""
    if language not in LANGUAGES:
        raise ReportError(
            f"Unknown report language {language!r}: use one of {', '.join(LANGUAGES)}."
        )
    with translation.override(language):
        context = report_context(plan=plan, period=period, language=language)
        meta = report_meta(plan=plan, period=period, language=language, issued=issued)
        sections = []
        for spec in registered_sections():
            section = spec.build(context)
            if section is not None:
                sections.append(section)
    return ReportData(meta=meta, sections=sections)
