"""Writes of the sharing layer. Each service checks its actor first, writes through
:mod:`cicte.core.audit` and refuses with a :class:`SharingError` (nothing written)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cicte.core import audit
from cicte.core.errors import ApplicationError, Conflict, NotFound, require
from cicte.core.types import Actor, actor_user
from cicte.sharing import permissions, pgp
from cicte.sharing.markings import TLP, TLP_RANK, AudienceKind, audience_problem, subject_label
from cicte.sharing.models import (
    Community,
    CommunityMembership,
    MembershipPolicy,
    MembershipStatus,
    OrganisationMember,
    Removal,
    ReshareRequest,
    ReshareStatus,
    Shared,
    SharingOrganisation,
    Sponsorship,
)

logger = logging.getLogger(__name__)

SPONSORS_NEEDED = 2


class SharingErrorCode(StrEnum):
    AUDIENCE_NOT_ALLOWED = "audience_not_allowed"
    ORGANISATIONS_REQUIRED = "organisations_required"
    PEOPLE_REQUIRED = "people_required"
    AUDIENCE_OUTSIDE_COMMUNITY = "audience_outside_community"
    WIDENS_AUDIENCE = "widens_audience"
    SPONSORS = "sponsors"
    SPONSOR_OUTSIDE = "sponsor_outside_organisation"
    PGP_KEY = "pgp_key"
    ALREADY_MEMBER = "already_member"
    NOT_REQUESTED = "not_requested"
    INVALID = "invalid"


class SharingError(ApplicationError):
    pass


_MESSAGES = {
    "unknown_tlp": gettext_lazy("Choose a TLP label."),
    "unknown_audience": gettext_lazy("Choose an audience."),
    "audience_not_allowed": gettext_lazy(
        "This audience does not agree with the label: CLEAR may be public or the community, "
        "GREEN is for the community, AMBER and AMBER+STRICT for named organisations, RED for "
        "named people only."
    ),
    "community_required": gettext_lazy("Choose a community."),
    "organisations_required": gettext_lazy("Name at least one organisation for an AMBER item."),
    "organisations_not_allowed": gettext_lazy("Organisations are named only for AMBER items."),
    "people_required": gettext_lazy("Name at least one person for a RED item."),
    "people_not_allowed": gettext_lazy("People are named only for RED items."),
}


def audience_check(
    *,
    tlp: str,
    kind: str,
    community: Community | None,
    organisations: Sequence[SharingOrganisation] = (),
    people: Sequence[Any] = (),
) -> None:
    """Refuse a marking and an audience that disagree, or an audience outside the
    community (named organisations need an active member there, named people must be
    active members)."""
    problem = audience_problem(
        tlp=tlp,
        kind=kind,
        organisations=len(organisations),
        people=len(people),
        community=community is not None,
    )
    if problem:
        code = problem if problem in SharingErrorCode.__members__.values() else "invalid"
        raise SharingError(code, str(_MESSAGES.get(problem, problem)), field="audience_kind")
    assert community is not None
    # With hidden membership, refusing an organisation that is not a member would reveal
    # who is: any organisation of the directory may be named there.
    if organisations and not community.hidden_membership:
        org_ids = {o.pk for o in organisations}
        present = set(
            CommunityMembership.objects.filter(
                community=community, status=MembershipStatus.ACTIVE, organisation_id__in=org_ids
            ).values_list("organisation_id", flat=True)
        )
        if org_ids - present:
            raise SharingError(
                SharingErrorCode.AUDIENCE_OUTSIDE_COMMUNITY,
                _("Every named organisation must be a member of the community."),
                field="audience_organisations",
            )
    if people:
        user_ids = {p.pk for p in people}
        present = set(
            CommunityMembership.objects.filter(
                community=community, status=MembershipStatus.ACTIVE, user_id__in=user_ids
            ).values_list("user_id", flat=True)
        )
        if user_ids - present:
            raise SharingError(
                SharingErrorCode.AUDIENCE_OUTSIDE_COMMUNITY,
                _("Every named person must be a member of the community."),
                field="audience_people",
            )


def readers_within(
    parent: Shared, *, kind: str, organisations: Sequence[Any], people: Sequence[Any]
) -> bool:
    """Whether an audience reaches no one beyond ``parent``'s readers (a reply or an answer
    may keep or narrow its thread's audience, never widen it)."""
    model = type(parent)
    if kind == AudienceKind.PUBLIC:
        return parent.audience_kind == AudienceKind.PUBLIC
    if kind == AudienceKind.COMMUNITY:
        return parent.audience_kind in {AudienceKind.PUBLIC, AudienceKind.COMMUNITY}
    if kind == AudienceKind.ORGANISATIONS:
        if parent.audience_kind in {AudienceKind.PUBLIC, AudienceKind.COMMUNITY}:
            return True
        if parent.audience_kind != AudienceKind.ORGANISATIONS:
            return False
        allowed = set(parent.audience_organisations.values_list("pk", flat=True))
        if parent.originator_organisation_id is not None:
            allowed.add(parent.originator_organisation_id)
        return {o.pk for o in organisations} <= allowed
    # named people: each must already be able to read the parent
    return all(model.objects.visible_to(person).filter(pk=parent.pk).exists() for person in people)


