"""Who may read shared items, and who may do what in communities.

Reads: :func:`visibility_filter` is the one rule behind every ``visible_to(actor)``:

- everyone (also anonymous): TLP:CLEAR items with a public audience;
- an active member of a community: its community-audience items (GREEN, CLEAR);
- a person of a named organisation (a vetted affiliation): AMBER / AMBER+STRICT items
  addressed to it;
- a named person: RED items addressed to them;
- the originator: always their own items; the originator's organisation: its items below RED.

Administrators and Secretariat staff get **no** read bypass: they see that an item exists
(:func:`can_see_existence`) and may remove it through the audited break-glass service.
``SYSTEM`` reads what the public reads (the command line sends mail per recipient).

Models are looked up by name (``apps.get_model``): ``sharing.models`` builds its queryset on
this module, which therefore must not import the models back.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q

from cicte.access import permissions as roles
from cicte.core.types import actor_user
from cicte.sharing.markings import TLP, AudienceKind

_CACHE = "_cicte_sharing"


def _model(name: str) -> Any:
    return apps.get_model("sharing", name)


def _facts(user: Any) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """(active community ids, moderated community ids, vetted organisation ids), cached."""
    cached = getattr(user, _CACHE, None)
    if cached is None:
        rows = list(
            _model("CommunityMembership")
            .objects.filter(user_id=user.pk, status="active")
            .values_list("community_id", "role", "organisation_id")
        )
        communities = frozenset(r[0] for r in rows)
        moderated = frozenset(r[0] for r in rows if r[1] == "moderator")
        # An affiliation counts once one of the person's memberships is approved (vetted).
        organisations = frozenset(
            _model("OrganisationMember")
            .objects.filter(user_id=user.pk)
            .values_list("organisation_id", flat=True)
        )
        cached = (communities, moderated, organisations if communities else frozenset())
        setattr(user, _CACHE, cached)
    return cached


def forget(user: Any) -> None:
    if user is not None and hasattr(user, _CACHE):
        delattr(user, _CACHE)


def community_ids(actor: Any) -> frozenset[int]:
    user = actor_user(actor)
    return _facts(user)[0] if user is not None and user.is_active else frozenset()


def organisation_ids(actor: Any) -> frozenset[int]:
    user = actor_user(actor)
    return _facts(user)[2] if user is not None and user.is_active else frozenset()


def visibility_filter(actor: Any) -> Q:
    public = Q(tlp=TLP.CLEAR, audience_kind=AudienceKind.PUBLIC)
    user = actor_user(actor)
    if user is None or not user.is_active:
        return public
    communities, _moderated, organisations = _facts(user)
    return (
        public
        | Q(audience_kind=AudienceKind.COMMUNITY, community_id__in=communities)
        | Q(audience_kind=AudienceKind.ORGANISATIONS, audience_organisations__in=organisations)
        | Q(audience_kind=AudienceKind.PEOPLE, audience_people=user.pk)
        | Q(originator_id=user.pk)
        | (Q(originator_organisation_id__in=organisations) & ~Q(tlp=TLP.RED))
    )


def is_vetted(actor: Any) -> bool:
    """An active member of some community (sees the directory's contact data)."""
    return bool(community_ids(actor)) or roles.can_edit_everything(actor)


def is_member(actor: Any, community: Any) -> bool:
    return community is not None and community.pk in community_ids(actor)


def can_manage_communities(actor: Any) -> bool:
    """Create communities and organisations, approve memberships: the Secretariat."""
    return roles.can_edit_everything(actor)


def can_moderate(actor: Any, community: Any) -> bool:
    """Lock or hide items of a community (the Secretariat, or its moderators)."""
    if roles.can_edit_everything(actor):
        return True
    user = actor_user(actor)
    return user is not None and user.is_active and community.pk in _facts(user)[1]


def can_see_existence(actor: Any) -> bool:
    """See that restricted items exist (id, label, community, date; never their content)."""
    return roles.is_administrator(actor)


def can_remove(actor: Any) -> bool:
    """The break-glass removal: administrators only, audited, the originator told."""
    return roles.is_administrator(actor)


def can_see_members(actor: Any, community: Any) -> bool:
    """Names of a community's members: its managers always; members unless membership is
    hidden (then they see a count only)."""
    if can_manage_communities(actor):
        return True
    return is_member(actor, community) and not community.hidden_membership


def can_edit_organisation(actor: Any, organisation: Any) -> bool:
    """The Secretariat, or a vetted person of the organisation itself."""
    return can_manage_communities(actor) or organisation.pk in organisation_ids(actor)


def can_review_submissions(actor: Any, community: Any) -> bool:
    """Anonymous submissions to a community are reviewed by its host: the Secretariat."""
    return community.host_id is not None and can_manage_communities(actor)


def can_post(actor: Any, community: Any) -> bool:
    return is_member(actor, community)
