"""Reads of memberships: who holds which role (one query each, whatever the number of users)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from cicte.access.models import STAFF_ROLES, Membership


def staff_users() -> QuerySet[Any]:
    """Active Secretariat staff — administrators, secretariat, program managers — the same set
    :func:`cicte.access.permissions.is_secretariat` answers yes for, as one query."""
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(Exists(memberships.filter(role__in=STAFF_ROLES)))
            | Q(is_superuser=True)
            | Q(is_staff=True, memberships__isnull=True)
        )
        .distinct()
    )
