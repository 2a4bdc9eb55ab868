from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from cicte.access.models import Role
from cicte.accounts import otp
from cicte.directory.models import MemberState, Organization
from cicte.plan.models import Program


class LoginForm(AuthenticationForm):
    """Username and password, plus the TOTP code for accounts with two-factor turned on."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=8,
        help_text=_("Only if two-factor authentication is on for your account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.otp_device: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and otp.confirmed_device(user) is not None:
            device = otp.verify(user, self.cleaned_data.get("otp_token", ""))
            if device is None:
                raise forms.ValidationError(
                    _("Enter the current 6-digit code from your authenticator app."),
                    code="otp",
                )
            self.otp_device = device
        return cleaned


class TokenForm(forms.Form):
    code = forms.CharField(
        label=_("Authentication code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _sort_key(label: str) -> str:
    """Alphabetical in any language: accents do not move a name (Haití, Perú)."""
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()


class _ByNameIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from sorted(
            (self.choice(obj) for obj in self.queryset), key=lambda c: _sort_key(str(c[1]))
        )


class MemberStateChoiceField(forms.ModelChoiceField):
    """Member states by name in the active language (not by ISO code), sorted by that name."""

    iterator = _ByNameIterator

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OrganizationChoiceField(forms.ModelChoiceField):
    """Organizations by name, each with its group ("Canada — Governments (…)"), so the
    governments that fund the plan stand out from partner bodies."""

    iterator = _ByNameIterator

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} — {obj.get_group_display()}"


class RoleScopeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    member_state = MemberStateChoiceField(
        label=_("Member state (points of contact)"),
        queryset=MemberState.objects.all(),
        required=False,
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Programs (program managers)"),
        queryset=Program.objects.select_related("plan").order_by("-plan__year", "position"),
        required=False,
    )
    organization = OrganizationChoiceField(
        label=_("Organization (donors)"),
        queryset=Organization.objects.all(),
        required=False,
    )


class InviteForm(RoleScopeForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    field_order = [
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "member_state",
        "programs",
        "organization",
    ]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken."))
        return username


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Leave empty for a token that does not expire."),
    )


class ActivityFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    model = forms.ChoiceField(label=_("Record type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, model_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All")), *model_choices]  # type: ignore[attr-defined]
