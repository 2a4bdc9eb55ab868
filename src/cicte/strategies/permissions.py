"""Who may read and do what in the strategies database.

Reads: :func:`visibility_filter` is the one rule behind every ``visible_to(actor)``
(documents, assessments, engagements), so pages, search, the API, exports, compare, the map
and the profile chart cannot disagree:

- everyone (also anonymous): documents marked TLP:CLEAR — verified and published by the
  Secretariat and not a draft (a state shows a draft publicly by marking it "in progress");
  assessments marked TLP:CLEAR — the state consented;
- the state's points of contact: everything of their own state;
- Secretariat staff assigned to the jurisdiction (and an assessment's assigned staff and
  experts): everything of it;
- other Secretariat staff (administrators, secretariat): documents submitted for
  verification (they verify them) — never a state's unsubmitted work, a draft strategy or an
  unconsented assessment of a state they are not assigned to.

``SYSTEM`` reads what the public reads. Models are not imported here (``models`` builds its
querysets on this module).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cicte.access import permissions as roles
from cicte.core.types import actor_user
from cicte.sharing.markings import TLP


def _user(actor: Any) -> Any | None:
    user = actor_user(actor)
    return user if user is not None and user.is_active else None


def _states(user: Any) -> set[int]:
    return roles.user_member_state_ids(user)


def visibility_filter(model: Any, actor: Any) -> Q:
    name = model._meta.model_name
    user = _user(actor)
    if name == "supportengagement":
        if user is None:
            return Q(pk__in=[])
        if roles.is_secretariat(user):
            return Q()
        return Q(jurisdiction__member_state_id__in=_states(user)) | Q(experts=user.pk)
    public = Q(tlp=TLP.CLEAR)
    if user is None:
        return public
    own = Q(jurisdiction__member_state_id__in=_states(user)) | Q(
        jurisdiction__assigned_staff=user.pk
    )
    if name == "maturityassessment":
        return public | own | Q(assessors=user.pk) | Q(created_by=user.pk)
    condition = public | own | Q(submitted_by=user.pk)
    if roles.can_edit_everything(user):
        condition |= Q(review__in=["submitted", "returned", "published"]) & ~Q(status="draft")
    return condition


# --- writes --------------------------------------------------------------------------------


def is_point_of_contact_for(actor: Any, jurisdiction: Any) -> bool:
    user = _user(actor)
    return (
        user is not None
        and jurisdiction.member_state_id is not None
        and jurisdiction.member_state_id in _states(user)
    )


def is_assigned(actor: Any, jurisdiction: Any) -> bool:
    user = _user(actor)
    return user is not None and jurisdiction.assigned_staff.filter(pk=user.pk).exists()


def can_submit(actor: Any, jurisdiction: Any) -> bool:
    """Submit a new or updated entry: the state's own points of contact (their state only),
    and the Secretariat (for any jurisdiction, e.g. organisations)."""
    return roles.can_edit_everything(actor) or is_point_of_contact_for(actor, jurisdiction)


def can_edit_document(actor: Any, document: Any) -> bool:
    return can_submit(actor, document.jurisdiction)


def can_verify(actor: Any) -> bool:
    """Verify the source and publish: the Secretariat (administrators, secretariat)."""
    return roles.can_edit_everything(actor)


def can_assess(actor: Any, jurisdiction: Any) -> bool:
    """Enter an assessment: Secretariat staff assigned to the jurisdiction (or any
    administrator / secretariat member, who becomes one of its assigned staff)."""
    return roles.can_edit_everything(actor) or is_assigned(actor, jurisdiction)


def can_rate(actor: Any, assessment: Any) -> bool:
    user = _user(actor)
    if user is None:
        return roles.is_administrator(actor)
    return (
        is_assigned(actor, assessment.jurisdiction)
        or assessment.created_by_id == user.pk
        or assessment.assessors.filter(pk=user.pk).exists()
    )


def can_consent(actor: Any, assessment: Any) -> bool:
    """Consent to publication (or withdraw it): the state's points of contact; the
    Secretariat records a consent received in writing."""
    return is_point_of_contact_for(actor, assessment.jurisdiction) or roles.can_edit_everything(
        actor
    )


def can_manage_engagements(actor: Any) -> bool:
    return roles.can_edit_everything(actor)


def can_see_history(actor: Any, document: Any) -> bool:
    """Who changed what (names of the people): those who may edit or verify the entry."""
    return can_verify(actor) or can_edit_document(actor, document)
