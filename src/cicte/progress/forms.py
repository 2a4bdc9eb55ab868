"""The dashboard's filter form (GET). Choices depend on the chosen plan."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cicte.core.periods import Period, PeriodError, parse_period
from cicte.directory.countries import country_name
from cicte.directory.models import MemberState
from cicte.plan.models import Program, WorkArea, WorkPlan


def period_suggestions(year: int) -> list[str]:
    return [str(year), f"{year}-H1", f"{year}-H2", *(f"{year}-Q{q}" for q in range(1, 5))]


class ProgressFilterForm(forms.Form):
    plan = forms.TypedChoiceField(label=_("Plan"), coerce=int, required=False)
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=40,
        help_text=_("2012, 2012-H1, 2012-Q3 or 2012-01-01..2012-03-31"),
    )
    work_area = forms.TypedChoiceField(label=_("Work area"), coerce=int, required=False)
    program = forms.ChoiceField(label=_("Program"), required=False)
    member_state = forms.ChoiceField(label=_("Member state"), required=False)

    def __init__(self, *args: Any, plans: list[WorkPlan], plan: WorkPlan | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plan_obj = plan
        cast(forms.ChoiceField, self.fields["plan"]).choices = [(p.pk, str(p)) for p in plans]
        everything: list[tuple[Any, Any]] = [("", _("All"))]
        areas = WorkArea.objects.filter(plan=plan).order_by("number") if plan else []
        cast(forms.ChoiceField, self.fields["work_area"]).choices = everything + [
            (a.number, f"{a.number}. {a.title}") for a in areas
        ]
        programs = Program.objects.filter(plan=plan).order_by("position") if plan else []
        cast(forms.ChoiceField, self.fields["program"]).choices = everything + [
            (g.code, f"{g.code} {g.title}") for g in programs
        ]
        language = get_language() or "en"
        states: list[tuple[Any, Any]] = sorted(
            ((s.code, country_name(s.code, language)) for s in MemberState.objects.all()),
            key=lambda pair: pair[1],
        )
        cast(forms.ChoiceField, self.fields["member_state"]).choices = everything + states
        self.fields["period"].widget.attrs.update(
            {"list": "period-suggestions", "inputmode": "text", "autocomplete": "off"}
        )
        if plan is not None:
            self.fields["period"].widget.attrs["placeholder"] = str(plan.year)

    def clean_period(self) -> Period | None:
        value = (self.cleaned_data.get("period") or "").strip()
        if not value:
            return None
        try:
            return parse_period(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
