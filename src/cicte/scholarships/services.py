"""Writes of scholarships: calls, nominations, confirmation, selection and award, withdrawal
with the waitlist, completion (certificate) and the delivery event that counts completions
toward the plan's target. Each checks the actor, runs in one transaction, writes through
:mod:`cicte.core.audit`, and sends e-mail through the ops mail job after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.access.models import Membership, Role
from cicte.core import audit
from cicte.core.errors import ApplicationError, Conflict, NotFound, require
from cicte.core.files import sniff_document
from cicte.core.types import Actor, actor_user
from cicte.delivery import services as delivery
from cicte.delivery.models import Event, EventKind, EventStatus
from cicte.directory.models import MemberState, Organization, Subregion
from cicte.evaluations import services as evaluations
from cicte.evaluations.models import Questionnaire
from cicte.plan.models import Target, WorkPlan
from cicte.scholarships import permissions
from cicte.scholarships.models import (
    CallStatus,
    Nomination,
    NominationDocument,
    NominationStatus,
    ScholarshipCall,
    Sex,
    Travel,
    TravelStatus,
)


class ScholarshipErrorCode(StrEnum):
    INVALID = "validation_error"
    DEADLINE = "deadline_passed"
    NOT_ELIGIBLE = "not_eligible"
    OTHER_STATE = "other_state"
    SEATS = "too_many_awards"
    ALREADY_CONFIRMED = "already_confirmed"
    WRONG_STATE = "wrong_state"
    DUPLICATE = "duplicate_nomination"
    FILE = "file_type"


def _invalid(
    field: str, message: str, code: str = ScholarshipErrorCode.INVALID
) -> ApplicationError:
    return ApplicationError(code, message, field=field)


def _site_url(path: str) -> str:
    return getattr(settings, "CICTE_SITE_URL", "").rstrip("/") + path


def _mail(subject: str, body: str, to: Iterable[str], actor: Actor) -> None:
    from cicte.ops.tasks import mail_enqueue

    recipients = sorted({a for a in to if a})
    user = actor_user(actor)  # SYSTEM and anonymous nominees: no user on the job
    if recipients:
        transaction.on_commit(
            lambda: mail_enqueue(subject=subject, body=body, to=recipients, actor=user)
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- calls ----------------------------------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    actor: Actor,
    plan: WorkPlan,
    target: Target,
    course: str,
    provider: Organization,
    start_date: dt.date,
    end_date: dt.date,
    seats: int,
    nomination_deadline: dt.datetime,
    city: str = "",
    host_state: MemberState | None = None,
    eligible_states: Sequence[MemberState] = (),
    eligible_subregions: Sequence[str] = (),
    small_islands_only: bool = False,
    profile: str = "",
    public: bool = False,
    funding_source: Organization | None = None,
) -> ScholarshipCall:
    """A call (draft) for scholarships to one course, counting toward ``target``."""
    require(
        permissions.can_manage_target(actor, target),
        _("You may only open calls toward targets of the programs you manage."),
    )
    if target.plan_id != plan.pk:
        raise _invalid("target", _("The target belongs to another plan."))
    if not course.strip():
        raise _invalid("course", _("Name the course."))
    if end_date < start_date:
        raise _invalid("end_date", _("The course ends before it starts."))
    if seats < 1 or seats > 1000:
        raise _invalid("seats", _("Seats must be between 1 and 1000."))
    if nomination_deadline.date() > start_date:
        raise _invalid("nomination_deadline", _("Nominations must close before the course starts."))
    unknown = [s for s in eligible_subregions if s not in Subregion.values]
    if unknown:
        raise _invalid(
            "eligible_subregions", _("Unknown subregion: %(name)s.") % {"name": unknown[0]}
        )
    call = ScholarshipCall(
        plan=plan,
        target=target,
        course=course.strip()[:300],
        provider=provider,
        funding_source=funding_source,
        start_date=start_date,
        end_date=end_date,
        city=city.strip()[:200],
        host_state=host_state,
        seats=seats,
        nomination_deadline=nomination_deadline,
        eligible_subregions=list(dict.fromkeys(eligible_subregions)),
        small_islands_only=small_islands_only,
        profile=profile.strip(),
        public=public,
        created_by=actor_user(actor),
    )
    audit.save(call, actor=actor)
    if eligible_states:
        audit.set_related(call, "eligible_states", eligible_states, actor=actor)
    return call


def _locked_call(call: ScholarshipCall) -> ScholarshipCall:
    return (
        ScholarshipCall.objects.select_for_update(of=("self",))
        .select_related("target__project", "provider", "plan")
        .get(pk=call.pk)
    )


def eligible_state_ids(call: ScholarshipCall) -> set[int]:
    """The member states that may nominate to ``call`` (every criterion set must hold)."""
    states = MemberState.objects.all()
    chosen = list(call.eligible_states.values_list("pk", flat=True))
    if chosen:
        states = states.filter(pk__in=chosen)
    if call.eligible_subregions:
        states = states.filter(subregion__in=call.eligible_subregions)
    if call.small_islands_only:
        states = states.filter(small_island_state=True)
    return set(states.values_list("pk", flat=True))


@transaction.atomic
def call_publish(*, actor: Actor, call: ScholarshipCall) -> ScholarshipCall:
    """Open a draft call to nominations; its eligible states' points of contact are told."""
    require(permissions.can_manage_call(actor, call), _("You may not manage this call."))
    call = _locked_call(call)
    if call.status != CallStatus.DRAFT:
        raise Conflict(ScholarshipErrorCode.WRONG_STATE, _("This call is already published."))
    call.status = CallStatus.OPEN
    audit.save(call, actor=actor)
    emails = Membership.objects.filter(
        role=Role.POINT_OF_CONTACT, member_state_id__in=eligible_state_ids(call)
    ).values_list("user__email", flat=True)
    _mail(
        _("Call for scholarships: %(course)s") % {"course": call.course},
        _(
            "A call for %(seats)s scholarships to %(course)s (%(provider)s), %(start)s to "
            "%(end)s, is open to nominations until %(deadline)s: %(url)s"
        )
        % {
            "seats": call.seats,
            "course": call.course,
            "provider": call.provider,
            "start": call.start_date.isoformat(),
            "end": call.end_date.isoformat(),
            "deadline": call.nomination_deadline.isoformat(timespec="minutes"),
            "url": _site_url(reverse("scholarships:call", args=[call.pk])),
        },
        list(emails),
        actor,
    )
    return call


