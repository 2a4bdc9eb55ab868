"""Forms of the roster pages (validation of shape only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.directory.models import Organization
from cicte.plan.models import Target
from cicte.roster.models import (
    DocumentKind,
    LanguageLevel,
    MissionKind,
    Proficiency,
    Skill,
    Urgency,
    VettingCategory,
)

DATE = forms.DateInput(attrs={"type": "date"})


class NominateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    nationality = forms.CharField(
        label=_("Nationality (ISO 3166 alpha-3, e.g. JAM)"), max_length=3, min_length=3
    )


class PartnerNominateForm(NominateForm):
    """Staff record the nomination a partner organisation sends (it has no account here)."""

    organisation = forms.ModelChoiceField(
        label=_("Nominating partner organisation"),
        queryset=Organization.objects.order_by("name"),
    )


class SupportRequestForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=200)
    needs = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    after_incident = forms.BooleanField(label=_("After an incident"), required=False)
    preferred_start = forms.DateField(label=_("From"), required=False, widget=DATE)
    preferred_end = forms.DateField(label=_("To"), required=False, widget=DATE)
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))


class ProfileForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)
    passport_expiry = forms.DateField(label=_("Passport expiry"), required=False, widget=DATE)
    emergency_contact = forms.CharField(
        label=_("Emergency contact"), max_length=300, required=False
    )
    insurance = forms.CharField(label=_("Insurance"), max_length=300, required=False)
    medical_notes = forms.CharField(
        label=_("Medical notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notice_hours = forms.IntegerField(label=_("Notice needed (hours)"), min_value=0, max_value=2000)
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)


class SkillForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Skill (NICE work role)"), queryset=Skill.objects.all())
    level = forms.TypedChoiceField(
        label=_("Self-rating"),
        coerce=int,
        choices=[(0, _("0 — remove")), *Proficiency.choices],
    )


class LanguageForm(forms.Form):
    language = forms.CharField(label=_("Language (en, es, fr, pt…)"), max_length=12)
    level = forms.ChoiceField(label=_("Level"), choices=LanguageLevel.choices)


class AbsenceForm(forms.Form):
    start = forms.DateField(label=_("Absent from"), widget=DATE)
    end = forms.DateField(label=_("Absent to"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CertificationForm(forms.Form):
    name = forms.CharField(label=_("Certification"), max_length=200)
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    evidence = forms.FileField(label=_("Evidence (PDF, PNG or JPEG)"), required=False)


class InvitationForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I consent to the processing of my data as described above."), required=False
    )
    username = forms.CharField(label=_("Choose a user name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Choose a password"), required=False, widget=forms.PasswordInput
    )


class VetForm(forms.Form):
    category = forms.ChoiceField(label=_("Vetting category"), choices=VettingCategory.choices)


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Training"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    refresher_due = forms.DateField(label=_("Refresher due"), required=False, widget=DATE)


class MissionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=MissionKind.choices)
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(label=_("End"), widget=DATE)
    remote = forms.BooleanField(label=_("Remote"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("Required skills"), queryset=Skill.objects.all(), required=False
    )
    languages = forms.CharField(
        label=_("Required languages (comma-separated codes)"), max_length=100, required=False
    )
    exclude_same_nationality = forms.BooleanField(
        label=_("Exclude experts of the requesting state's nationality"),
        required=False,
        initial=True,
    )
    target = forms.ModelChoiceField(label=_("Counts toward target"), queryset=Target.objects.none())

    def __init__(self, *args: Any, targets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["target"].queryset = targets  # type: ignore[attr-defined]


class AlertForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Answer by (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    message = forms.CharField(
        label=_("Message (no sensitive detail)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SelectForm(forms.Form):
    role = forms.CharField(label=_("Role in the team"), max_length=120)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File (PDF or DOCX)"))


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Report title"), max_length=200)
    body = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}))
    people = forms.MultipleChoiceField(label=_("Named officials (TLP:RED)"), choices=())

    def __init__(self, *args: Any, readers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [  # type: ignore[attr-defined]
            (str(u.pk), u.get_full_name() or u.get_username()) for u in readers
        ]


class CloseAssignmentForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Appraisal rating"), coerce=int, choices=Proficiency.choices
    )
    appraisal = forms.CharField(
        label=_("Appraisal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    experience = forms.CharField(
        label=_("Experience recorded"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
