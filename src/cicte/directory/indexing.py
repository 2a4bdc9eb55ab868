"""Organizations in the shared search index (scope ``directory.organization``).

An organization's entry is its name and acronym (title) and its parent unit (body). Every
write of an organization saves one row (``organization_create``, the plan import's partners,
the admin), followed by signals (``search.track``).
"""

from __future__ import annotations

from typing import Any

from cicte import search
from cicte.directory.models import Organization

SCOPE = "directory.organization"


def organization_document(organization: Any) -> dict[str, str]:
    return {
        "title": f"{organization.name} {organization.acronym}",
        "body": organization.parent_unit or "",
    }


def connect() -> None:
    search.track(
        Organization,
        SCOPE,
        organization_document,
        fields=("name", "acronym", "parent_unit"),
    )