@transaction.atomic
def call_close(*, actor: Actor, call: ScholarshipCall) -> ScholarshipCall:
    """Close nominations and start the selection."""
    require(permissions.can_manage_call(actor, call), _("You may not manage this call."))
    call = _locked_call(call)
    if call.status != CallStatus.OPEN:
        raise Conflict(ScholarshipErrorCode.WRONG_STATE, _("Only an open call can be closed."))
    call.status = CallStatus.CLOSED
    audit.save(call, actor=actor)
    return call


# --- nominations ----------------------------------------------------------------------------

_DOCUMENT_TYPES = {"pdf", "docx", "png", "jpg"}
_CERTIFICATE_TYPES = {"pdf", "png", "jpg"}


def _sniffed(uploaded: Any, allowed: set[str], field: str) -> tuple[str, str, bytes]:
    size = getattr(uploaded, "size", 0) or 0
    if size == 0:
        raise _invalid(field, _("The file is empty."), ScholarshipErrorCode.FILE)
    if size > settings.CICTE_MAX_UPLOAD_BYTES:
        raise _invalid(
            field,
            _("The file is larger than %(limit)s bytes.")
            % {"limit": settings.CICTE_MAX_UPLOAD_BYTES},
            ScholarshipErrorCode.FILE,
        )
    uploaded.seek(0)
    sniffed = sniff_document(uploaded.read(16), uploaded)
    if sniffed is None or sniffed[0] not in allowed:
        names = ", ".join(sorted(t.upper() for t in allowed))
        raise _invalid(
            field,
            _("Only these file types are accepted: %(types)s.") % {"types": names},
            ScholarshipErrorCode.FILE,
        )
    uploaded.seek(0)
    return sniffed[0], sniffed[1], uploaded.read()


