from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.directory.models import MemberState, Organization, Subregion
from cicte.plan.models import WorkPlan
from cicte.scholarships.models import Sex, TravelStatus

LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]


class CallForm(forms.Form):
    plan = forms.ModelChoiceField(WorkPlan.objects.order_by("-year"), label=_("Plan"))
    target = forms.CharField(
        label=_("Scholarship target (code)"), max_length=24, help_text=_("For example 1.B.3")
    )
    course = forms.CharField(label=_("Course"), max_length=300)
    provider = forms.ModelChoiceField(Organization.objects.order_by("name"), label=_("Provider"))
    funding_source = forms.ModelChoiceField(
        Organization.objects.order_by("name"), label=_("Donor / funding source"), required=False
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    city = forms.CharField(label=_("Place"), max_length=200, required=False)
    host_state = forms.ModelChoiceField(
        MemberState.objects.order_by("code"), label=_("Host member state"), required=False
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000)
    nomination_deadline = forms.DateTimeField(
        label=_("Nomination deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    eligible_states = forms.ModelMultipleChoiceField(
        MemberState.objects.order_by("code"),
        label=_("Eligible member states (none chosen: all)"),
        required=False,
    )
    eligible_subregions = forms.MultipleChoiceField(
        choices=Subregion.choices,
        label=_("Eligible subregions (none chosen: all)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    small_islands_only = forms.BooleanField(label=_("Small island states only"), required=False)
    profile = forms.CharField(label=_("Profile sought"), widget=forms.Textarea, required=False)
    public = forms.BooleanField(label=_("Show the call to the public"), required=False)


class NominationForm(forms.Form):
    member_state = forms.ModelChoiceField(MemberState.objects.none(), label=_("Member state"))
    name = forms.CharField(label=_("Name"), max_length=200)
    institution = forms.CharField(label=_("Institution"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea, required=False, max_length=5000
    )
    document = forms.FileField(
        label=_("Supporting document (PDF, DOCX, PNG or JPEG)"), required=False
    )

    def __init__(self, *args: Any, states: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member_state"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = MemberState.objects.filter(pk__in=[s.pk for s in states])
        field.empty_label = None  # a point of contact speaks for at least one state


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("completed", _("Completed")), ("not_completed", _("Did not complete"))],
    )
    certificate = forms.FileField(label=_("Certificate (PDF, PNG or JPEG)"), required=False)
    issue_certificate = forms.BooleanField(
        label=_("Issue the certificate as a PDF"), required=False
    )
    reason = forms.CharField(label=_("Reason (if not completed)"), required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class TravelForm(forms.Form):
    departure = forms.DateField(
        label=_("Departure"), widget=forms.DateInput(attrs={"type": "date"})
    )
    return_date = forms.DateField(label=_("Return"), widget=forms.DateInput(attrs={"type": "date"}))
    itinerary = forms.CharField(label=_("Itinerary"), max_length=500)
    status = forms.ChoiceField(label=_("Travel status"), choices=TravelStatus.choices)
    cost = forms.DecimalField(
        label=_("Cost"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
