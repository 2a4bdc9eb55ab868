"""Forms of the forum pages. Choices are limited to what the user may pick; the services
decide (the marking/audience rule, narrowing, file checks)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cicte.delivery.models import Event
from cicte.forum.models import Category, Frequency, Language, ThreadKind
from cicte.sharing.markings import PAP, TLP, AudienceKind
from cicte.sharing.models import Community, MembershipStatus, Sector, SharingOrganisation


class _UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


def _members(community: Community) -> tuple[Any, Any]:
    memberships = community.memberships.filter(status=MembershipStatus.ACTIVE)
    organisations = SharingOrganisation.objects.filter(pk__in=memberships.values("organisation_id"))
    people = get_user_model().objects.filter(pk__in=memberships.values("user_id"))
    return organisations, people


def _choices(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class AudienceFields(forms.Form):
    tlp = forms.ChoiceField(label=_("TLP label"), choices=TLP.choices)
    audience_kind = forms.ChoiceField(label=_("Audience"), choices=AudienceKind.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations (AMBER)"),
        queryset=SharingOrganisation.objects.none(),
        required=False,
    )
    people = _UserChoice(
        label=_("People (RED)"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(
        self, *args: Any, community: Community, show_people: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organisations, people = _members(community)
        if community.hidden_membership:
            # Listing the member organisations would reveal the membership: offer the
            # whole directory (the service accepts any of it there).
            organisations = SharingOrganisation.objects.all()
        _choices(self, "organisations", organisations)
        # Hidden membership: the names of the members are not offered.
        if show_people:
            _choices(self, "people", people)
        else:
            del self.fields["people"]


class ThreadForm(AudienceFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message (Markdown)"), widget=forms.Textarea)
    pap = forms.ChoiceField(label=_("PAP"), choices=[("", "—"), *PAP.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ThreadKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial="other")
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    event = forms.ModelChoiceField(
        label=_("Delivery event (workshops)"), queryset=Event.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("Summary (advisories)"), widget=forms.Textarea, required=False
    )
    recommendations = forms.CharField(
        label=_("Recommendations (advisories)"), widget=forms.Textarea, required=False
    )
    affected_sectors = forms.MultipleChoiceField(
        label=_("Affected sectors (advisories)"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    affected_countries = forms.CharField(
        label=_("Affected countries (ISO codes, e.g. PAN, CRI)"), max_length=300, required=False
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "event", Event.objects.visible_to(user).order_by("-start_date"))


class ReplyForm(AudienceFields):
    body = forms.CharField(label=_("Reply (Markdown)"), widget=forms.Textarea)
    attachment = forms.FileField(label=_("Attachment"), required=False)


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"), queryset=SharingOrganisation.objects.all()
    )
    sponsors = forms.CharField(
        label=_("Sponsors (user names of two members, separated by commas)"), required=False
    )
    message = forms.CharField(
        label=_("Message to the Secretariat"), widget=forms.Textarea, required=False
    )


class ModerateForm(forms.Form):
    locked = forms.BooleanField(label=_("Locked"), required=False)
    hidden = forms.BooleanField(label=_("Hidden"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReshareForm(forms.Form):
    wanted_tlp = forms.ChoiceField(label=_("Wanted TLP"), choices=TLP.choices)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea, required=False)


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(label=_("E-mail"), choices=Frequency.choices)
    sectors = forms.MultipleChoiceField(
        label=_("Mail me at once about advisories affecting these sectors"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


SUBMISSION_KINDS = [
    (k, label)
    for k, label in ThreadKind.choices
    if k in {ThreadKind.ADVISORY, ThreadKind.DISCUSSION, ThreadKind.QUESTION}
]


class SubmissionForm(forms.Form):
    """An anonymous submission to the community's host."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message (Markdown)"), widget=forms.Textarea)
    kind = forms.ChoiceField(label=_("Kind"), choices=SUBMISSION_KINDS)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial="other")
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    summary = forms.CharField(
        label=_("Summary (advisories)"), widget=forms.Textarea, required=False
    )
    recommendations = forms.CharField(
        label=_("Recommendations (advisories)"), widget=forms.Textarea, required=False
    )
    affected_sectors = forms.MultipleChoiceField(
        label=_("Affected sectors (advisories)"),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    affected_countries = forms.CharField(
        label=_("Affected countries (ISO codes, e.g. PAN, CRI)"), max_length=300, required=False
    )
    attachment = forms.FileField(label=_("Attachment (its metadata is removed)"), required=False)


class PublishForm(AudienceFields):
    """The host chooses the label and audience of a submission it publishes."""

    pap = forms.ChoiceField(label=_("PAP"), choices=[("", "—"), *PAP.choices], required=False)


class ReshareDecisionForm(AudienceFields):
    """The originator's answer to a request to share more widely."""

    note = forms.CharField(label=_("Note to the requester"), widget=forms.Textarea, required=False)


class OrganisationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=60, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    listed_publicly = forms.BooleanField(label=_("List the name publicly"), required=False)
    pgp_key = forms.CharField(
        label=_("PGP public key (armoured)"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        required=False,
        help_text=_(
            "Paste the block from -----BEGIN PGP PUBLIC KEY BLOCK----- to its END line; the "
            "fingerprint, user id, expiry and whether it can encrypt are read from it."
        ),
    )


class ReleaseForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    tlp = forms.ChoiceField(label=_("TLP label"), choices=TLP.choices)
    audience_kind = forms.ChoiceField(label=_("Audience"), choices=AudienceKind.choices)
    title = forms.CharField(
        label=_("Title for the wider audience (blank: the same)"), max_length=200, required=False
    )
    body = forms.CharField(
        label=_("Text for the wider audience (blank: the first message)"),
        widget=forms.Textarea,
        required=False,
    )

    def set_communities(self, queryset: Any) -> None:
        _choices(self, "community", queryset)