@dataclass
class Submitted:
    nomination: Nomination
    token: str  # the confirmation secret (only in the e-mail to the nominee)


@transaction.atomic
def nomination_submit(
    *,
    actor: Actor,
    call: ScholarshipCall,
    member_state: MemberState,
    name: str,
    institution: str,
    email: str,
    sex: str = Sex.NOT_STATED,
    position: str = "",
    language: str = "en",
    justification: str = "",
    documents: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> Submitted:
    """A point of contact nominates an official of their own state, before the deadline; the
    nominee is sent a link to confirm."""
    if not permissions.can_nominate(actor, member_state):
        raise ApplicationError(
            ScholarshipErrorCode.OTHER_STATE,
            _(
                "You may only nominate officials of the member state you are the point of "
                "contact of."
            ),
            field="member_state",
        )
    call = _locked_call(call)
    now = now or timezone.now()
    if call.status != CallStatus.OPEN or now > call.nomination_deadline:
        raise ApplicationError(
            ScholarshipErrorCode.DEADLINE,
            _("Nominations to this call closed on %(deadline)s.")
            % {"deadline": call.nomination_deadline.isoformat(timespec="minutes")},
            field="call",
        )
    if member_state.pk not in eligible_state_ids(call):
        raise ApplicationError(
            ScholarshipErrorCode.NOT_ELIGIBLE,
            _("%(state)s is not eligible for this call.") % {"state": member_state.name},
            field="member_state",
        )
    name, institution, email = name.strip(), institution.strip(), email.strip().lower()
    if not name:
        raise _invalid("name", _("Give the nominee's name."))
    if not institution:
        raise _invalid("institution", _("Give the nominee's institution."))
    try:
        validate_email(email)
    except Exception:
        raise _invalid("email", _("Give a valid e-mail address.")) from None
    if sex not in Sex.values:
        raise _invalid("sex", _("Unknown sex."))
    if language not in {"en", "es", "fr", "pt"}:
        raise _invalid("language", _("Unknown language."))
    if call.nominations.filter(email=email).exclude(status=NominationStatus.WITHDRAWN).exists():
        raise ApplicationError(
            ScholarshipErrorCode.DUPLICATE,
            _("%(email)s is already nominated to this call.") % {"email": email},
            field="email",
        )
    files = [(*_sniffed(d, _DOCUMENT_TYPES, "documents"), d) for d in documents]
    token = secrets.token_urlsafe(32)
    nomination = Nomination(
        call=call,
        member_state=member_state,
        nominated_by=actor_user(actor),
        name=name[:200],
        institution=institution[:200],
        position=position.strip()[:200],
        sex=sex,
        email=email,
        language=language,
        justification=justification.strip()[:5000],
        confirm_token_hash=token_hash(token),
    )
    audit.save(nomination, actor=actor)
    for extension, content_type, content, uploaded in files:
        document = NominationDocument(
            nomination=nomination,
            original_name=(getattr(uploaded, "name", "") or f"document.{extension}")
            .replace("\\", "/")
            .split("/")[-1][:255],
            content_type=content_type,
            size=len(content),
        )
        document.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
        audit.save(document, actor=actor)
    _mail(
        _("Please confirm your nomination: %(course)s") % {"course": call.course},
        _(
            "%(state)s nominated you for a scholarship to %(course)s (%(start)s to %(end)s). "
            "Please confirm that you accept the nomination: %(url)s"
        )
        % {
            "state": member_state.name,
            "course": call.course,
            "start": call.start_date.isoformat(),
            "end": call.end_date.isoformat(),
            "url": _site_url(reverse("scholarships:confirm", args=[token])),
        },
        [email],
        actor,
    )
    return Submitted(nomination, token)


def nomination_by_token(token: str) -> Nomination:
    found = (
        Nomination.objects.select_related("call", "member_state")
        .filter(confirm_token_hash=token_hash(token or ""))
        .first()
    )
    if found is None:
        raise NotFound("unknown_link", _("This confirmation link is not valid."))
    return found


@transaction.atomic
def nomination_confirm(*, token: str) -> Nomination:
    """The nominee confirms with the secret of their link (twice: a clear error)."""
    nomination = nomination_by_token(token)
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=nomination.pk)
    )
    if nomination.confirmed_at is not None:
        raise Conflict(
            ScholarshipErrorCode.ALREADY_CONFIRMED,
            _("You already confirmed this nomination on %(date)s; nothing more is needed.")
            % {"date": nomination.confirmed_at.date().isoformat()},
        )
    if nomination.status != NominationStatus.NOMINATED:
        raise Conflict(
            ScholarshipErrorCode.WRONG_STATE,
            _("This nomination can no longer be confirmed (%(status)s).")
            % {"status": nomination.get_status_display()},
        )
    nomination.status = NominationStatus.CONFIRMED
    nomination.confirmed_at = timezone.now()
    audit.save(nomination, actor=None, reason="confirmed by the nominee")
    return nomination


