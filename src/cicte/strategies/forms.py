"""Web forms of the strategies database (thin: the services validate and decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cicte.strategies import maturity
from cicte.strategies.models import (
    DocumentKind,
    DocumentStatus,
    Language,
    Phase,
    PolicyDocument,
)


class LanguageSelect(forms.Select):
    """Language names in their own language ("Français"): each option says so with ``lang``."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = str(value)
        return option


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def dimension_choices() -> list[tuple[str, str]]:
    return [(d.id, f"{d.id} {d.en}") for d in maturity.model().dimensions]


def pillar_choices() -> list[tuple[str, str]]:
    return [(p.id, p.en) for p in maturity.model().pillars]


def parse_translations(text: str) -> dict[str, str]:
    """``"es: Estrategia nacional\\nfr: Stratégie"`` -> ``{"es": ..., "fr": ...}``."""
    result = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if ":" not in line:
            raise forms.ValidationError(
                _("Line %(n)s: write the language code, a colon, then the title."),
                params={"n": number},
            )
        code, title = line.split(":", 1)
        result[code.strip().lower()] = title.strip()
    return result


def format_translations(value: dict[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in (value or {}).items())


class DocumentForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title in the original language"), max_length=400)
    language = forms.ChoiceField(
        label=_("Language of the document"), choices=Language.choices, widget=LanguageSelect
    )
    translations = forms.CharField(
        label=_("Translated titles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: language code, colon, title (e.g. es: Estrategia nacional)."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=DocumentStatus.choices)
    adopted_on = forms.DateField(
        label=_("Adopted on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    in_force_on = forms.DateField(
        label=_("In force from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    review_on = forms.DateField(
        label=_("Review due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lead_agency = forms.CharField(label=_("Lead agency"), max_length=300, required=False)
    identifier = forms.CharField(label=_("Official number"), max_length=200, required=False)
    version_label = forms.CharField(label=_("Version"), max_length=60, required=False)
    official_url = forms.URLField(
        label=_("Official URL"), max_length=500, required=False, assume_scheme="https"
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    dimensions = forms.MultipleChoiceField(
        label=_("CMM dimensions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    pillars = forms.MultipleChoiceField(
        label=_("GCI pillars"), required=False, widget=forms.CheckboxSelectMultiple
    )
    supersedes = forms.TypedChoiceField(
        label=_("Supersedes"), required=False, coerce=int, empty_value=None
    )
    archive = forms.FileField(
        label=_("Archived copy (PDF, DOCX, ODT or HTML)"),
        required=False,
        help_text=_("Checked by its content; its SHA-256 is shown on the document page."),
    )
    submit = forms.BooleanField(
        label=_("Submit for verification now"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, jurisdictions: list[Any], documents: list[PolicyDocument], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "jurisdiction").choices = [(j.code, j.name) for j in jurisdictions]
        _choice(self, "dimensions").choices = dimension_choices()
        _choice(self, "pillars").choices = pillar_choices()
        _choice(self, "supersedes").choices = [("", "—")] + [
            (d.pk, f"{d.jurisdiction.code}: {d.title}") for d in documents
        ]

    def clean_translations(self) -> dict[str, str]:
        return parse_translations(self.cleaned_data.get("translations", ""))


class VerifyForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Verification note (source checked, what to fix)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ArchiveUrlForm(forms.Form):
    url = forms.URLField(label=_("Archive from this URL"), max_length=500, assume_scheme="https")


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    assessor = forms.CharField(label=_("Assessed by"), max_length=300, required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingsForm(forms.Form):
    """One stage (optional) and evidence per factor of the model."""

    def __init__(self, *args: Any, ratings: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = maturity.model()
        stage_choices = [("", "—")] + [(str(s.number), f"{s.number} {s.en}") for s in model.stages]
        for factor in model.factors:
            current = ratings.get(factor.id)
            self.fields[f"stage_{factor.id}"] = forms.CharField(
                label=f"{factor.id} {factor.en}",
                required=False,
                widget=forms.Select(choices=stage_choices),
                initial=str(current.stage) if current else "",
            )
            self.fields[f"evidence_{factor.id}"] = forms.CharField(
                label=_("Evidence for %(code)s") % {"code": factor.id},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.evidence if current else "",
            )

    def factor_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"stage_{f.id}"], self[f"evidence_{f.id}"]) for f in maturity.model().factors]


class EngagementForm(forms.Form):
    request = forms.TypedChoiceField(label=_("Request for assistance"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)

    def __init__(self, *args: Any, requests: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "request").choices = [
            (r.pk, f"{r.member_state.code}: {r.title}") for r in requests
        ]


class MilestoneForm(forms.Form):
    phase = forms.ChoiceField(label=_("Milestone"), choices=Phase.choices)
    event = forms.TypedChoiceField(label=_("Event"), coerce=int)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, events: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "event").choices = [
            (e.pk, f"{e.start_date:%Y-%m-%d} {e.title}") for e in events
        ]
