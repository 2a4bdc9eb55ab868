"""The only writes of the roster. Each service checks its actor first, runs in one
transaction, writes through :mod:`cicte.core.audit` and refuses with an
:class:`ApplicationError` (nothing written)."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

import pycountry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.access import permissions as roles
from cicte.assistance import services as assistance
from cicte.assistance.models import AssistanceRequest, RequestStatus
from cicte.core import audit
from cicte.core.errors import ApplicationError, NotAllowed, require
from cicte.core.files import sniff_document
from cicte.core.types import Actor, actor_user
from cicte.delivery.models import EventKind, EventStatus
from cicte.delivery.services import events as delivery
from cicte.directory.models import MemberState, Organization
from cicte.ops.tasks import mail_enqueue
from cicte.plan.models import Target
from cicte.roster import permissions
from cicte.roster.availability import unavailability
from cicte.roster.models import (
    DEPLOYABLE,
    LANGUAGE_RANK,
    Absence,
    Alert,
    Answer,
    Assignment,
    AssignmentDocument,
    Certification,
    DocumentKind,
    Expert,
    ExpertLanguage,
    ExpertSkill,
    ExpertStatus,
    Mission,
    MissionKind,
    MissionReport,
    MissionStatus,
    Release,
    Response,
    RosterManager,
    SensitiveRead,
    Skill,
    SupportRequest,
    Training,
    Urgency,
    VettingCategory,
)
from cicte.roster.skills import SkillsFile
from cicte.sharing.markings import TLP, AudienceKind
from cicte.sharing.models import Community, CommunityKind, MembershipPolicy

INVITATION_DAYS = 14
DOCUMENT_TYPES = frozenset({"pdf", "docx"})
EVIDENCE_TYPES = frozenset({"pdf", "png", "jpg"})
MAX_UPLOAD = 10 * 1024 * 1024
REPORT_COMMUNITY = "roster-mission-reports"


class RosterErrorCode(enum.StrEnum):
    INVALID = "invalid"
    WRONG_STATE = "wrong_state"
    NOT_VETTED = "not_vetted"
    UNAVAILABLE = "unavailable"
    DEADLINE_PASSED = "deadline_passed"
    BAD_LINK = "bad_link"
    DATES = "dates"
    FILE_TYPE = "file_type"
    STEP = "step"
    CONSENT = "consent"


def _fail(code: str, message: str, field: str | None = None) -> ApplicationError:
    return ApplicationError(code, message, field=field)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _base_url() -> str:
    return str(getattr(settings, "CICTE_BASE_URL", "") or "").rstrip("/")


def retention_days() -> int:
    """Days between an expert's request to leave and the anonymisation of their data."""
    return int(getattr(settings, "CICTE_ROSTER_RETENTION_DAYS", 90))


# --- skills framework --------------------------------------------------------------------


