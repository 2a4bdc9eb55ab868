"""Writes to the directory: organizations (member states are data, loaded by migration)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import ApplicationError, require
from cicte.core.types import Actor
from cicte.directory.models import Organization
from cicte.directory.permissions import can_add_organization


def organization_create(*, actor: Actor, name: str, acronym: str = "") -> Organization:
    """Quick-add a partner or donor; returns the existing one when the name is known."""
    require(can_add_organization(actor), _("You may not add organizations."))
    name = " ".join(name.split())
    acronym = acronym.strip()
    if not name:
        raise ApplicationError("required", _("The organization's name is empty."), field="name")
    existing = Organization.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            organization = Organization(name=name[:300], acronym=acronym[:40], group="other")
            audit.save(organization, actor=actor)
    except IntegrityError:
        return Organization.objects.get(name__iexact=name)
    return organization
