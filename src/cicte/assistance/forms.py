"""Forms for the request pages (input parsing only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.delivery.models import Event, EventStatus
from cicte.directory.models import MemberState
from cicte.plan.models import Program, Project, Target


class DateInput(forms.DateInput):
    input_type = "date"


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plan.year} · {obj.code} {obj.title}"


class RequestForm(forms.Form):
    program = ProgramChoiceField(
        label=_("Program"),
        queryset=Program.objects.select_related("plan").order_by("-plan__year", "position"),
        required=False,
        help_text=_("The area of the Work Plan the request concerns, if you know it."),
    )
    title = forms.CharField(label=_("Subject"), max_length=200)
    needs = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 6}))
    preferred_start = forms.DateField(
        label=_("Preferred start date"), required=False, widget=DateInput
    )
    preferred_end = forms.DateField(label=_("Preferred end date"), required=False, widget=DateInput)
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("preferred_start"), data.get("preferred_end")
        if start and end and end < start:
            self.add_error("preferred_end", _("The preferred end date is before the start date."))
        return data


class StaffRequestForm(RequestForm):
    member_state = forms.ModelChoiceField(
        label=_("Member state"), queryset=MemberState.objects.order_by("code")
    )
    field_order = ["member_state"]


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plan.year} · {obj.code} {obj.title[:90]}"


class TargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Code, words, then where it sits (project, program): easy to tell targets apart.
        project = obj.project
        program = project.program
        return (
            f"{obj.plan.year} · {obj.code} {(obj.text or obj.unit)[:70]} — "
            f"{project.code} {project.title[:40]} · {program.code} {program.title[:40]}"
        )


class EventChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.start_date:%Y-%m-%d} {obj.title} ({obj.get_status_display()})"


class TransitionForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    project = ProjectChoiceField(
        label=_("Project"),
        queryset=Project.objects.select_related("plan").order_by("-plan__year", "position"),
        required=False,
    )
    target = TargetChoiceField(
        label=_("Target"),
        queryset=Target.objects.select_related("plan", "project__program").order_by(
            "-plan__year", "position"
        ),
        required=False,
    )
    events = EventChoiceField(
        label=_("Planned events"),
        queryset=Event.objects.filter(
            status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.HELD]
        ).order_by("-start_date"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
