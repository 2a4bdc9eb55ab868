"""Forms of the exercise pages: they only parse input; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cicte.exercises.models import (
    Capability,
    CapabilityElement,
    ExerciseType,
    InjectMethod,
    Rating,
    SessionKind,
)
from cicte.exercises.permissions import ExerciseRole

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    form.fields[name].choices = choices  # type: ignore[attr-defined]


def _dt(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DATETIME, input_formats=DATETIME_FORMATS)


class ExerciseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    type = forms.ChoiceField(label=_("Type"), choices=ExerciseType.choices)
    event = forms.TypedChoiceField(
        label=_("Delivery event (kind exercise)"), required=False, coerce=int, empty_value=None
    )
    target = forms.CharField(
        label=_("…or the target a new event counts toward (code)"), required=False, max_length=60
    )
    starts_at = _dt(_("Exercise start"))
    ends_at = _dt(_("Exercise end"))
    scope = forms.CharField(
        label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scenario = forms.CharField(
        label=_("Scenario"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    threat = forms.CharField(label=_("Threat or hazard"), required=False, max_length=300)
    sponsor = forms.CharField(label=_("Sponsor"), required=False, max_length=300)

    def __init__(self, *args: Any, events: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "event", [("", "—")] + [(e.pk, str(e)) for e in events])


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)
    organization = forms.CharField(label=_("Organization"), required=False, max_length=300)


class RoleForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=ExerciseRole.choices)
    team = forms.TypedChoiceField(
        label=_("Team (players)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, teams: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "team", [("", "—")] + [(t.pk, t.name) for t in teams])

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user of that name."))
        return user


class LinkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (ExerciseRole.PLAYER, ExerciseRole.PLAYER.label),
            (ExerciseRole.OBSERVER, ExerciseRole.OBSERVER.label),
        ],
    )
    team = forms.TypedChoiceField(
        label=_("Team (players)"), required=False, coerce=int, empty_value=None
    )
    send = forms.BooleanField(label=_("E-mail the link"), required=False)

    def __init__(self, *args: Any, teams: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "team", [("", "—")] + [(t.pk, t.name) for t in teams])


class ObjectiveForm(forms.Form):
    text = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 2}))
    capabilities = forms.ModelMultipleChoiceField(
        label=_("Capabilities"), queryset=Capability.objects.all(), required=False
    )


class TaskForm(forms.Form):
    objective = forms.TypedChoiceField(label=_("Objective"), coerce=int)
    capability = forms.ModelChoiceField(label=_("Capability"), queryset=Capability.objects.all())
    text = forms.CharField(label=_("Critical task"), max_length=500)

    def __init__(self, *args: Any, objectives: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "objective", [(o.pk, str(o)) for o in objectives])


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Module title"), max_length=300)
    description = forms.CharField(
        label=_("Scenario"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    questions = forms.CharField(
        label=_("Discussion questions (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = _dt(_("Start"))
    ends_at = _dt(_("End"))
    location = forms.CharField(label=_("Location"), required=False, max_length=300)
    staff_only = forms.BooleanField(label=_("Exercise staff only"), required=False)


class InjectForm(forms.Form):
    offset_minutes = forms.IntegerField(
        label=_("Minutes from the start"), min_value=0, max_value=100000
    )
    title = forms.CharField(label=_("Event synopsis"), max_length=300)
    sender = forms.CharField(label=_("Simulated sender"), required=False, max_length=200)
    teams = forms.TypedMultipleChoiceField(label=_("Target teams"), coerce=int)
    method = forms.ChoiceField(label=_("Method"), choices=InjectMethod.choices)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_action = forms.CharField(
        label=_("Expected player action"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, teams: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "teams", [(t.pk, t.name) for t in teams])


class UploadForm(forms.Form):
    file = forms.FileField(label=_("MSEL workbook (.xlsx)"))


class ResponseForm(forms.Form):
    text = forms.CharField(
        label=_("Your response"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )


class ObservationForm(forms.Form):
    critical_task = forms.TypedChoiceField(label=_("Critical task"), coerce=int)
    inject = forms.TypedChoiceField(
        label=_("Inject (optional)"), coerce=int, required=False, empty_value=None
    )
    text = forms.CharField(label=_("Observation"), widget=forms.Textarea(attrs={"rows": 3}))
    # A plain text field: the service says clearly when the value is not P, S, M or U.
    rating = forms.CharField(label=_("Rating (P, S, M or U)"), required=False, max_length=10)
    strength = forms.BooleanField(label=_("A strength"), required=False)

    def __init__(
        self, *args: Any, tasks: Sequence[Any] = (), injects: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self,
            "critical_task",
            [(t.pk, f"{t.objective.number}. {t.capability} — {t.text}") for t in tasks],
        )
        _choices(self, "inject", [("", "—")] + [(i.pk, str(i)) for i in injects])


class HotWashForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("strength", _("Strength")), ("improvement", _("Area for improvement"))],
    )
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    overview = forms.CharField(
        label=_("Exercise overview"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    strengths = forms.CharField(
        label=_("Strengths"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    improvements = forms.CharField(
        label=_("Areas for improvement"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class RatingForm(forms.Form):
    objective = forms.IntegerField()
    capability = forms.IntegerField()
    rating = forms.CharField(label=_("Rating"), max_length=10)


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 2}))
    organization = forms.CharField(label=_("Primary responsible organization"), max_length=300)
    owner = forms.CharField(label=_("Owner (user name, optional)"), required=False, max_length=150)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    capability = forms.ModelChoiceField(
        label=_("Capability"), queryset=Capability.objects.all(), required=False
    )
    element = forms.ChoiceField(
        label=_("Capability element"),
        choices=[("", "—"), *CapabilityElement.choices],
        required=False,
    )

    def clean_owner(self) -> Any:
        name = (self.cleaned_data.get("owner") or "").strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user of that name."))
        return user


RATINGS = Rating.choices


class AttachmentForm(forms.Form):
    inject = forms.TypedChoiceField(label=_("Inject"), coerce=int)
    file = forms.FileField(label=_("Document (PDF, DOCX, XLSX, PNG or JPEG)"))

    def __init__(self, *args: Any, injects: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inject"].choices = [(i.pk, f"#{i.number} {i.title}") for i in injects]  # type: ignore[attr-defined]