def narrows(
    parent: Shared, *, tlp: str, kind: str, organisations: Sequence[Any], people: Sequence[Any]
) -> None:
    """Refuse an audience or label wider than ``parent``'s."""
    if TLP_RANK[tlp] < TLP_RANK[parent.tlp] or not readers_within(
        parent, kind=kind, organisations=organisations, people=people
    ):
        raise SharingError(
            SharingErrorCode.WIDENS_AUDIENCE,
            _(
                "A reply may keep or narrow its thread's audience, never widen it. Ask the "
                "originator to re-share instead."
            ),
            field="tlp",
        )


def audience_set(
    item: Shared,
    *,
    actor: Actor,
    organisations: Iterable[SharingOrganisation] = (),
    people: Iterable[Any] = (),
) -> None:
    """Write the many-to-many halves of an audience (after :func:`audience_check`)."""
    audit.set_related(item, "audience_organisations", organisations, actor=actor)
    audit.set_related(item, "audience_people", people, actor=actor)


def originator_organisation(actor: Actor, community: Community) -> SharingOrganisation | None:
    user = actor_user(actor)
    membership = (
        CommunityMembership.objects.filter(
            community=community, user=user, status=MembershipStatus.ACTIVE
        )
        .select_related("organisation")
        .first()
        if user
        else None
    )
    return membership.organisation if membership else None


# --- the directory -----------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, actor: Actor, name: str, kind: str, **fields: Any
) -> SharingOrganisation:
    require(
        permissions.can_manage_communities(actor), _("Only the Secretariat adds organisations.")
    )
    name = (name or "").strip()
    if not name:
        raise SharingError(SharingErrorCode.INVALID, _("Enter a name."), field="name")
    if SharingOrganisation.objects.filter(name__iexact=name).exists():
        raise Conflict("duplicate", _("An organisation with this name exists."), field="name")
    pgp_key = fields.pop("pgp_key", "")
    organisation = SharingOrganisation(name=name, kind=kind, **fields)
    _set_key(organisation, pgp_key)
    _validate(organisation)
    audit.save(organisation, actor=actor)
    return organisation


