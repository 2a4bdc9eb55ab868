"""Forms of the report pages (plan/period/language choice, narrative editing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.core.form_bounds import bounded_integer
from cicte.core.periods import Period, PeriodError, parse_period
from cicte.plan.models import WorkPlan
from cicte.reports.services import NARRATIVE_MAX_CHARS

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]


class ReportChoiceForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Work plan"), queryset=WorkPlan.objects.order_by("-year", "-id"), empty_label=None
    )
    period = forms.CharField(
        label=_("Period"), max_length=40, help_text=_("2012-H1, 2012-H2, 2012 or a date range")
    )
    lang = forms.ChoiceField(label=_("Report language"), choices=LANGUAGE_CHOICES)

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plan, period = data.get("plan"), data.get("period")
        if (
            plan is not None
            and isinstance(period, Period)
            and (period.start.year != plan.year or period.end.year != plan.year)
        ):
            self.add_error(
                "period",
                _("The period must fall within the plan year %(year)s.") % {"year": plan.year},
            )
        return data


class PublishForm(ReportChoiceForm):
    """Publishing: the choice of report and its date of issue (printed on every format)."""

    issued = forms.DateField(
        label=_("Date of issue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Printed on the report; today when left empty."),
    )


class NarrativeForm(forms.Form):
    program = bounded_integer(widget=forms.HiddenInput, min_value=1)
    period = forms.CharField(widget=forms.HiddenInput, max_length=40)
    lang = forms.ChoiceField(widget=forms.HiddenInput, choices=LANGUAGE_CHOICES, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    text = forms.CharField(
        label=_("Narrative"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NARRATIVE_MAX_CHARS,
        required=False,
    )