@transaction.atomic
def skills_import(*, actor: Actor, parsed: SkillsFile) -> tuple[int, int]:
    """Create or update the framework's skills (matched on identifier). (created, updated)."""
    require(permissions.can_manage_roster(actor), _("Only the Secretariat imports skills."))
    existing = {s.identifier: s for s in Skill.objects.filter(framework=parsed.framework)}
    created = updated = 0
    for row in parsed.skills:
        skill = existing.get(row.identifier)
        values = {
            "version": parsed.version,
            "title": row.title,
            "description": row.description or (skill.description if skill else ""),
            "category": row.category or (skill.category if skill else ""),
        }
        if skill is None:
            audit.save(
                Skill(framework=parsed.framework, identifier=row.identifier, **values),
                actor=actor,
            )
            created += 1
        elif any(getattr(skill, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(skill, key, value)
            audit.save(skill, actor=actor)
            updated += 1
    return created, updated


# --- roster managers ---------------------------------------------------------------------


@transaction.atomic
def manager_grant(*, actor: Actor, user: Any) -> RosterManager:
    require(permissions.can_grant_managers(actor), _("Only administrators grant roster managers."))
    if not roles.is_secretariat(user):
        raise _fail(RosterErrorCode.INVALID, _("A roster manager must be Secretariat staff."))
    found = RosterManager.objects.filter(user=user).first()
    if found is None:
        by = actor_user(actor)
        found = RosterManager(user=user, granted_by=by.get_username() if by else "command line")
        audit.save(found, actor=actor)
    permissions.forget(user)
    return found


@transaction.atomic
def manager_revoke(*, actor: Actor, user: Any) -> None:
    require(permissions.can_grant_managers(actor), _("Only administrators revoke roster managers."))
    for found in RosterManager.objects.filter(user=user):
        audit.delete(found, actor=actor)
    permissions.forget(user)


# --- experts -----------------------------------------------------------------------------


def _nationality(code: str) -> str:
    code = (code or "").strip().upper()
    if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
        raise _fail(
            RosterErrorCode.INVALID,
            _("Give the nationality as an ISO 3166 alpha-3 code (JAM, BRA…)."),
            "nationality",
        )
    return code


def invitation_url(token: str) -> str:
    return f"{_base_url()}{reverse('roster:invitation', args=[token])}"


@transaction.atomic
def expert_nominate(
    *,
    actor: Actor,
    name: str,
    email: str,
    nationality: str,
    member_state: MemberState | None = None,
    organisation: Organization | None = None,
) -> tuple[Expert, str]:
    """A point of contact nominates for their own state; the Secretariat for any state or a
    partner organisation. The nominee gets an invitation link (returned, and e-mailed)."""
    if member_state is None and organisation is None:
        raise _fail(
            RosterErrorCode.INVALID, _("Say which state or organisation nominates."), "member_state"
        )
    if member_state is not None and not permissions.can_nominate(actor, member_state):
        raise NotAllowed(
            _("You may only nominate experts for your own member state."),
            code=RosterErrorCode.WRONG_STATE,
        )
    if organisation is not None and not permissions.can_manage_roster(actor):
        raise NotAllowed(_("Only the Secretariat records a partner organisation's nominees."))
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise _fail(RosterErrorCode.INVALID, _("Give the expert's name."), "name")
    try:
        validate_email(email)
    except ValidationError:
        raise _fail(RosterErrorCode.INVALID, _("Give a valid e-mail address."), "email") from None
    token = secrets.token_urlsafe(32)
    expert = Expert(
        name=name,
        email=email.strip(),
        nationality=_nationality(nationality),
        nominating_state=member_state,
        nominating_organisation=organisation,
        nominated_by=actor_user(actor),
        invitation_digest=_digest(token),
        invitation_expires=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit.save(expert, actor=actor)
    url = invitation_url(token)
    body = _(
        "You have been nominated to the CICTE roster of cybersecurity experts.\n\n"
        "To accept, read how your data is used and complete your profile, open:\n%(url)s\n\n"
        "The link expires in %(days)s days."
    ) % {"url": url, "days": INVITATION_DAYS}
    recipient = expert.email
    transaction.on_commit(
        lambda: mail_enqueue(
            subject=_("Invitation to the CICTE experts roster"), body=body, to=[recipient]
        )
    )
    return expert, token


def invitation_find(token: str) -> Expert | None:
    if not token or len(token) > 100:
        return None
    expert = Expert.objects.filter(
        invitation_digest=_digest(token), status=ExpertStatus.INVITED
    ).first()
    if expert is None or expert.invitation_expires is None:
        return None
    return expert if expert.invitation_expires > timezone.now() else None


@transaction.atomic
def invitation_accept(
    *,
    actor: Actor,
    token: str,
    consent: bool,
    username: str = "",
    password: str = "",
) -> Expert:
    """The nominee accepts: gives consent and links their account (the signed-in one, or a
    new one with ``username``/``password``)."""
    expert = invitation_find(token)
    if expert is None:
        raise _fail(RosterErrorCode.BAD_LINK, _("This invitation link is not valid or expired."))
    if not consent:
        raise _fail(
            RosterErrorCode.CONSENT,
            _("Consent to the processing of your data is needed to join the roster."),
            "consent",
        )
    user = actor_user(actor)
    if user is None:
        from django.contrib.auth.password_validation import validate_password

        username = (username or "").strip()
        if not username:
            raise _fail(RosterErrorCode.INVALID, _("Choose a user name."), "username")
        model = get_user_model()
        if model.objects.filter(username__iexact=username).exists():
            raise _fail(RosterErrorCode.INVALID, _("That username is taken."), "username")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise _fail(RosterErrorCode.INVALID, " ".join(exc.messages), "password") from None
        user = model(username=username, email=expert.email, first_name=expert.name[:150])
        user.set_password(password)
        audit.save(user, actor=actor)
    if Expert.objects.filter(user=user).exclude(pk=expert.pk).exists():
        raise _fail(RosterErrorCode.INVALID, _("This account is already on the roster."))
    expert.user = user
    expert.status = ExpertStatus.ACTIVE
    expert.consent_at = timezone.now()
    expert.invitation_digest = ""
    audit.save(expert, actor=actor)
    return expert


PROFILE_FIELDS = frozenset(
    {
        "phone",
        "passport_number",
        "passport_expiry",
        "emergency_contact",
        "insurance",
        "medical_notes",
        "notice_hours",
        "employer",
    }
)


@transaction.atomic
def profile_update(*, actor: Actor, expert: Expert, **values: Any) -> Expert:
    """The expert completes their own profile (contact, passport, emergency contact…)."""
    require(permissions.can_edit_profile(actor, expert), _("Only the expert edits a profile."))
    unknown = set(values) - PROFILE_FIELDS
    if unknown:
        raise _fail(RosterErrorCode.INVALID, _("Unknown fields: %s") % ", ".join(sorted(unknown)))
    for key, value in values.items():
        setattr(expert, key, value.strip() if isinstance(value, str) else value)
    try:
        expert.full_clean(exclude=["user", "nominated_by", "vetted_by"])
    except ValidationError as exc:
        field = next(iter(exc.message_dict), None)
        raise _fail(RosterErrorCode.INVALID, " ".join(exc.messages), field) from None
    audit.save(expert, actor=actor)
    return expert


@transaction.atomic
def skill_set(*, actor: Actor, expert: Expert, skill: Skill, level: int) -> ExpertSkill | None:
    """Rate oneself on a skill (1–5); 0 removes the skill."""
    require(permissions.can_edit_profile(actor, expert), _("Only the expert rates their skills."))
    found = ExpertSkill.objects.filter(expert=expert, skill=skill).first()
    if level == 0:
        if found:
            audit.delete(found, actor=actor)
        return None
    if level not in range(1, 6):
        raise _fail(RosterErrorCode.INVALID, _("A self-rating is from 1 to 5."), "level")
    found = found or ExpertSkill(expert=expert, skill=skill)
    found.level = level
    audit.save(found, actor=actor)
    return found


@transaction.atomic
def language_set(*, actor: Actor, expert: Expert, language: str, level: str) -> ExpertLanguage:
    require(permissions.can_edit_profile(actor, expert), _("Only the expert edits languages."))
    code = (language or "").strip().lower()
    if not code or len(code) > 12 or pycountry.languages.get(alpha_2=code.split("-")[0]) is None:
        raise _fail(
            RosterErrorCode.INVALID,
            _("Give a language code (BCP 47: en, es, fr, pt…)."),
            "language",
        )
    if level not in LANGUAGE_RANK:
        raise _fail(RosterErrorCode.INVALID, _("Choose a level."), "level")
    found = ExpertLanguage.objects.filter(expert=expert, language=code).first() or ExpertLanguage(
        expert=expert, language=code
    )
    found.level = level
    audit.save(found, actor=actor)
    return found


@transaction.atomic
def absence_add(
    *, actor: Actor, expert: Expert, start: dt.date, end: dt.date, note: str = ""
) -> Absence:
    require(permissions.can_edit_profile(actor, expert), _("Only the expert records absences."))
    if end < start:
        raise _fail(RosterErrorCode.DATES, _("The absence ends before it starts."), "end")
    absence = Absence(expert=expert, start=start, end=end, note=note.strip()[:200])
    audit.save(absence, actor=actor)
    return absence


def _sniffed(upload: Any, allowed: frozenset[str], field: str) -> tuple[str, str]:
    size = getattr(upload, "size", 0) or 0
    if size > MAX_UPLOAD:
        raise _fail(RosterErrorCode.FILE_TYPE, _("The file is larger than 10 MB."), field)
    upload.seek(0)
    head = upload.read(16)
    found = sniff_document(head, upload)
    upload.seek(0)
    if found is None or found[0] not in allowed:
        raise _fail(
            RosterErrorCode.FILE_TYPE,
            _("This kind of file is not accepted here (accepted: %(types)s).")
            % {"types": ", ".join(sorted(t.upper() for t in allowed))},
            field,
        )
    return found


@transaction.atomic
def certification_add(
    *,
    actor: Actor,
    expert: Expert,
    name: str,
    issuer: str = "",
    expires_on: dt.date | None = None,
    evidence: Any = None,
) -> Certification:
    require(permissions.can_edit_profile(actor, expert), _("Only the expert adds certifications."))
    if not (name or "").strip():
        raise _fail(RosterErrorCode.INVALID, _("Name the certification."), "name")
    item = Certification(
        expert=expert, name=name.strip()[:200], issuer=issuer.strip()[:200], expires_on=expires_on
    )
    if evidence is not None:
        ext, content_type = _sniffed(evidence, EVIDENCE_TYPES, "evidence")
        item.evidence_name = (getattr(evidence, "name", "") or f"evidence.{ext}")[-255:]
        item.evidence_type = content_type
        item.evidence.save(f"{secrets.token_hex(8)}.{ext}", evidence, save=False)
    audit.save(item, actor=actor)
    return item


@transaction.atomic
def expert_vet(*, actor: Actor, expert: Expert, category: str) -> Expert:
    require(permissions.can_manage_roster(actor), _("Only the Secretariat vets experts."))
    if category not in VettingCategory.values:
        raise _fail(RosterErrorCode.INVALID, _("Choose a vetting category."), "category")
    if expert.status != ExpertStatus.ACTIVE:
        raise _fail(
            RosterErrorCode.STEP, _("Only an expert who accepted the invitation can be vetted.")
        )
    expert.vetting_category = category
    expert.vetted_on = timezone.localdate()
    expert.vetted_by = actor_user(actor)
    audit.save(expert, actor=actor)
    return expert


@transaction.atomic
def training_record(
    *,
    actor: Actor,
    expert: Expert,
    title: str,
    completed_on: dt.date,
    refresher_due: dt.date | None = None,
) -> Training:
    require(permissions.can_manage_roster(actor), _("Only the Secretariat records training."))
    if not (title or "").strip():
        raise _fail(RosterErrorCode.INVALID, _("Name the training."), "title")
    if refresher_due is not None and refresher_due < completed_on:
        raise _fail(
            RosterErrorCode.DATES, _("The refresher is due before the training."), "refresher_due"
        )
    item = Training(
        expert=expert,
        title=title.strip()[:200],
        completed_on=completed_on,
        refresher_due=refresher_due,
        recorded_by=actor_user(actor),
    )
    audit.save(item, actor=actor)
    return item


@transaction.atomic
def leave_request(*, actor: Actor, expert: Expert) -> Expert:
    """The expert asks to leave: off the roster now, data anonymised after the retention
    period by ``cicte roster-anonymise`` (daily)."""
    require(
        permissions.is_own(actor, expert) or permissions.is_roster_manager(actor),
        _("Only the expert (or a roster manager on their behalf) asks to leave."),
    )
    if expert.status in {ExpertStatus.LEFT, ExpertStatus.ANONYMISED}:
        return expert
    expert.status = ExpertStatus.LEFT
    expert.leave_requested_at = timezone.now()
    audit.save(expert, actor=actor)
    return expert


def anonymise_due(
    *, actor: Actor, now: dt.datetime | None = None, dry_run: bool = False
) -> list[int]:
    """Anonymise every expert who asked to leave more than the retention period ago: personal
    and sensitive fields blanked, profile rows and files deleted, appraisals erased, and the
    history rows of those records purged. Returns the ids (each in its own transaction)."""
    require(permissions.can_manage_roster(actor), _("Only the Secretariat anonymises."))
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    due = list(
        Expert.objects.filter(status=ExpertStatus.LEFT, leave_requested_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    if dry_run:
        return due
    for pk in due:
        _anonymise(pk, now)
    return due


@transaction.atomic
def _anonymise(pk: int, now: dt.datetime) -> None:
    expert = Expert.objects.select_for_update().get(pk=pk)
    for cert in expert.certifications.all():
        if cert.evidence:
            cert.evidence.delete(save=False)
    for related in (expert.certifications, expert.trainings, expert.absences, expert.languages):
        related.all().delete()
    expert.skills.all().delete()
    for doc in AssignmentDocument.objects.filter(assignment__expert=expert):
        doc.file.delete(save=False)
        doc.delete()
    Assignment.objects.filter(expert=expert).update(appraisal="", appraisal_rating=None)
    SensitiveRead.objects.filter(expert=expert).delete()
    expert.name = _("Former expert %(n)s") % {"n": pk}
    expert.email = f"former-expert-{pk}@invalid"
    for name in ("phone", "passport_number", "emergency_contact", "insurance", "medical_notes"):
        setattr(expert, name, "")
    expert.passport_expiry = None
    expert.employer = ""
    expert.user = None
    expert.status = ExpertStatus.ANONYMISED
    expert.anonymised_at = now
    expert.save()
    # The audit trail must not keep what was erased.
    for model in (
        Expert,
        Certification,
        Training,
        Absence,
        ExpertLanguage,
        ExpertSkill,
        Assignment,
    ):
        history = model.history.model
        key = "id" if model is Expert else "expert_id"
        rows = history.objects.filter(**{key: pk})
        if model is Assignment:
            rows.update(appraisal="", appraisal_rating=None)
        else:
            rows.delete()


# --- requests and missions ---------------------------------------------------------------


@transaction.atomic
def support_request(
    *,
    actor: Actor,
    member_state: MemberState,
    title: str,
    needs: str,
    contact_name: str,
    contact_email: str,
    urgency: str,
    after_incident: bool = False,
    preferred_start: dt.date | None = None,
    preferred_end: dt.date | None = None,
) -> AssistanceRequest:
    """A state asks for expert support: a request for assistance (its workflow, its
    visibility: other states never learn of it) marked as expert support."""
    if urgency not in Urgency.values:
        raise _fail(RosterErrorCode.INVALID, _("Choose the urgency."), "urgency")
    request = assistance.request_submit(
        actor=actor,
        member_state=member_state,
        title=title,
        needs=needs,
        contact_name=contact_name,
        contact_email=contact_email,
        preferred_start=preferred_start,
        preferred_end=preferred_end,
    )
    audit.save(
        SupportRequest(request=request, urgency=urgency, after_incident=after_incident),
        actor=actor,
    )
    return request


def _languages(codes: Iterable[str]) -> str:
    clean = []
    for code in codes:
        code = code.strip().lower()
        if not code:
            continue
        if pycountry.languages.get(alpha_2=code.split("-")[0]) is None:
            raise _fail(
                RosterErrorCode.INVALID, _("Unknown language code: %s") % code[:12], "languages"
            )
        clean.append(code)
    return ",".join(dict.fromkeys(clean))


@transaction.atomic
def mission_open(
    *,
    actor: Actor,
    request: AssistanceRequest,
    title: str,
    kind: str,
    start: dt.date,
    end: dt.date,
    target: Target,
    skills: Sequence[Skill] = (),
    languages: Sequence[str] = (),
    remote: bool = False,
    place: str = "",
    exclude_same_nationality: bool = True,
) -> Mission:
    """The Secretariat opens a mission on a state's request; the request moves to accepted
    (linked to the target the mission counts toward)."""
    require(permissions.can_manage_roster(actor), _("Only the Secretariat opens missions."))
    if kind not in MissionKind.values:
        raise _fail(RosterErrorCode.INVALID, _("Choose the type of mission."), "kind")
    if not (title or "").strip():
        raise _fail(RosterErrorCode.INVALID, _("Give the mission a title."), "title")
    if end < start:
        raise _fail(RosterErrorCode.DATES, _("The mission ends before it starts."), "end")
    if request.status in {RequestStatus.DECLINED, RequestStatus.CLOSED, RequestStatus.DELIVERED}:
        raise _fail(RosterErrorCode.STEP, _("This request is no longer open."), "request")
    mission = Mission(
        request=request,
        title=title.strip()[:200],
        kind=kind,
        start=start,
        end=end,
        remote=remote,
        place=place.strip()[:200],
        required_languages=_languages(languages),
        exclude_same_nationality=exclude_same_nationality,
        target=target,
        opened_by=actor_user(actor),
    )
    audit.save(mission, actor=actor)
    if skills:
        audit.set_related(mission, "required_skills", list(skills), actor=actor)
    if request.status == RequestStatus.SUBMITTED:
        request = assistance.request_transition(
            actor=actor, request=request, to_status=RequestStatus.UNDER_REVIEW
        )
    if request.status == RequestStatus.UNDER_REVIEW:
        assistance.request_transition(
            actor=actor,
            request=request,
            to_status=RequestStatus.ACCEPTED,
            target=target,
            note=_("Expert mission opened: %s") % mission.title,
        )
    return mission


def answer_url(token: str, answer: str) -> str:
    return f"{_base_url()}{reverse('roster:answer', args=[token, answer])}"


def alert_summary(mission: Mission) -> str:
    """What an alerted expert learns before selection: no state, no place, no names."""
    skills = ", ".join(s.identifier for s in mission.required_skills.all()) or "—"
    return _(
        "Type: %(kind)s\nDates: %(start)s to %(end)s (%(mode)s)\nSkills: %(skills)s\n"
        "Languages: %(languages)s\nThe requesting state and the place are shared after "
        "selection and the non-disclosure agreement."
    ) % {
        "kind": mission.get_kind_display(),
        "start": mission.start.isoformat(),
        "end": mission.end.isoformat(),
        "mode": _("remote") if mission.remote else _("on site"),
        "skills": skills,
        "languages": mission.required_languages or "—",
    }


@transaction.atomic
def alert_send(
    *,
    actor: Actor,
    mission: Mission,
    experts: Sequence[Expert],
    deadline: dt.datetime,
    message: str = "",
    now: dt.datetime | None = None,
) -> tuple[Alert, dict[int, str]]:
    """Alert experts with a deadline: each gets an e-mail with two one-click answer links
    (unguessable, expiring at the deadline). Refused whole if any expert is not vetted or
    is unavailable. Returns the alert and each expert's token (for the e-mail and tests)."""
    require(permissions.can_manage_roster(actor), _("Only the Secretariat sends alerts."))
    now = now or timezone.now()
    if mission.status in {MissionStatus.DEPLOYED, MissionStatus.CLOSED}:
        raise _fail(RosterErrorCode.STEP, _("This mission no longer needs experts."))
    if not experts:
        raise _fail(RosterErrorCode.INVALID, _("Choose at least one expert."), "experts")
    if deadline <= now:
        raise _fail(RosterErrorCode.DATES, _("The deadline must be in the future."), "deadline")
    already = set(mission.responses.values_list("expert_id", flat=True))
    for expert in experts:
        if not expert.is_vetted or expert.vetting_category not in DEPLOYABLE:
            raise _fail(
                RosterErrorCode.NOT_VETTED,
                _("%(name)s is not vetted for deployment.") % {"name": expert.name},
                "experts",
            )
        reason = unavailability(expert, mission, now=now)
        if reason:
            raise _fail(
                RosterErrorCode.UNAVAILABLE,
                _("%(name)s is not available: %(reason)s")
                % {"name": expert.name, "reason": reason},
                "experts",
            )
        if expert.pk in already:
            raise _fail(
                RosterErrorCode.INVALID,
                _("%(name)s was already alerted for this mission.") % {"name": expert.name},
                "experts",
            )
    from cicte.roster.ranking import score_of

    alert = Alert(
        mission=mission, message=message.strip(), deadline=deadline, sent_by=actor_user(actor)
    )
    audit.save(alert, actor=actor)
    tokens: dict[int, str] = {}
    mails = []
    summary = alert_summary(mission)
    for expert in experts:
        token = secrets.token_urlsafe(32)
        tokens[expert.pk] = token
        audit.save(
            Response(
                alert=alert,
                mission=mission,
                expert=expert,
                token_digest=_digest(token),
                score=score_of(expert, mission, now=now),
            ),
            actor=actor,
        )
        body = _(
            "Dear %(name)s,\n\nThe CICTE Secretariat asks whether you are available for a "
            "mission.\n\n%(summary)s\n\n%(message)s\n\nAnswer by %(deadline)s (UTC):\n"
            "I am available: %(yes)s\nI am not available: %(no)s\n"
        ) % {
            "name": expert.name,
            "summary": summary,
            "message": alert.message,
            "deadline": deadline.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
            "yes": answer_url(token, Answer.AVAILABLE),
            "no": answer_url(token, Answer.UNAVAILABLE),
        }
        mails.append((expert.email, body))
    if mission.status == MissionStatus.OPEN:
        mission.status = MissionStatus.ALERTING
        audit.save(mission, actor=actor)
    subject = _("CICTE expert roster: are you available?")

    def send() -> None:
        for email, body in mails:
            mail_enqueue(subject=subject, body=body, to=[email])

    transaction.on_commit(send)
    return alert, tokens


def response_for_token(token: str) -> Response | None:
    if not token or len(token) > 100:
        return None
    return (
        Response.objects.select_related("alert", "mission", "expert")
        .filter(token_digest=_digest(token))
        .first()
    )


@transaction.atomic
def answer_alert(*, token: str, answer: str, now: dt.datetime | None = None) -> Response:
    """The expert's one-click answer (the token is the credential; it expires at the
    deadline). The answer may be changed until the deadline."""
    now = now or timezone.now()
    response = response_for_token(token)
    if response is None:
        raise _fail(RosterErrorCode.BAD_LINK, _("This answer link is not valid."))
    if answer not in {Answer.AVAILABLE, Answer.UNAVAILABLE}:
        raise _fail(RosterErrorCode.INVALID, _("Answer available or not available."), "answer")
    if now > response.alert.deadline:
        raise _fail(
            RosterErrorCode.DEADLINE_PASSED,
            _("The deadline to answer this alert has passed; the Secretariat has been told."),
        )
    if response.selected_at is not None:
        raise _fail(RosterErrorCode.STEP, _("You were already selected; contact the Secretariat."))
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.answer = answer
    response.answered_at = now
    audit.save(response, actor=response.expert.user)
    expert = response.expert
    if answer == Answer.AVAILABLE and expert.nominating_state_id is not None:
        from cicte.access.models import Membership, Role

        emails = list(
            Membership.objects.filter(
                role=Role.POINT_OF_CONTACT, member_state_id=expert.nominating_state_id
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if emails:
            body = _(
                "An expert your state nominated, %(name)s, is available for a CICTE mission "
                "(%(start)s to %(end)s). Please decide on their release:\n%(url)s\n"
            ) % {
                "name": expert.name,
                "start": response.mission.start.isoformat(),
                "end": response.mission.end.isoformat(),
                "url": f"{_base_url()}{reverse('roster:poc')}",
            }
            transaction.on_commit(
                lambda: mail_enqueue(
                    subject=_("CICTE expert roster: a release decision"), body=body, to=emails
                )
            )
    return response


@transaction.atomic
def release_decide(*, actor: Actor, response: Response, approve: bool) -> Response:
    """The nominating state's point of contact (or, for a partner organisation's expert,
    the Secretariat on the employer's word) approves or refuses the release."""
    require(
        permissions.can_decide_release(actor, response.expert),
        _("Only the nominating state's point of contact decides this release."),
    )
    if response.answer != Answer.AVAILABLE:
        raise _fail(RosterErrorCode.STEP, _("The expert has not said they are available."))
    response.release = Release.APPROVED if approve else Release.REFUSED
    response.release_by = actor_user(actor)
    response.release_at = timezone.now()
    audit.save(response, actor=actor)
    return response


@transaction.atomic
def select(*, actor: Actor, response: Response, role: str) -> Response:
    require(permissions.can_manage_roster(actor), _("Only the Secretariat selects experts."))
    if response.answer != Answer.AVAILABLE or response.release != Release.APPROVED:
        raise _fail(
            RosterErrorCode.STEP,
            _("Select an expert who is available and whose release is approved."),
        )
    if response.mission.status not in {MissionStatus.ALERTING, MissionStatus.OPEN}:
        raise _fail(RosterErrorCode.STEP, _("The team of this mission is already proposed."))
    if not (role or "").strip():
        raise _fail(RosterErrorCode.INVALID, _("Give the expert's role in the team."), "role")
    response.role = role.strip()[:120]
    response.selected_at = timezone.now()
    audit.save(response, actor=actor)
    return response


@transaction.atomic
def team_propose(*, actor: Actor, mission: Mission) -> Mission:
    require(permissions.can_manage_roster(actor), _("Only the Secretariat proposes a team."))
    if mission.status not in {MissionStatus.ALERTING, MissionStatus.OPEN}:
        raise _fail(RosterErrorCode.STEP, _("The team of this mission is already proposed."))
    if not mission.responses.filter(selected_at__isnull=False).exists():
        raise _fail(RosterErrorCode.STEP, _("Select at least one expert first."))
    mission.status = MissionStatus.PROPOSED
    audit.save(mission, actor=actor)
    return mission


@transaction.atomic
def team_accept(*, actor: Actor, mission: Mission) -> list[Assignment]:
    """The requesting state accepts the proposed team; each member gets an assignment."""
    require(
        permissions.can_accept_team(actor, mission),
        _("Only the requesting state's point of contact accepts the team."),
    )
    if mission.status != MissionStatus.PROPOSED:
        raise _fail(RosterErrorCode.STEP, _("There is no proposed team to accept."))
    mission.status = MissionStatus.ACCEPTED
    mission.team_accepted_at = timezone.now()
    audit.save(mission, actor=actor)
    assignments = []
    for response in mission.responses.filter(selected_at__isnull=False).select_related("expert"):
        item = Assignment(
            mission=mission,
            expert=response.expert,
            role=response.role,
            start=mission.start,
            end=mission.end,
        )
        audit.save(item, actor=actor)
        assignments.append(item)
    return assignments


@transaction.atomic
def assignment_document_add(
    *, actor: Actor, assignment: Assignment, kind: str, upload: Any
) -> AssignmentDocument:
    require(permissions.can_manage_roster(actor), _("Only the Secretariat adds ToR and NDA."))
    if kind not in DocumentKind.values:
        raise _fail(RosterErrorCode.INVALID, _("Choose the kind of document."), "kind")
    ext, content_type = _sniffed(upload, DOCUMENT_TYPES, "file")
    doc = AssignmentDocument(
        assignment=assignment,
        kind=kind,
        original_name=(getattr(upload, "name", "") or f"{kind}.{ext}")[-255:],
        content_type=content_type,
    )
    doc.file.save(f"{secrets.token_hex(8)}.{ext}", upload, save=False)
    audit.save(doc, actor=actor)
    return doc


@transaction.atomic
def mission_deploy(*, actor: Actor, mission: Mission) -> Mission:
    """The team deploys: every assignment needs its terms of reference and NDA."""
    require(permissions.can_manage_roster(actor), _("Only the Secretariat deploys a team."))
    if mission.status != MissionStatus.ACCEPTED:
        raise _fail(RosterErrorCode.STEP, _("The requesting state has not accepted the team."))
    for item in mission.assignments.all():
        kinds = set(item.documents.values_list("kind", flat=True))
        if not {DocumentKind.TOR, DocumentKind.NDA} <= kinds:
            raise _fail(
                RosterErrorCode.STEP,
                _("%(name)s has no signed terms of reference and NDA yet.")
                % {"name": item.expert.name},
            )
    mission.status = MissionStatus.DEPLOYED
    mission.deployed_at = timezone.now()
    audit.save(mission, actor=actor)
    return mission


def report_community() -> Community:
    """The roster's own community: it has no members; reports reach named people only."""
    found = Community.objects.filter(slug=REPORT_COMMUNITY).first()
    if found is None:
        found = Community(
            slug=REPORT_COMMUNITY,
            name="Roster mission reports",
            kind=CommunityKind.STAKEHOLDER,
            policy=MembershipPolicy.APPROVAL,
            hidden_membership=True,
            default_tlp=TLP.RED,
            description="Deliverable reports of expert missions (3.A.9), to named officials.",
        )
        audit.save(found, actor=None)
    return found


def report_readers(mission: Mission) -> Any:
    """Who may be named: the requesting state's points of contact and Secretariat staff."""
    from django.db.models import Q

    from cicte.access.models import STAFF_ROLES, Membership, Role

    contacts = Membership.objects.filter(
        role=Role.POINT_OF_CONTACT, member_state_id=mission.request.member_state_id
    ).values("user_id")
    staff = Membership.objects.filter(role__in=list(STAFF_ROLES)).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=contacts) | Q(pk__in=staff) | Q(is_staff=True) | Q(is_superuser=True))
        .order_by("username")
    )


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    mission: Mission,
    title: str,
    body: str,
    people: Sequence[Any],
) -> MissionReport:
    """The deliverable report, TLP:RED to named officials (the requesting state's points of
    contact, Secretariat staff). Written by the Secretariat or an assigned expert."""
    user = actor_user(actor)
    assigned = user is not None and mission.assignments.filter(expert__user=user).exists()
    require(
        permissions.can_manage_roster(actor) or assigned,
        _("Only the Secretariat or the mission's experts submit its report."),
    )
    if user is None:
        raise _fail(RosterErrorCode.INVALID, _("A report needs a signed-in author."))
    if mission.status not in {MissionStatus.DEPLOYED}:
        raise _fail(RosterErrorCode.STEP, _("A report is submitted once the team is deployed."))
    if not (title or "").strip() or not (body or "").strip():
        raise _fail(RosterErrorCode.INVALID, _("Give the report a title and a text."), "body")
    people = list(people)
    if not people:
        raise _fail(
            RosterErrorCode.INVALID, _("Name at least one official who receives it."), "people"
        )
    allowed = set(report_readers(mission).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in people):
        raise _fail(
            RosterErrorCode.INVALID,
            _("Name only the requesting state's points of contact or Secretariat staff."),
            "people",
        )
    report = MissionReport(
        mission=mission,
        title=title.strip()[:200],
        body=body.strip(),
        tlp=TLP.RED,
        audience_kind=AudienceKind.PEOPLE,
        community=report_community(),
        originator=user,
    )
    audit.save(report, actor=actor)
    audit.set_related(report, "audience_people", people, actor=actor)
    return report


@transaction.atomic
def assignment_close(
    *,
    actor: Actor,
    assignment: Assignment,
    rating: int,
    appraisal: str = "",
    experience: str = "",
) -> Assignment:
    """Close an assignment with its appraisal (1–5) and the experience recorded."""
    require(permissions.is_roster_manager(actor), _("Only a roster manager writes appraisals."))
    if assignment.mission.status != MissionStatus.DEPLOYED:
        raise _fail(RosterErrorCode.STEP, _("The team has not deployed."))
    if rating not in range(1, 6):
        raise _fail(RosterErrorCode.INVALID, _("An appraisal rating is from 1 to 5."), "rating")
    assignment.appraisal_rating = rating
    assignment.appraisal = appraisal.strip()
    assignment.experience = experience.strip()
    assignment.closed_at = timezone.now()
    audit.save(assignment, actor=actor)
    return assignment


@transaction.atomic
def mission_close(*, actor: Actor, mission: Mission) -> Mission:
    """Close a deployed mission: its report submitted and every assignment appraised. The
    mission is recorded as a held technical-assistance mission (a delivery event counting
    toward its target, for the requesting state) and the request is delivered."""
    require(permissions.can_manage_roster(actor), _("Only the Secretariat closes missions."))
    if mission.status != MissionStatus.DEPLOYED:
        raise _fail(RosterErrorCode.STEP, _("Only a deployed mission can be closed."))
    if not mission.reports.exists():
        raise _fail(RosterErrorCode.STEP, _("Submit the mission's report first."))
    if mission.assignments.filter(closed_at__isnull=True).exists():
        raise _fail(RosterErrorCode.STEP, _("Close every assignment with its appraisal first."))
    state = mission.request.member_state
    event = delivery.event_record(
        actor=actor,
        plan=mission.target.plan,
        kind=EventKind.MISSION,
        title=_("Expert mission: %s") % mission.title,
        start_date=mission.start,
        end_date=mission.end,
        targets=[(mission.target, 1)],
        status=EventStatus.HELD,
        modality="virtual" if mission.remote else "national",
        city="" if mission.remote else mission.place,
        host_state=None if mission.remote else state,
        beneficiaries=[state],
        notes=_("Technical assistance mission of the experts roster (3.A.9)."),
    )
    mission.event = event
    mission.status = MissionStatus.CLOSED
    mission.closed_at = timezone.now()
    audit.save(mission, actor=actor)
    request = mission.request
    if request.status == RequestStatus.ACCEPTED:
        request = assistance.request_transition(
            actor=actor, request=request, to_status=RequestStatus.SCHEDULED, events=[event]
        )
    if request.status == RequestStatus.SCHEDULED:
        if not request.events.filter(pk=event.pk).exists():
            audit.set_related(request, "events", [*request.events.all(), event], actor=actor)
        # Other linked events not held yet: the request stays scheduled.
        with contextlib.suppress(ApplicationError):
            assistance.request_transition(
                actor=actor, request=request, to_status=RequestStatus.DELIVERED
            )
    return mission