#: What an organisation's own vetted people (and the Secretariat) may change.
CONTACT_FIELDS = ("email", "phone", "website", "listed_publicly")


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: SharingOrganisation, pgp_key: str | None = None, **fields: Any
) -> SharingOrganisation:
    """Change contact data (the Secretariat, or the organisation's own vetted people) and
    the PGP key: pasted armoured, its fingerprint, user id, expiry and whether it can
    encrypt are read from it (never typed)."""
    require(
        permissions.can_edit_organisation(actor, organisation),
        _("Only the Secretariat and the organisation's own members change its entry."),
    )
    allowed = set(CONTACT_FIELDS)
    if permissions.can_manage_communities(actor):
        allowed |= {"name", "kind", "country", "sector"}
    unknown = set(fields) - allowed
    if unknown:
        raise SharingError(
            SharingErrorCode.INVALID,
            _("You may not change %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    organisation = SharingOrganisation.objects.select_for_update().get(pk=organisation.pk)
    for name, value in fields.items():
        setattr(organisation, name, value)
    if pgp_key is not None:
        _set_key(organisation, pgp_key)
    _validate(organisation)
    audit.save(organisation, actor=actor, reason="directory entry changed")
    return organisation


def _set_key(organisation: SharingOrganisation, text: str) -> None:
    """Read the armoured key into the entry (or clear it when ``text`` is blank)."""
    text = (text or "").strip()
    if not text:
        organisation.pgp_key = ""
        organisation.pgp_fingerprint = organisation.pgp_uid = ""
        organisation.pgp_expires = None
        organisation.pgp_can_encrypt = False
        return
    try:
        key = pgp.parse(text)
    except pgp.KeyError_ as exc:
        raise SharingError(SharingErrorCode.PGP_KEY, str(exc), field="pgp_key") from None
    organisation.pgp_key = text
    organisation.pgp_fingerprint = key.fingerprint
    organisation.pgp_uid = key.user_id
    organisation.pgp_expires = key.expires
    organisation.pgp_can_encrypt = key.can_encrypt()


def _validate(organisation: SharingOrganisation) -> None:
    try:
        organisation.full_clean()
    except ValidationError as exc:
        field, problems = next(iter(exc.message_dict.items()))
        raise SharingError(SharingErrorCode.INVALID, " ".join(problems), field=field) from None


@transaction.atomic
def community_create(*, actor: Actor, slug: str, name: str, kind: str, **fields: Any) -> Community:
    require(permissions.can_manage_communities(actor), _("Only the Secretariat adds communities."))
    community = Community(slug=slug, name=name, kind=kind, **fields)
    community.full_clean()
    audit.save(community, actor=actor)
    return community


def _find_membership(community: Community, user: Any) -> CommunityMembership | None:
    return CommunityMembership.objects.filter(community=community, user=user).first()


@transaction.atomic
def membership_grant(
    *,
    actor: Actor,
    community: Community,
    user: Any,
    organisation: SharingOrganisation,
    role: str = "member",
) -> CommunityMembership:
    """Make ``user`` an active member at once (the Secretariat, the command line)."""
    require(permissions.can_manage_communities(actor), _("Only the Secretariat adds members."))
    membership = _find_membership(community, user) or CommunityMembership(
        community=community, user=user, organisation=organisation
    )
    membership.organisation = organisation
    membership.role = role
    membership.status = MembershipStatus.ACTIVE
    membership.decided_at = timezone.now()
    audit.save(membership, actor=actor, reason="granted")
    _affiliate(actor, user, organisation)
    permissions.forget(user)
    return membership


def _affiliate(actor: Actor, user: Any, organisation: SharingOrganisation) -> None:
    if not OrganisationMember.objects.filter(user=user, organisation=organisation).exists():
        audit.save(OrganisationMember(user=user, organisation=organisation), actor=actor)


@transaction.atomic
def membership_request(
    *,
    actor: Actor,
    community: Community,
    organisation: SharingOrganisation,
    sponsors: Sequence[Any] = (),
    message: str = "",
) -> CommunityMembership:
    """Ask to join ``community`` for ``organisation``, naming sponsors (two existing members
    when the community's policy asks for them)."""
    user = actor_user(actor)
    require(user is not None, _("Sign in to request membership."))
    assert user is not None
    existing = _find_membership(community, user)
    if existing is not None and existing.status != MembershipStatus.DECLINED:
        raise SharingError(
            SharingErrorCode.ALREADY_MEMBER, _("You are already a member or have asked to be.")
        )
    sponsor_ids = {s.pk for s in sponsors}
    if community.policy == MembershipPolicy.SPONSORED:
        members = set(
            CommunityMembership.objects.filter(
                community=community, status=MembershipStatus.ACTIVE, user_id__in=sponsor_ids
            ).values_list("user_id", flat=True)
        )
        if user.pk in sponsor_ids or len(members) < SPONSORS_NEEDED or members != sponsor_ids:
            raise SharingError(
                SharingErrorCode.SPONSORS,
                _("Name two existing members of the community as sponsors."),
                field="sponsors",
            )
        # FIRST's rule: at least one sponsor is from outside the applicant's organisation.
        outside = CommunityMembership.objects.filter(
            community=community, status=MembershipStatus.ACTIVE, user_id__in=sponsor_ids
        ).exclude(organisation=organisation)
        if not outside.exists():
            raise SharingError(
                SharingErrorCode.SPONSOR_OUTSIDE,
                _("At least one sponsor must be from outside your organisation."),
                field="sponsors",
            )
    membership = existing or CommunityMembership(community=community, user=user)
    membership.organisation = organisation
    membership.status = MembershipStatus.REQUESTED
    membership.message = message
    membership.decided_at = None
    audit.save(membership, actor=actor, reason="requested")
    for sponsor in sponsors:
        audit.save(Sponsorship(membership=membership, sponsor=sponsor), actor=actor)
    return membership


@transaction.atomic
def membership_endorse(*, actor: Actor, membership: CommunityMembership) -> Sponsorship:
    user = actor_user(actor)
    sponsorship = (
        Sponsorship.objects.filter(membership=membership, sponsor=user).first() if user else None
    )
    require(sponsorship is not None, _("You are not a sponsor of this request."))
    assert sponsorship is not None
    require(permissions.is_member(actor, membership.community), _("Only members sponsor."))
    sponsorship.endorsed_at = timezone.now()
    audit.save(sponsorship, actor=actor, reason="endorsed")
    return sponsorship


@transaction.atomic
def membership_approve(*, actor: Actor, membership: CommunityMembership) -> CommunityMembership:
    require(permissions.can_manage_communities(actor), _("Only the Secretariat approves members."))
    membership = CommunityMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.REQUESTED:
        raise SharingError(SharingErrorCode.NOT_REQUESTED, _("This request was already decided."))
    if membership.community.policy == MembershipPolicy.SPONSORED:
        endorsed = membership.sponsorships.filter(endorsed_at__isnull=False).count()
        if endorsed < SPONSORS_NEEDED:
            raise SharingError(
                SharingErrorCode.SPONSORS, _("Two sponsors must endorse the request first.")
            )
    membership.status = MembershipStatus.ACTIVE
    membership.decided_at = timezone.now()
    audit.save(membership, actor=actor, reason="approved")
    _affiliate(actor, membership.user, membership.organisation)
    permissions.forget(membership.user)
    return membership


@transaction.atomic
def membership_decline(
    *, actor: Actor, membership: CommunityMembership, reason: str
) -> CommunityMembership:
    require(permissions.can_manage_communities(actor), _("Only the Secretariat declines members."))
    if membership.status != MembershipStatus.REQUESTED:
        raise SharingError(SharingErrorCode.NOT_REQUESTED, _("This request was already decided."))
    membership.status = MembershipStatus.DECLINED
    membership.decision_reason = reason
    membership.decided_at = timezone.now()
    audit.save(membership, actor=actor, reason="declined")
    return membership


# --- re-share requests and break-glass removal -------------------------------------------


def _label(item: Shared) -> str:
    return item._meta.label_lower


@transaction.atomic
def reshare_request(
    *, actor: Actor, item: Shared, wanted_tlp: str, message: str = ""
) -> ReshareRequest:
    """A reader asks the originator to share ``item`` more widely; only the originator may
    then widen it."""
    user = actor_user(actor)
    require(
        user is not None and type(item).objects.visible_to(actor).filter(pk=item.pk).exists(),
        _("You may not do this."),
    )
    # The same label with a wider audience (AMBER: one more organisation) is a widening too.
    if wanted_tlp not in TLP.values or TLP_RANK[wanted_tlp] > TLP_RANK[item.tlp]:
        raise SharingError(
            SharingErrorCode.INVALID,
            _("Ask for the item's label or a wider one."),
            field="tlp",
        )
    request = ReshareRequest(
        item_type=_label(item),
        item_id=item.pk,
        requester=user,
        originator=item.originator,
        wanted_tlp=wanted_tlp,
        message=message,
    )
    audit.save(request, actor=actor)
    _notify(
        item.originator,
        _("Request to re-share an item"),
        _("A reader asks you to share item %(id)s more widely; only you can decide: %(link)s")
        % {"id": item.pk, "link": _site_url("/forum/reshare/")},
        tlp=item.tlp,
    )
    return request


def item_of(request: ReshareRequest) -> Shared | None:
    model = apps.get_model(request.item_type)
    found: Shared | None = model._default_manager.filter(pk=request.item_id).first()
    return found


def _keeps_readers(
    item: Shared, *, kind: str, organisations: Sequence[Any], people: Sequence[Any]
) -> bool:
    """Whether an audience reaches at least everyone ``item`` reaches now (widening)."""
    old = item.audience_kind
    if kind == AudienceKind.PUBLIC:
        return True
    if kind == AudienceKind.COMMUNITY:
        return old != AudienceKind.PUBLIC
    if kind == AudienceKind.ORGANISATIONS:
        wanted = {o.pk for o in organisations}
        if old == AudienceKind.ORGANISATIONS:
            return set(item.audience_organisations.values_list("pk", flat=True)) <= wanted
        if old == AudienceKind.PEOPLE:
            named = item.audience_people.values_list("pk", flat=True)
            reached = set(
                CommunityMembership.objects.filter(
                    community_id=item.community_id,
                    status=MembershipStatus.ACTIVE,
                    user_id__in=named,
                    organisation_id__in=wanted,
                ).values_list("user_id", flat=True)
            )
            return reached == set(named)
        return False
    return old == AudienceKind.PEOPLE and set(
        item.audience_people.values_list("pk", flat=True)
    ) <= {p.pk for p in people}


@transaction.atomic
def widen(
    *,
    actor: Actor,
    item: Shared,
    tlp: str,
    audience_kind: str,
    organisations: Sequence[SharingOrganisation] = (),
    people: Sequence[Any] = (),
    reason: str = "widened",
) -> Shared:
    """The originator widens an item's marking and audience (never a recipient: FIRST's
    rule). The new pair must agree with the label rules and reach everyone who could read
    the item before."""
    user = actor_user(actor)
    require(
        user is not None and item.originator_id == user.pk,
        _("Only the originator widens an item's audience."),
    )
    audience_check(
        tlp=tlp,
        kind=audience_kind,
        community=item.community,
        organisations=organisations,
        people=people,
    )
    if TLP_RANK[tlp] > TLP_RANK[item.tlp] or not _keeps_readers(
        item, kind=audience_kind, organisations=organisations, people=people
    ):
        raise SharingError(
            SharingErrorCode.INVALID,
            _("The new audience must keep everyone who can read the item now."),
            field="audience_kind",
        )
    item.tlp = tlp
    item.audience_kind = audience_kind
    audit.save(item, actor=actor, reason=reason)
    audience_set(item, actor=actor, organisations=organisations, people=people)
    return item


def default_widening(
    request: ReshareRequest, item: Shared
) -> tuple[str, list[SharingOrganisation]]:
    """The audience a request asks for: the community for CLEAR and GREEN; for AMBER the
    item's organisations plus the requester's."""
    if request.wanted_tlp in {TLP.CLEAR, TLP.GREEN}:
        return AudienceKind.COMMUNITY, []
    organisations = list(item.audience_organisations.all())
    own = originator_organisation(request.requester, item.community)
    if own is not None and own not in organisations:
        organisations.append(own)
    return AudienceKind.ORGANISATIONS, organisations


def _open_request(actor: Actor, request: ReshareRequest) -> tuple[ReshareRequest, Shared]:
    user = actor_user(actor)
    request = ReshareRequest.objects.select_for_update().get(pk=request.pk)
    item = item_of(request)
    require(
        user is not None
        and request.originator_id == user.pk
        and item is not None
        and item.originator_id == user.pk,
        _("Only the originator decides."),
    )
    assert item is not None
    if request.status != ReshareStatus.OPEN:
        raise SharingError(SharingErrorCode.NOT_REQUESTED, _("This request was already decided."))
    return request, item


@transaction.atomic
def reshare_accept(
    *,
    actor: Actor,
    request: ReshareRequest,
    tlp: str | None = None,
    audience_kind: str | None = None,
    organisations: Sequence[SharingOrganisation] | None = None,
    people: Sequence[Any] = (),
    note: str = "",
) -> tuple[ReshareRequest, Shared]:
    """The originator accepts: the item is widened (validated, audited) and the requester
    told."""
    request, item = _open_request(actor, request)
    kind, default_organisations = default_widening(request, item)
    widen(
        actor=actor,
        item=item,
        tlp=tlp or request.wanted_tlp,
        audience_kind=audience_kind or kind,
        organisations=default_organisations if organisations is None else organisations,
        people=people,
        reason=f"widened on request {request.pk}",
    )
    request.status = ReshareStatus.ACCEPTED
    request.decision_note = note
    request.decided_at = timezone.now()
    audit.save(request, actor=actor, reason="accepted")
    _notify(
        request.requester,
        _("Your request to re-share was accepted"),
        _("The originator shared item %(id)s more widely (%(label)s).")
        % {"id": item.pk, "label": TLP(item.tlp).label},
        tlp=item.tlp,
    )
    return request, item


@transaction.atomic
def reshare_decline(*, actor: Actor, request: ReshareRequest, note: str = "") -> ReshareRequest:
    """The originator declines; the requester is told (with the originator's note)."""
    request, item = _open_request(actor, request)
    request.status = ReshareStatus.DECLINED
    request.decision_note = note
    request.decided_at = timezone.now()
    audit.save(request, actor=actor, reason="declined")
    body = _("The originator keeps item %(id)s as it is.") % {"id": item.pk}
    if note.strip():
        body += "\n\n" + note.strip()
    _notify(request.requester, _("Your request to re-share was declined"), body, tlp=item.tlp)
    return request


@transaction.atomic
def break_glass_remove(*, actor: Actor, item: Shared, reason: str) -> Removal:
    """An administrator removes an item they may not read; recorded and the originator told."""
    require(permissions.can_remove(actor), _("Only administrators remove items."))
    removal = record_removal(actor=actor, item=item, reason=reason)
    audit.delete(item, actor=actor, reason="break-glass removal")
    return removal


def record_removal(
    *,
    actor: Actor,
    item: Shared,
    reason: str,
    item_type: str | None = None,
    item_id: int | None = None,
) -> Removal:
    """The record of a break-glass removal (what, label, by whom, why) and the mail to the
    originator; ``item_type``/``item_id`` name a part of ``item`` (an attachment)."""
    require(permissions.can_remove(actor), _("Only administrators remove items."))
    reason = (reason or "").strip()
    if not reason:
        raise SharingError(SharingErrorCode.INVALID, _("Give the reason."), field="reason")
    removal = Removal(
        item_type=item_type or _label(item),
        item_id=item_id if item_id is not None else item.pk,
        tlp=item.tlp,
        originator=item.originator,
        removed_by=actor_user(actor),
        reason=reason,
    )
    audit.save(removal, actor=actor)
    _notify(
        removal.originator,
        _("An item you shared was removed"),
        _("An administrator removed %(kind)s %(id)s. Reason: %(reason)s")
        % {"kind": removal.item_type, "id": removal.item_id, "reason": reason},
        tlp=removal.tlp,
    )
    return removal


def _site_url(path: str) -> str:
    return getattr(settings, "CICTE_SITE_URL", "").rstrip("/") + path


def _notify(user: Any, subject: str, body: str, *, tlp: str) -> None:
    """Mail ``user`` after the commit; the subject starts with the item's TLP label."""
    email = getattr(user, "email", "")
    if not email:
        return
    full = f"{subject_label(tlp)} {subject}"
    transaction.on_commit(lambda: send_mail(full, body, None, [email], fail_silently=True))


def community_get(slug: str) -> Community:
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise NotFound("not_found", _("No such community."))
    return community


def user_by_username(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()
