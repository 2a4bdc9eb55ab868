"""Where each person lands after signing in, and what their home is called.

One rule for the sign-in redirect, the "home" link of the header and the way out of a
refusal page (403/404): the widest role the user holds decides (``access.permissions.ROLE_ORDER``):

- Secretariat staff (administrators, Secretariat, program managers): the progress dashboard;
- points of contact: their country (``/accounts/my-country/``);
- donors: the projects their organization funds (``/funding/``);
- anyone else (signed in without a role, or anonymous): the public home page.

Only URL names are used here (no import of the apps that own those pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cicte.access import permissions


@dataclass(frozen=True)
class Home:
    url: str
    label: str | Promise


def _reverse(name: str, fallback: str = "public:home") -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse(fallback)


def home_for(user: Any) -> Home:
    """The page ``user`` lands on after signing in (see the module docstring)."""
    if permissions.is_secretariat(user):
        return Home(_reverse("workspace:dashboard"), _("Progress dashboard"))
    if permissions.is_point_of_contact(user):
        return Home(_reverse("my-country"), _("My country"))
    if permissions.is_donor(user):
        return Home(_reverse("public-funding:list"), _("Funded projects"))
    return Home(_reverse("public:home"), _("Plans"))


def role_label(user: Any) -> str | Promise:
    """The widest role, as shown in the header and on refusal pages ("" for none)."""
    role = permissions.user_role(user)
    return role.label if role is not None else ""