# --- selection and award --------------------------------------------------------------------

DECISIONS = (NominationStatus.ACCEPTED, NominationStatus.WAITLISTED, NominationStatus.DECLINED)


@dataclass(frozen=True)
class Decision:
    nomination_id: int
    decision: str  # accepted, waitlisted, declined
    rank: int | None = None
    reason: str = ""


def _notify_decision(nomination: Nomination, actor: Actor) -> None:
    call = nomination.call
    label = NominationStatus(nomination.status).label
    lines = [
        _("Your nomination for a scholarship to %(course)s (%(start)s to %(end)s): %(decision)s.")
        % {
            "course": call.course,
            "start": call.start_date.isoformat(),
            "end": call.end_date.isoformat(),
            "decision": label,
        }
    ]
    if nomination.decision_reason:
        lines.append(_("Reason: %(reason)s") % {"reason": nomination.decision_reason})
    to = [nomination.email]
    if nomination.nominated_by is not None:
        to.append(nomination.nominated_by.email)
    _mail(
        _("Scholarship %(course)s: %(decision)s") % {"course": call.course, "decision": label},
        "\n\n".join(str(line) for line in lines),
        to,
        actor,
    )


@transaction.atomic
def selection_apply(
    *, actor: Actor, call: ScholarshipCall, decisions: Sequence[Decision]
) -> list[Nomination]:
    """Rank and decide nominations: award (accepted), waitlist or decline (with a reason),
    within the call's seats; every decided nominee (and their point of contact) is told."""
    require(permissions.can_manage_call(actor, call), _("You may not manage this call."))
    call = _locked_call(call)
    if call.status not in (CallStatus.CLOSED, CallStatus.AWARDED):
        raise Conflict(
            ScholarshipErrorCode.WRONG_STATE, _("Close the call to nominations before selecting.")
        )
    by_id = {
        n.pk: n
        for n in Nomination.objects.select_for_update(of=("self",))
        .filter(call=call)
        .select_related("nominated_by", "call")
    }
    seen: set[int] = set()
    for d in decisions:
        nomination = by_id.get(d.nomination_id)
        if nomination is None:
            raise _invalid(
                "selection", _("Nomination %(id)s is not in this call.") % {"id": d.nomination_id}
            )
        if d.nomination_id in seen:
            raise _invalid(
                "selection", _("Nomination %(id)s is decided twice.") % {"id": d.nomination_id}
            )
        seen.add(d.nomination_id)
        if d.decision not in DECISIONS:
            raise _invalid(
                "selection", _("Unknown decision %(decision)r.") % {"decision": d.decision}
            )
        if d.decision != NominationStatus.DECLINED and nomination.status not in (
            NominationStatus.CONFIRMED,
            NominationStatus.ACCEPTED,
            NominationStatus.WAITLISTED,
        ):
            raise _invalid(
                "selection",
                _("%(name)s cannot be awarded or waitlisted: %(status)s.")
                % {"name": nomination.name, "status": nomination.get_status_display()},
            )
        if d.decision == NominationStatus.DECLINED and not d.reason.strip():
            raise _invalid(
                "reason", _("Give the reason for declining %(name)s.") % {"name": nomination.name}
            )
    final = {pk: n.status for pk, n in by_id.items()}
    final.update({d.nomination_id: d.decision for d in decisions})
    awarded = sum(
        1
        for status in final.values()
        if status
        in (NominationStatus.ACCEPTED, NominationStatus.COMPLETED, NominationStatus.NOT_COMPLETED)
    )
    if awarded > call.seats:
        raise ApplicationError(
            ScholarshipErrorCode.SEATS,
            _("%(awarded)s awards for %(seats)s seats: award at most %(seats)s.")
            % {"awarded": awarded, "seats": call.seats},
            field="selection",
        )
    now = timezone.now()
    changed = []
    for d in decisions:
        nomination = by_id[d.nomination_id]
        if (nomination.status, nomination.rank, nomination.decision_reason) == (
            d.decision,
            d.rank,
            d.reason.strip(),
        ):
            continue
        notify = nomination.status != d.decision
        nomination.status = d.decision
        nomination.rank = d.rank
        nomination.decision_reason = d.reason.strip()[:2000]
        nomination.decided_at = now
        audit.save(nomination, actor=actor)
        changed.append(nomination)
        if notify:
            _notify_decision(nomination, actor)
    if awarded and call.status != CallStatus.AWARDED:
        call.status = CallStatus.AWARDED
        audit.save(call, actor=actor)
    return changed


