"""Who may see and do what in the knowledge management system.

Reads (the one rule behind every ``visible_to``):

- **registry entries** (:func:`event_filter`): everyone sees a validated entry whose host
  state approved a public listing; members of the major-events network (the
  ``major-events`` community of the sharing layer) see every validated entry; the host
  team, the host state's points of contact, the person who registered it and the
  Secretariat (who validates) see it from the start;
- **documents and lessons** (:func:`item_filter`): the sharing layer's marking and audience
  (:func:`cicte.sharing.permissions.visibility_filter`); a document of a host workspace
  (``host_team_only``) only by the event's host team (and its uploader); a lesson before it is
  published by its originator, the event's host team and the Secretariat (the validators).

Administrators get no read bypass on documents and lessons (their "view as" is read-only
and shows what another reader sees). Models are looked up by name: the models module builds
its querysets on this one.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q

from cicte.access import permissions as roles
from cicte.core.types import actor_user
from cicte.sharing import permissions as sharing

#: The sharing-layer community of the major-events network (made by a data migration).
COMMUNITY_SLUG = "major-events"
_CACHE = "_cicte_knowledge_network"


def _user(actor: Any) -> Any | None:
    user = actor_user(actor)
    return user if user is not None and user.is_active else None


def network_community() -> Any:
    return apps.get_model("sharing", "Community").objects.get(slug=COMMUNITY_SLUG)


def is_network_member(actor: Any) -> bool:
    """An active member of the major-events network community (cached on the user)."""
    user = _user(actor)
    if user is None:
        return False
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = (
            apps.get_model("sharing", "CommunityMembership")
            .objects.filter(user_id=user.pk, status="active", community__slug=COMMUNITY_SLUG)
            .exists()
        )
        setattr(user, _CACHE, cached)
    return bool(cached)


def event_filter(actor: Any) -> Q:
    public = Q(status="validated", public_approved=True)
    user = _user(actor)
    if user is None:
        return public
    if roles.can_edit_everything(user):
        return Q()
    condition = (
        public
        | Q(registered_by_id=user.pk)
        | Q(team__user_id=user.pk)
        | Q(host_state_id__in=roles.user_member_state_ids(user))
    )
    if is_network_member(user):
        condition |= Q(status="validated")
    return condition


def item_filter(actor: Any, model: Any) -> Q:
    shared = sharing.visibility_filter(actor)
    user = _user(actor)
    if model._meta.model_name == "document":
        if user is None:
            return Q(host_team_only=False) & shared
        return (Q(host_team_only=False) & shared) | (
            Q(host_team_only=True) & (Q(event__team__user_id=user.pk) | Q(originator_id=user.pk))
        )
    published = Q(status="published")
    if user is None:
        return published & shared
    if roles.can_edit_everything(user):
        unpublished = ~published
    else:
        unpublished = ~published & (Q(originator_id=user.pk) | Q(event__team__user_id=user.pk))
    return (published & shared) | unpublished


# -- writes ------------------------------------------------------------------------------


def is_secretariat(actor: Any) -> bool:
    return roles.can_edit_everything(actor)


def team_role(actor: Any, event: Any) -> str | None:
    user = _user(actor)
    if user is None or event is None:
        return None
    return (
        apps.get_model("knowledge", "HostTeamMember")
        .objects.filter(event=event, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )


def is_team_member(actor: Any, event: Any) -> bool:
    return team_role(actor, event) is not None


def can_register_event(actor: Any, state_code: str) -> bool:
    """A host focal point (point of contact) for their own state, or the Secretariat."""
    return is_secretariat(actor) or roles.is_point_of_contact_for(actor, state_code)


def can_validate_event(actor: Any) -> bool:
    return is_secretariat(actor)


def can_approve_public(actor: Any, event: Any) -> bool:
    """The host state decides on a public entry: its points of contact (the Secretariat may
    record an approval received in writing)."""
    return is_secretariat(actor) or roles.is_point_of_contact_for(actor, event.host_state.code)


def can_manage_team(actor: Any, event: Any) -> bool:
    return is_secretariat(actor) or team_role(actor, event) == "lead"


def can_work_in(actor: Any, event: Any) -> bool:
    """Workspace writes and reads (documents, checklist, contacts, discussion): the team."""
    return is_team_member(actor, event)


def can_contribute(actor: Any) -> bool:
    """Add documents to the library or submit lessons: network members and the Secretariat
    (a host team adds its own through its workspace)."""
    return is_secretariat(actor) or is_network_member(actor)


def can_validate_lesson(actor: Any) -> bool:
    return is_secretariat(actor)


def can_view_as(actor: Any) -> bool:
    return roles.is_administrator(actor)
