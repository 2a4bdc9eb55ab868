"""Web forms of the knowledge base (the services decide; forms only parse)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.directory.models import MemberState
from cicte.knowledge.models import (
    Area,
    DocumentKind,
    EventKind,
    Language,
    TaskStatus,
    TeamRole,
)
from cicte.sharing.markings import TLP, AudienceKind
from cicte.sharing.models import SharingOrganisation

# RED (named people) is set through the API or a host workspace, not from these forms.
TLP_CHOICES = [(v, label) for v, label in TLP.choices if v != TLP.RED]
AUDIENCE_CHOICES = [(v, label) for v, label in AudienceKind.choices if v != AudienceKind.PEOPLE]


class DateInput(forms.DateInput):
    input_type = "date"


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    host_state = forms.ModelChoiceField(
        label=_("Host country"), queryset=MemberState.objects.order_by("code"), to_field_name="code"
    )
    cities = forms.CharField(label=_("Cities"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    expected_attendance = forms.IntegerField(
        label=_("Expected attendance"), min_value=0, required=False
    )
    lead_agency = forms.CharField(label=_("Lead security agency"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class AudienceMixin(forms.Form):
    tlp = forms.ChoiceField(label=_("TLP"), choices=TLP_CHOICES, initial=TLP.GREEN)
    audience_kind = forms.ChoiceField(
        label=_("Audience"), choices=AUDIENCE_CHOICES, initial=AudienceKind.COMMUNITY
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Named organisations (for TLP:AMBER)"),
        queryset=SharingOrganisation.objects.order_by("name"),
        required=False,
    )


class DocumentForm(AudienceMixin):
    file = forms.FileField(label=_("File (PDF, DOCX, ODT or HTML)"))
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    area = forms.ChoiceField(label=_("Planning-model area"), choices=Area.choices)
    country = forms.ModelChoiceField(
        label=_("Country (coverage)"),
        queryset=MemberState.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )
    creator = forms.CharField(label=_("Creator"), max_length=200, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), widget=DateInput, required=False)
    rights = forms.CharField(label=_("Rights"), max_length=300, required=False)
    anonymous = forms.BooleanField(
        label=_("Submit anonymously (the file's metadata and the creator are removed)"),
        required=False,
    )


class WorkspaceDocumentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, DOCX, ODT or HTML)"))
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    area = forms.ChoiceField(label=_("Planning-model area"), choices=Area.choices)


class AarForm(forms.Form):
    file = forms.FileField(label=_("Sanitised report (PDF, DOCX, ODT or HTML)"))
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    description = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    tlp = forms.ChoiceField(
        label=_("TLP"),
        choices=[(TLP.GREEN, "TLP:GREEN"), (TLP.CLEAR, "TLP:CLEAR")],
        initial=TLP.GREEN,
    )


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class LessonForm(AudienceMixin):
    title = forms.CharField(label=_("Title"), max_length=300)
    observation = forms.CharField(label=_("Observation"), widget=forms.Textarea)
    discussion = forms.CharField(label=_("Discussion"), widget=forms.Textarea, required=False)
    recommendation = forms.CharField(label=_("Recommendation"), widget=forms.Textarea)
    area = forms.ChoiceField(label=_("Planning-model area"), choices=Area.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class ReleaseForm(forms.Form):
    title = forms.CharField(label=_("Title of the lesson"), max_length=300)
    area = forms.ChoiceField(label=_("Planning-model area"), choices=Area.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class ApplyForm(forms.Form):
    note = forms.CharField(label=_("How it was applied"), widget=forms.Textarea)
    event = forms.IntegerField(label=_("Event (optional)"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, events: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].widget.choices = [("", "—"), *[(e.pk, e.name) for e in events]]


class TeamForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.CharField(label=_("Role"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    owner = forms.IntegerField(label=_("Owner"), required=False, widget=forms.Select)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput, required=False)
    evidence = forms.CharField(label=_("Evidence"), max_length=2000, required=False)
    evidence_document = forms.IntegerField(
        label=_("Evidence document"), required=False, widget=forms.Select
    )


class SubscriptionForm(forms.Form):
    event_kind = forms.ChoiceField(
        label=_("Event type"), choices=[("", "—"), *EventKind.choices], required=False
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=MemberState.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )


class ViewAsForm(forms.Form):
    username = forms.CharField(label=_("A person (username)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Or a role"), required=False, choices=())

    def __init__(self, *args: Any, roles: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *roles]
