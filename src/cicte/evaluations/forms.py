"""Forms of the evaluations pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cicte.access.selectors import staff_users
from cicte.delivery.models import Event
from cicte.evaluations.models import EvaluationKind, Rating, RecommendationStatus
from cicte.plan.models import Program, Project


class DateInput(forms.DateInput):
    input_type = "date"


class _Labelled(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Event):
            return f"{obj.start_date:%Y-%m-%d} {obj.title}"
        return f"{obj.plan.year} · {obj.code} {str(obj.title)[:80]}"


def project_field(required: bool = False) -> _Labelled:
    return _Labelled(
        label=_("Project"),
        queryset=Project.objects.select_related("plan").order_by("-plan__year", "position"),
        required=required,
    )


def program_field(required: bool = False) -> _Labelled:
    return _Labelled(
        label=_("Program"),
        queryset=Program.objects.select_related("plan").order_by("-plan__year", "position"),
        required=required,
    )


# Event drop-downs offer the most recent events only (a Secretariat accumulates hundreds of
# thousands); any event id is still accepted, since validation looks it up in the full set.
RECENT_EVENT_CHOICES = 500


class _RecentChoices(forms.models.ModelChoiceIterator):
    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset[:RECENT_EVENT_CHOICES]:
            yield self.choice(obj)

    def __len__(self) -> int:
        return min(self.queryset.count(), RECENT_EVENT_CHOICES) + (
            1 if self.field.empty_label is not None else 0
        )


class _RecentEvent(_Labelled):
    iterator = _RecentChoices


def event_field(required: bool = False) -> _Labelled:
    return _RecentEvent(
        label=_("Event"), queryset=Event.objects.order_by("-start_date", "-id"), required=required
    )


class EvaluationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluationKind.choices)
    project = project_field()
    event = event_field()
    date = forms.DateField(label=_("Date"), widget=DateInput)
    evaluator = forms.CharField(label=_("Evaluator"), max_length=200)
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("Not rated")), *Rating.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("project") and not data.get("event"):
            raise forms.ValidationError(_("Link the evaluation to a project or an event."))
        return data


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class RecommendationForm(forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = OwnerField(
        label=_("Owner"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Owners are Secretariat staff (asked through the permission functions).
        self.fields["owner"].queryset = staff_users().order_by(  # type: ignore[attr-defined]
            "username"
        )


class RecommendationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
    note = forms.CharField(
        label=_("Closure note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SCALE = [(i, str(i)) for i in range(1, 6)]


def _score(label: Any, help_text: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, help_text=help_text, choices=SCALE, coerce=int, widget=forms.RadioSelect
    )


class ResponseForm(forms.Form):
    satisfaction = _score(
        _("Overall, how satisfied are you with this activity?"),
        _("1 = not at all satisfied, 5 = very satisfied"),
    )
    relevance = _score(
        _("How relevant was it to your work?"), _("1 = not relevant, 5 = highly relevant")
    )
    knowledge_before = _score(
        _("Your knowledge of the subject BEFORE the activity"), _("1 = very low, 5 = very high")
    )
    knowledge_after = _score(
        _("Your knowledge of the subject AFTER the activity"), _("1 = very low, 5 = very high")
    )
    comment = forms.CharField(
        label=_("Comments (optional; please do not include names)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    code = forms.CharField(widget=forms.HiddenInput)


class FeedbackScopeForm(forms.Form):
    event = event_field()
    project = project_field()
    program = program_field()