@dataclass
class Withdrawn:
    nomination: Nomination
    promoted: Nomination | None  # the waitlisted nominee who got the seat


@transaction.atomic
def nomination_withdraw(*, actor: Actor, nomination: Nomination, reason: str) -> Withdrawn:
    """A nominee withdraws (recorded by staff or their point of contact); a freed seat goes
    to the first of the waitlist (by rank), who is told."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("call__target__project", "member_state", "nominated_by")
        .get(pk=nomination.pk)
    )
    require(permissions.can_withdraw(actor, nomination), _("You may not withdraw this nomination."))
    if nomination.status in (
        NominationStatus.WITHDRAWN,
        NominationStatus.DECLINED,
        NominationStatus.COMPLETED,
        NominationStatus.NOT_COMPLETED,
    ):
        raise Conflict(
            ScholarshipErrorCode.WRONG_STATE,
            _("This nomination is %(status)s; it cannot be withdrawn.")
            % {"status": nomination.get_status_display().lower()},
        )
    if not reason.strip():
        raise _invalid("reason", _("Give the reason for the withdrawal."))
    held_seat = nomination.status == NominationStatus.ACCEPTED
    nomination.status = NominationStatus.WITHDRAWN
    nomination.decision_reason = reason.strip()[:2000]
    nomination.decided_at = timezone.now()
    audit.save(nomination, actor=actor)
    promoted = None
    if held_seat:
        promoted = (
            Nomination.objects.select_for_update(of=("self",))
            .filter(call_id=nomination.call_id, status=NominationStatus.WAITLISTED)
            .select_related("call", "nominated_by")
            .order_by(models_rank_nulls_last(), "id")
            .first()
        )
        if promoted is not None:
            promoted.status = NominationStatus.ACCEPTED
            promoted.decision_reason = _("A seat became free.")
            promoted.decided_at = timezone.now()
            audit.save(promoted, actor=actor, reason="waitlist filled a withdrawn seat")
            _notify_decision(promoted, actor)
    return Withdrawn(nomination, promoted)


def models_rank_nulls_last() -> Any:
    from django.db.models import F

    return F("rank").asc(nulls_last=True)


# --- completion and the delivery event ------------------------------------------------------


def _certificate_pdf(nomination: Nomination) -> bytes:
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    language = nomination.language if nomination.language in ("en", "es", "fr", "pt") else "en"
    with translation.override(language):
        html = render_to_string(
            "scholarships/certificate.html",
            {"nomination": nomination, "call": nomination.call, "issued": timezone.localdate()},
        )
    return bytes(HTML(string=html, base_url=None).write_pdf())


@transaction.atomic
def nomination_complete(
    *,
    actor: Actor,
    nomination: Nomination,
    completed: bool = True,
    certificate: Any = None,
    issue_certificate: bool = False,
    reason: str = "",
) -> Nomination:
    """Record an awardee's attendance: completed (with a certificate uploaded — PDF, PNG or
    JPEG — or issued as a PDF) or not completed (with a reason). A completion counts one unit
    toward the call's target through the call's scholarship event (delivery services, so an
    approved half-year refuses it like any other event write)."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("call__target__project", "call__provider", "member_state")
        .get(pk=nomination.pk)
    )
    call = nomination.call
    require(permissions.can_manage_call(actor, call), _("You may not manage this call."))
    if nomination.status != NominationStatus.ACCEPTED:
        raise Conflict(
            ScholarshipErrorCode.WRONG_STATE,
            _("Only an awarded nominee can complete (this one is %(status)s).")
            % {"status": nomination.get_status_display().lower()},
        )
    if not completed:
        if not reason.strip():
            raise _invalid("reason", _("Give the reason the course was not completed."))
        nomination.status = NominationStatus.NOT_COMPLETED
        nomination.decision_reason = reason.strip()[:2000]
        audit.save(nomination, actor=actor)
        return nomination
    if certificate is not None:
        extension, _type, content = _sniffed(certificate, _CERTIFICATE_TYPES, "certificate")
        nomination.certificate.save(
            f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False
        )
    elif issue_certificate:
        nomination.certificate.save(
            f"{uuid.uuid4().hex}.pdf", ContentFile(_certificate_pdf(nomination)), save=False
        )
        nomination.certificate_issued = True
    nomination.status = NominationStatus.COMPLETED
    nomination.completed_at = timezone.now()
    audit.save(nomination, actor=actor)
    event = _sync_event(actor=actor, call=call)
    nomination.participant = delivery.participant_add(
        actor=actor,
        event=event,
        name=nomination.name,
        sex=nomination.sex,
        member_state=nomination.member_state,
        email=nomination.email,
        institution=nomination.institution,
    )
    audit.save(nomination, actor=actor)
    _send_questionnaire(actor=actor, nomination=nomination, event=event)
    return nomination


