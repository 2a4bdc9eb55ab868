"""Forms of the staff workspace for events. They parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cicte.core.form_bounds import bounded_integer
from cicte.core.periods import Period, PeriodError, parse_period
from cicte.delivery.models import AttachmentKind, EventKind, EventStatus, Modality
from cicte.directory.countries import country_name
from cicte.directory.data import MEMBER_STATES
from cicte.directory.models import Organization
from cicte.directory.selectors import organization_lookup
from cicte.plan.models import Program, WorkPlan

# Messages for the services' problem codes (cicte.delivery.rules / services), translated.
PROBLEM_MESSAGES = {
    "end_before_start": _("The end date is before the start date."),
    "sex_exceeds_total": _("Women and men together exceed the number of participants."),
    "countries_exceed_total": _(
        "Participants by member state add up to more than the number of participants."
    ),
    "units_not_positive": _("Units must be 1 or more."),
    "target_other_plan": _("A chosen target belongs to another plan."),
    "target_twice": _("A target is listed twice."),
    "no_target": _("Choose at least one target the event counts toward."),
    "unknown_beneficiary": _("Unknown member state."),
    "unknown_target": _("Unknown target code."),
    "unknown_organization": _("Unknown organization: choose one from the list or add it below."),
    "too_large": _("The file is larger than the upload limit."),
    "file_type": _("Only PDF, Word (DOCX), Excel (XLSX), PNG and JPEG files can be attached."),
    "empty": _("The file is empty."),
    "negative": _("The value must be 0 or more."),
    # A program manager chose a target outside their programs: the service's refusal, shown
    # next to the targets before the service is asked (with the other problems).
    "scope": _("You may only record events toward targets of the programs you manage."),
}


def _state_choices(blank: str | None = None) -> list[tuple[str, str]]:
    from django.utils.translation import get_language

    language = get_language() or "en"
    choices = sorted(
        ((code, country_name(code, language)) for code, *_rest in MEMBER_STATES),
        key=lambda c: c[1],
    )
    return ([("", blank)] if blank is not None else []) + choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EventForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=WorkPlan.objects.order_by("-year", "-id"), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"),
        choices=EventStatus.choices,
        initial=EventStatus.HELD,
        help_text=_("Only held events count toward progress."),
    )
    modality = forms.ChoiceField(
        label=_("Modality"), choices=[("", "—"), *Modality.choices], required=False
    )
    city = forms.CharField(label=_("Venue city"), max_length=120, required=False)
    host_state = forms.ChoiceField(label=_("Host member state"), required=False)
    beneficiaries = forms.MultipleChoiceField(
        label=_("Beneficiary member states"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_total = bounded_integer(label=_("Participants (total)"), min_value=0, initial=0)
    participants_women = bounded_integer(label=_("Women"), min_value=0, initial=0)
    participants_men = bounded_integer(label=_("Men"), min_value=0, initial=0)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organizations"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners_other = forms.CharField(
        label=_("Other partners"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"list": "organization-names", "autocomplete": "off"}),
        help_text=_("Names or acronyms from the directory, separated by semicolons."),
    )
    new_partner_name = forms.CharField(
        label=_("Add a new organization: name"), required=False, max_length=300
    )
    new_partner_acronym = forms.CharField(label=_("Acronym"), required=False, max_length=40)
    funding_source = forms.CharField(
        label=_("Donor / funding source"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"list": "organization-names", "autocomplete": "off"}),
    )
    cost = forms.DecimalField(
        label=_("Cost"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD", required=False)
    course = forms.CharField(label=_("Course (scholarships)"), required=False, max_length=300)
    provider = forms.CharField(
        label=_("Provider (scholarships)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"list": "organization-names", "autocomplete": "off"}),
        help_text=_("For example ICAO."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_state"].choices = _state_choices(blank="—")  # type: ignore[attr-defined]
        self.fields["beneficiaries"].choices = _state_choices()  # type: ignore[attr-defined]
        self._organizations: dict[str, Organization] | None = None

    def organization_index(self) -> dict[str, Organization]:
        if self._organizations is None:
            self._organizations = organization_lookup()
        return self._organizations

    def _organization(self, name: str, field: str) -> Organization | None:
        text = name.strip()
        if not text:
            return None
        found = self.organization_index().get(text.casefold())
        if found is None:
            self.add_error(field, PROBLEM_MESSAGES["unknown_organization"])
        return found

    def clean_currency(self) -> str:
        value = (self.cleaned_data.get("currency") or "").strip().upper()
        if value and (len(value) != 3 or not value.isalpha()):
            raise forms.ValidationError(_("Use a 3-letter currency code such as USD."))
        return value or "USD"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["funding_source_obj"] = self._organization(
            data.get("funding_source") or "", "funding_source"
        )
        data["provider_obj"] = self._organization(data.get("provider") or "", "provider")
        others = []
        for name in (data.get("partners_other") or "").split(";"):
            organization = self._organization(name, "partners_other")
            if organization is not None:
                others.append(organization)
        data["partners_extra"] = others
        if data.get("new_partner_acronym") and not data.get("new_partner_name"):
            self.add_error("new_partner_name", _("Give the new organization's name."))
        return data


class TargetRowForm(forms.Form):
    target = forms.CharField(
        label=_("Target code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"list": "target-codes", "autocomplete": "off"}),
    )
    units = bounded_integer(label=_("Units"), min_value=1, initial=1, required=False)


class CountryRowForm(forms.Form):
    member_state = forms.ChoiceField(label=_("Member state"), required=False)
    women = bounded_integer(label=_("Women"), min_value=0, required=False)
    men = bounded_integer(label=_("Men"), min_value=0, required=False)
    not_stated = bounded_integer(label=_("Not stated"), min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = _state_choices(blank="—")  # type: ignore[attr-defined]


MAX_ROWS = 40
TargetFormSet = forms.formset_factory(TargetRowForm, extra=2, max_num=MAX_ROWS, validate_max=True)
CountryFormSet = forms.formset_factory(CountryRowForm, extra=2, max_num=MAX_ROWS, validate_max=True)


def grown_formset(base: Any, *, prefix: str, initial: list[dict[str, Any]], rows: int) -> Any:
    """``base`` (a row formset class) showing at least ``rows`` rows: the typed ones first,
    then empty ones ("Add a row" re-displays the form one row longer, without JavaScript)."""
    extra = max(rows - len(initial), 1)
    grown = forms.formset_factory(
        base.form, extra=min(extra, MAX_ROWS), max_num=MAX_ROWS, validate_max=True
    )
    return grown(prefix=prefix, initial=initial)


class EventFilterForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=WorkPlan.objects.order_by("-year", "-id"), required=False
    )
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=40,
        help_text=_("2012-H1, 2012, 2012-Q3 or 2012-01-01..2012-03-31"),
        widget=forms.TextInput(attrs={"list": "period-suggestions", "placeholder": "2012-H1"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *EventStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any")), *EventKind.choices], required=False
    )
    member_state = forms.ChoiceField(label=_("Member state"), required=False)
    program = forms.ChoiceField(label=_("Program"), required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: Any, plan: WorkPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_state"].choices = _state_choices(blank=str(_("Any")))  # type: ignore[attr-defined]
        programs = Program.objects.filter(plan=plan).order_by("position") if plan else []
        self.fields["program"].choices = [  # type: ignore[attr-defined]
            ("", str(_("Any"))),
            *((p.code, f"{p.code} {p.title}") for p in programs),
        ]

    def clean_period(self) -> Period | None:
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX), PNG or JPEG."),
    )


class ImportForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=WorkPlan.objects.order_by("-year", "-id"), empty_label=None
    )
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("Use the template: one row per event, header in row 1."),
    )
    valid_only = forms.BooleanField(
        label=_("Import valid rows only"),
        required=False,
        help_text=_("Without this, nothing is imported unless every row is valid."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.CICTE_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than the upload limit (%(limit)s MB)."),
                params={"limit": limit // (1024 * 1024)},
            )
        return upload
