"""The site's navigation, built from the user's role (one place; templates only render it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cicte.access import permissions


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str


def _items(entries: list[tuple[str | Promise, str]]) -> list[NavItem]:
    items = []
    for label, name in entries:
        try:
            items.append(NavItem(label, reverse(name)))
        except NoReverseMatch:
            continue
    return items


def workspace_items(user: Any) -> list[NavItem]:
    """Staff workspace links the user may open."""
    if not permissions.is_secretariat(user):
        return []
    entries: list[tuple[str | Promise, str]] = [
        (_("Dashboard"), "workspace:dashboard"),
        (_("Events"), "workspace:event-list"),
        (_("Requests"), "workspace:assistance-queue"),
        (_("Evaluations"), "workspace:evaluations-list"),
        (_("Funding"), "workspace:funding-overview"),
        (_("IATI"), "workspace:iati-export"),
        (_("Reports"), "workspace:report"),
        (_("Forum"), "forum:index"),
        # Issue 20 (labels translated in the approvals and scholarships catalogs).
        (_("Period approvals"), "workspace:approvals"),
        (_("Scholarships"), "workspace:scholarships"),
        (_("Strategies"), "workspace:strategies-queue"),
        (_("Experts roster"), "workspace:roster"),
        (_("Exercises"), "exercises:index"),
        # Issue 15 (label translated in the knowledge catalog).
        (_("Major events"), "knowledge:index"),
    ]
    if permissions.can_manage_users(user):
        entries.append((_("Users"), "accounts:user-list"))
        entries.append((_("Forum items"), "workspace:forum-existence"))
    if permissions.can_view_activity_log(user):
        entries.append((_("Activity"), "accounts:activity"))
    return _items(entries)


def account_items(user: Any) -> list[NavItem]:
    """Links for signed-in users outside the Secretariat (points of contact, donors)."""
    if not getattr(user, "is_authenticated", False):
        return []
    entries: list[tuple[str | Promise, str]] = []
    if permissions.is_secretariat(user):
        entries.append((_("Workspace"), "workspace:dashboard"))
    if permissions.is_point_of_contact(user):
        entries += [(_("My country"), "my-country"), (_("Requests"), "requests:list")]
    if permissions.is_donor(user):
        entries.append((_("Funded projects"), "public-funding:list"))
    if permissions.is_point_of_contact(user) or permissions.is_donor(user):
        # Issue 20: calls for nominations (points of contact), completions (donors).
        entries.append((_("Scholarships"), "scholarships:list"))
    # The CSIRT forum and the stakeholder platform: every signed-in user (what they read
    # there is decided per item by the sharing layer).
    entries.append((_("Forum"), "forum:index"))
    # The experts roster: a point of contact's nominees and requests; an expert's own area.
    if permissions.is_point_of_contact(user):
        entries.append((_("Experts roster"), "roster:poc"))
    if getattr(user, "roster_expert", None) is not None:
        entries.append((_("My roster profile"), "roster:me"))
    # Exercises: every signed-in user (each sees what their exercise role allows).
    entries.append((_("Exercises"), "exercises:index"))
    # The major-events knowledge base (what each reads is decided per item).
    if not permissions.is_secretariat(user):
        entries.append((_("Major events"), "knowledge:index"))
    entries.append((_("API tokens"), "accounts:tokens"))
    return _items(entries)
