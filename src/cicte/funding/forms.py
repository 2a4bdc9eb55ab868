"""Forms of the funding pages (amounts as text: the services parse and validate them)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.core.form_bounds import check_decimal_text
from cicte.directory.models import MemberState, Organization
from cicte.funding.models import ContributionStatus, Donor, DonorKind
from cicte.plan.models import Program, Project, WorkPlan

# The columns' sizes (funding/models.py): amounts DecimalField(16, 2), rates (18, 8).
_AMOUNT = {"max_digits": 16, "decimal_places": 2}
_RATE = {"max_digits": 18, "decimal_places": 8}


def _check_product(form: forms.Form, amount: object, rate: object) -> None:
    """The amount in US dollars (amount × rate) is stored too."""
    try:
        usd = Decimal(str(amount).strip()) * Decimal(str(rate or "1").strip())
    except (InvalidOperation, ValueError):
        return
    if usd.is_finite() and abs(usd) >= Decimal(10) ** 14:
        form.add_error("amount", _("The amount in US dollars (amount × rate) is too large."))


class DateInput(forms.DateInput):
    input_type = "date"


class _Labelled(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Project | Program):
            return f"{obj.plan.year} · {obj.code} {str(obj.title)[:80]}"
        return str(obj)


class DonorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DonorKind.choices)
    member_state = forms.ModelChoiceField(
        label=_("Member state"), queryset=MemberState.objects.order_by("code"), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.order_by("name"), required=False
    )
    observer_name = forms.CharField(label=_("Permanent observer"), max_length=200, required=False)


class ContributionForm(forms.Form):
    donor = forms.ModelChoiceField(
        label=_("Donor"),
        queryset=Donor.objects.select_related("member_state", "organization"),
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=WorkPlan.objects.order_by("-year"))
    status = forms.ChoiceField(label=_("Status"), choices=ContributionStatus.choices)
    amount = forms.CharField(label=_("Amount"), max_length=30)
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
    rate_to_usd = forms.CharField(
        label=_("Rate to US dollars"),
        max_length=30,
        required=False,
        help_text=_("US dollars for one unit of the currency; leave empty for USD."),
    )
    project = _Labelled(
        label=_("Project"),
        queryset=Project.objects.select_related("plan").order_by("-plan__year", "position"),
        required=False,
    )
    program = _Labelled(
        label=_("Program"),
        queryset=Program.objects.select_related("plan").order_by("-plan__year", "position"),
        required=False,
        help_text=_("Leave project and program empty for an unearmarked contribution."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_amount(self) -> str:
        return check_decimal_text(self.cleaned_data["amount"], **_AMOUNT)

    def clean_rate_to_usd(self) -> str:
        return check_decimal_text(self.cleaned_data["rate_to_usd"], **_RATE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_product(self, cleaned.get("amount"), cleaned.get("rate_to_usd"))
        return cleaned


class AmountForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    amount = forms.CharField(label=_("Amount (USD)"), max_length=30)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)

    def clean_amount(self) -> str:
        return check_decimal_text(self.cleaned_data["amount"], **_AMOUNT)


class ReceivedForm(forms.Form):
    date = forms.DateField(label=_("Date received"), widget=DateInput)
    rate_to_usd = forms.CharField(label=_("Rate to US dollars"), required=False, max_length=30)

    def clean_rate_to_usd(self) -> str:
        return check_decimal_text(self.cleaned_data["rate_to_usd"], **_RATE)