def _send_questionnaire(*, actor: Actor, nomination: Nomination, event: Event) -> None:
    """The completed scholar gets the course's participant questionnaire — the evaluations'
    questionnaire of the call's event, opened at the first completion. A questionnaire staff
    have closed stays closed (nothing is sent)."""
    questionnaire = Questionnaire.objects.filter(event=event).first()
    if questionnaire is None:
        questionnaire = evaluations.questionnaire_open(actor=actor, event=event)
    if not questionnaire.is_open:
        return
    call = nomination.call
    body = _(
        "Dear %(name)s,\n\nThank you for completing %(course)s. Please tell us how useful it "
        "was; the questionnaire takes two minutes and is anonymous (it does not ask your "
        "name):\n\n%(url)s\n\nCICTE Secretariat"
    ) % {
        "name": nomination.name,
        "course": call.course,
        "url": _site_url(questionnaire.get_absolute_url()),
    }
    _mail(
        _("Your feedback on %(course)s") % {"course": call.course}, body, [nomination.email], actor
    )


# --- travel ---------------------------------------------------------------------------------

#: Nominees whose travel may be recorded: awarded (and those who then completed or not).
_TRAVELLERS = (
    NominationStatus.ACCEPTED,
    NominationStatus.COMPLETED,
    NominationStatus.NOT_COMPLETED,
)


