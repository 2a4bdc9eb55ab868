"""TLP 2.0 and PAP markings, the audience kinds and the rule that ties them together.

Pure: no models. The rule (which audience each label allows) is checked in the services
(:func:`audience_problem`) and in the database (:func:`audience_constraint`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TLP(models.TextChoices):
    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class PAP(models.TextChoices):
    CLEAR = "clear", "PAP:CLEAR"
    GREEN = "green", "PAP:GREEN"
    AMBER = "amber", "PAP:AMBER"
    RED = "red", "PAP:RED"


class AudienceKind(models.TextChoices):
    PUBLIC = "public", _("Public")
    COMMUNITY = "community", _("The community")
    ORGANISATIONS = "organisations", _("Named organisations")
    PEOPLE = "people", _("Named people")


#: Which audiences each label allows (FIRST TLP 2.0: RED is for named individuals only).
ALLOWED_AUDIENCES: dict[str, frozenset[str]] = {
    TLP.CLEAR: frozenset({AudienceKind.PUBLIC, AudienceKind.COMMUNITY}),
    TLP.GREEN: frozenset({AudienceKind.COMMUNITY}),
    TLP.AMBER: frozenset({AudienceKind.ORGANISATIONS}),
    TLP.AMBER_STRICT: frozenset({AudienceKind.ORGANISATIONS}),
    TLP.RED: frozenset({AudienceKind.PEOPLE}),
}

#: From the widest label to the narrowest.
TLP_RANK: dict[str, int] = {
    TLP.CLEAR: 0,
    TLP.GREEN: 1,
    TLP.AMBER: 2,
    TLP.AMBER_STRICT: 3,
    TLP.RED: 4,
}

#: Labels whose mail carries only a link (never the content).
LINK_ONLY_TLPS = frozenset({TLP.AMBER, TLP.AMBER_STRICT, TLP.RED})


def subject_label(tlp: str) -> str:
    """``[TLP:AMBER]``: the upper-case label at the start of every mail subject."""
    return f"[{TLP(tlp).label}]"


def audience_problem(
    *, tlp: str, kind: str, organisations: int, people: int, community: bool
) -> str | None:
    """Why a marking and an audience disagree (a code), or None when they agree."""
    if tlp not in TLP.values:
        return "unknown_tlp"
    if kind not in AudienceKind.values:
        return "unknown_audience"
    if kind not in ALLOWED_AUDIENCES[tlp]:
        return "audience_not_allowed"
    if not community:
        return "community_required"
    if kind == AudienceKind.ORGANISATIONS and organisations < 1:
        return "organisations_required"
    if kind != AudienceKind.ORGANISATIONS and organisations:
        return "organisations_not_allowed"
    if kind == AudienceKind.PEOPLE and people < 1:
        return "people_required"
    if kind != AudienceKind.PEOPLE and people:
        return "people_not_allowed"
    return None


def audience_constraint() -> Q:
    """The database's half of the rule (the many-to-many halves are the services')."""
    condition = Q()
    first = True
    for tlp, kinds in ALLOWED_AUDIENCES.items():
        part = Q(tlp=str(tlp), audience_kind__in=sorted(str(k) for k in kinds))
        condition = part if first else condition | part
        first = False
    return condition