@transaction.atomic
def travel_record(
    *,
    actor: Actor,
    nomination: Nomination,
    departure: dt.date,
    return_date: dt.date,
    itinerary: str,
    status: str = TravelStatus.BOOKED,
    cost: Any = None,
    currency: str = "USD",
) -> Travel:
    """Record or update an awardee's travel: itinerary and dates, booked / travelled /
    cancelled, cost. Staff of the call only; the return may not be before the departure."""
    nomination = Nomination.objects.select_related("call__target__project").get(pk=nomination.pk)
    require(permissions.can_manage_call(actor, nomination.call), _("You may not manage this call."))
    if nomination.status not in _TRAVELLERS:
        raise Conflict(
            ScholarshipErrorCode.WRONG_STATE,
            _("Travel is recorded for awardees only (this nominee is %(status)s).")
            % {"status": nomination.get_status_display().lower()},
        )
    if return_date < departure:
        raise _invalid("return_date", _("The return is before the departure."))
    itinerary = (itinerary or "").strip()
    if not itinerary:
        raise _invalid("itinerary", _("Give the itinerary (flights or route)."))
    if status not in TravelStatus.values:
        raise _invalid("status", _("Unknown travel status."))
    if status == TravelStatus.TRAVELLED and departure > timezone.localdate():
        raise _invalid("status", _("The departure is in the future: the travel is booked."))
    if cost is not None and cost < 0:
        raise _invalid("cost", _("The cost cannot be negative."))
    currency = (currency or "USD").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise _invalid("currency", _("Give the currency as a three-letter ISO 4217 code (USD)."))
    travel = Travel.objects.filter(nomination=nomination).first() or Travel(nomination=nomination)
    travel.departure = departure
    travel.return_date = return_date
    travel.itinerary = itinerary[:500]
    travel.status = status
    travel.cost = cost
    travel.currency = currency
    audit.save(travel, actor=actor)
    return travel


def _sync_event(*, actor: Actor, call: ScholarshipCall) -> Event:
    """The call's "scholarship award" event: held, counting toward the call's target one
    unit per completed awardee, with participants by sex and member state."""
    completed = list(
        Nomination.objects.filter(call=call, status=NominationStatus.COMPLETED).select_related(
            "member_state"
        )
    )
    women = sum(1 for n in completed if n.sex == Sex.FEMALE)
    men = sum(1 for n in completed if n.sex == Sex.MALE)
    rows: dict[str, delivery.CountryRow] = {}
    for n in completed:
        row = rows.setdefault(n.member_state.code, delivery.CountryRow(n.member_state.code))
        if n.sex == Sex.FEMALE:
            row.women += 1
        elif n.sex == Sex.MALE:
            row.men += 1
        else:
            row.not_stated += 1
    values: dict[str, Any] = {
        "kind": EventKind.SCHOLARSHIP,
        "title": (_("Scholarships: %(course)s") % {"course": call.course})[:300],
        "start_date": call.start_date,
        "end_date": call.end_date,
        "status": EventStatus.HELD,
        "city": call.city,
        "host_state": call.host_state,
        "beneficiaries": sorted(rows),
        "participants_total": len(completed),
        "participants_women": women,
        "participants_men": men,
        "country_participation": list(rows.values()),
        "funding_source": call.funding_source,
        "course": call.course,
        "provider": call.provider,
        "targets": [(call.target, len(completed))],
    }
    if call.event_id is None:
        event = delivery.event_record(actor=actor, plan=call.plan, **values)
        call.event = event
        audit.save(call, actor=actor)
        return event
    event = Event.objects.get(pk=call.event_id)
    return delivery.event_update(actor=actor, event=event, **values)
