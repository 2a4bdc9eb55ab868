"""Writes of the exercises app. Each service checks the actor first
(:mod:`cicte.exercises.permissions`), runs in one transaction, writes through
:mod:`cicte.core.audit` and refuses with an :class:`ApplicationError` (nothing written)."""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import ApplicationError, Conflict, NotAllowed, NotFound
from cicte.core.files import sniff_document
from cicte.core.types import SYSTEM, Actor, actor_user
from cicte.delivery.models import Event, EventKind, EventStatus
from cicte.delivery.services.events import event_record, event_set_status
from cicte.evaluations.models import Evaluation, EvaluationKind, Recommendation
from cicte.exercises import permissions
from cicte.exercises.models import (
    RATING_SEVERITY,
    AfterActionReport,
    Capability,
    CapabilityElement,
    CapabilityRating,
    Comcheck,
    CriticalTask,
    Exercise,
    ExerciseMail,
    ExerciseStatus,
    ExerciseType,
    ExternalParticipant,
    HotWashNote,
    Inject,
    InjectAttachment,
    InjectMethod,
    InjectStatus,
    Membership,
    MselUpload,
    Objective,
    Observation,
    PlayerResponse,
    Rating,
    ReportStatus,
    ScenarioModule,
    Session,
    SessionKind,
    Team,
    hash_token,
)
from cicte.exercises.parsing import msel as msel_parser
from cicte.exercises.permissions import ExerciseRole, ExternalActor
from cicte.plan.models import Target


class ExerciseErrorCode(enum.StrEnum):
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    NOT_READY = "not_ready"
    WRONG_STATE = "wrong_state"
    OUTSIDE_PARTICIPANTS = "outside_participants"
    LINK_EXPIRED = "link_expired"
    BAD_RATING = "bad_rating"
    SHEET = "sheet"
    MAPPING = "mapping"
    FILE_TYPE = "file_type"
    FILE_TOO_LARGE = "file_too_large"


class LinkGone(ApplicationError):
    status = 410
    default_code = ExerciseErrorCode.LINK_EXPIRED


def _invalid(message: str, *, field: str | None = None, details: Sequence[Any] = ()) -> None:
    raise ApplicationError(ExerciseErrorCode.INVALID, message, field=field, details=details)


def _fail(code: str, message: str, *, field: str | None = None) -> ApplicationError:
    return ApplicationError(code, message, field=field)


def _deny(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message, code=ExerciseErrorCode.FORBIDDEN)


def _user(actor: Actor) -> Any:
    return actor_user(actor)


def _locked(exercise: Exercise) -> Exercise:
    return Exercise.objects.select_for_update().get(pk=exercise.pk)


# --- design --------------------------------------------------------------------------------


@transaction.atomic
def exercise_create(
    *,
    actor: Actor,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    type: str = ExerciseType.TABLETOP,
    event: Event | None = None,
    target: Target | None = None,
    scope: str = "",
    scenario: str = "",
    threat: str = "",
    sponsor: str = "",
    mission_areas: str = "",
    point_of_contact: str = "",
) -> Exercise:
    """A new exercise linked to ``event`` (kind exercise), or to a new planned event that
    counts toward ``target``. The creator becomes its director."""
    title = title.strip()
    if not title:
        _invalid(_("Give the exercise a title."), field="title")
    if type not in ExerciseType.values:
        _invalid(_("Unknown type of exercise."), field="type")
    if ends_at <= starts_at:
        _invalid(_("The exercise must end after it starts."), field="ends_at")
    if event is None:
        if target is None:
            _invalid(
                _("Link the exercise to an exercise event, or choose the target it counts toward."),
                field="event",
            )
        assert target is not None
        event = event_record(
            actor=actor,
            plan=target.project.plan,
            kind=EventKind.EXERCISE,
            title=title,
            start_date=timezone.localtime(starts_at).date(),
            end_date=timezone.localtime(ends_at).date(),
            targets=[(target, 1)],
        )
    else:
        if event.kind != EventKind.EXERCISE:
            _invalid(_("The delivery event must be of kind exercise."), field="event")
        if Exercise.objects.filter(event=event).exists():
            _invalid(_("This event already has an exercise."), field="event")
    _deny(permissions.can_create_exercise(actor, event), _("You may not plan this exercise."))
    exercise = Exercise(
        event=event,
        title=title,
        type=type,
        scope=scope.strip(),
        scenario=scenario.strip(),
        threat=threat.strip(),
        sponsor=sponsor.strip(),
        mission_areas=mission_areas.strip(),
        point_of_contact=point_of_contact.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=_user(actor),
    )
    audit.save(exercise, actor=actor)
    if _user(actor) is not None:
        audit.save(
            Membership(exercise=exercise, user=_user(actor), role=ExerciseRole.DIRECTOR),
            actor=actor,
        )
    audit.save(
        Session(
            exercise=exercise,
            kind=SessionKind.EXERCISE,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
        ),
        actor=actor,
    )
    return exercise


@transaction.atomic
def team_add(*, actor: Actor, exercise: Exercise, name: str, organization: str = "") -> Team:
    _deny(permissions.can_manage_roles(actor, exercise), _("You may not change the teams."))
    name = name.strip()
    if not name:
        _invalid(_("Name the team."), field="name")
    if exercise.teams.filter(name__iexact=name).exists():
        _invalid(_("There is already a team of that name."), field="name")
    team = Team(exercise=exercise, name=name[:200], organization=organization.strip()[:300])
    audit.save(team, actor=actor)
    return team


@transaction.atomic
def role_add(
    *, actor: Actor, exercise: Exercise, user: Any, role: str, team: Team | None = None
) -> Membership:
    """Give ``user`` a role. A player belongs to one team and holds no staff role in the same
    exercise (someone who has seen the MSEL cannot play)."""
    _deny(permissions.can_manage_roles(actor, exercise), _("You may not assign roles."))
    if role not in ExerciseRole.values:
        _invalid(_("Unknown exercise role."), field="role")
    if user is None or not user.is_active:
        _invalid(_("Choose an active user."), field="user")
    held = set(exercise.memberships.filter(user=user).values_list("role", flat=True))
    if role == ExerciseRole.PLAYER:
        if team is None or team.exercise_id != exercise.pk:
            _invalid(_("A player belongs to one of the exercise's teams."), field="team")
        if held:
            _invalid(
                _("This person already holds a role in the exercise and cannot also play."),
                field="role",
            )
    else:
        team = None
        if ExerciseRole.PLAYER in held:
            _invalid(_("This person is a player and cannot hold another role."), field="role")
        if role in held:
            _invalid(_("This person already holds that role."), field="role")
    membership = Membership(exercise=exercise, user=user, role=role, team=team)
    audit.save(membership, actor=actor)
    return membership


@transaction.atomic
def role_remove(*, actor: Actor, membership: Membership) -> None:
    _deny(permissions.can_manage_roles(actor, membership.exercise), _("You may not remove roles."))
    if (
        membership.role == ExerciseRole.DIRECTOR
        and membership.exercise.memberships.filter(role=ExerciseRole.DIRECTOR).count() == 1
    ):
        _invalid(_("An exercise keeps at least one director."))
    audit.delete(membership, actor=actor)


def _link_url(token: str) -> str:
    base = getattr(settings, "CICTE_SITE_URL", "").rstrip("/")
    return base + reverse("exercises:x", args=[token])


@transaction.atomic
def external_add(
    *,
    actor: Actor,
    exercise: Exercise,
    name: str,
    email: str = "",
    role: str = ExerciseRole.PLAYER,
    team: Team | None = None,
    send: bool = False,
) -> tuple[ExternalParticipant, str]:
    """A participant without an account. Returns the participant and the token of their
    link; only its hash is stored, so the link is shown (or mailed) this once."""
    _deny(permissions.can_manage_roles(actor, exercise), _("You may not invite participants."))
    if not name.strip():
        _invalid(_("Name the participant."), field="name")
    if role not in (ExerciseRole.PLAYER, ExerciseRole.OBSERVER):
        _invalid(_("A participant link is for a player or an observer."), field="role")
    if role == ExerciseRole.PLAYER:
        if team is None or team.exercise_id != exercise.pk:
            _invalid(_("A player belongs to one of the exercise's teams."), field="team")
    else:
        team = None
    token = secrets.token_urlsafe(32)
    person = ExternalParticipant(
        exercise=exercise,
        name=name.strip()[:200],
        email=email.strip(),
        role=role,
        team=team,
        token_hash=hash_token(token),
        # The exercise's end (or now, for a link made afterwards) plus the exercise's days.
        expires_at=max(exercise.ends_at, timezone.now()) + dt.timedelta(days=exercise.link_days),
    )
    audit.save(person, actor=actor)
    if send and person.email:
        body = _(
            "You are invited to take part in the exercise %(title)s (%(start)s).\n\n"
            "Your personal link (do not share it): %(url)s"
        ) % {
            "title": exercise.title,
            "start": timezone.localtime(exercise.starts_at).strftime("%Y-%m-%d %H:%M"),
            "url": _link_url(token),
        }
        exercise_mail(
            exercise=exercise, to=[person.email], subject=_("Invitation"), body=body, actor=actor
        )
    return person, token


@transaction.atomic
def external_revoke(*, actor: Actor, participant: ExternalParticipant) -> ExternalParticipant:
    _deny(permissions.can_manage_roles(actor, participant.exercise), _("You may not revoke links."))
    if participant.revoked_at is None:
        participant.revoked_at = timezone.now()
        audit.save(participant, actor=actor, reason="link revoked")
    return participant


def external_resolve(token: str) -> ExternalActor:
    """The participant behind a link: unknown → 404; revoked or expired → 410 with a clear
    message (nothing else about the exercise is said)."""
    person = (
        ExternalParticipant.objects.select_related("exercise", "team")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if person is None:
        raise NotFound("not_found", _("This link is not valid."))
    if person.revoked_at is not None:
        raise LinkGone(message=_("This participant link was revoked. Ask the exercise team."))
    if not person.is_valid():
        raise LinkGone(message=_("This participant link has expired. Ask the exercise team."))
    return ExternalActor(participant=person)


@transaction.atomic
def objective_add(
    *, actor: Actor, exercise: Exercise, text: str, capabilities: Iterable[Capability] = ()
) -> Objective:
    _deny(permissions.can_design(actor, exercise), _("You may not change the design."))
    if not text.strip():
        _invalid(_("Write the objective."), field="text")
    number = (
        exercise.objectives.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    objective = Objective(exercise=exercise, number=number, text=text.strip())
    audit.save(objective, actor=actor)
    caps = list(capabilities)
    if caps:
        audit.set_related(objective, "capabilities", caps, actor=actor)
    return objective


@transaction.atomic
def critical_task_add(
    *, actor: Actor, objective: Objective, capability: Capability, text: str
) -> CriticalTask:
    _deny(permissions.can_design(actor, objective.exercise), _("You may not change the design."))
    if not text.strip():
        _invalid(_("Write the critical task."), field="text")
    if not objective.capabilities.filter(pk=capability.pk).exists():
        audit.set_related(
            objective, "capabilities", [*objective.capabilities.all(), capability], actor=actor
        )
    task = CriticalTask(objective=objective, capability=capability, text=text.strip()[:500])
    audit.save(task, actor=actor)
    return task


@transaction.atomic
def module_add(
    *, actor: Actor, exercise: Exercise, title: str, description: str = "", questions: str = ""
) -> ScenarioModule:
    _deny(permissions.can_design(actor, exercise), _("You may not change the design."))
    if not title.strip():
        _invalid(_("Give the module a title."), field="title")
    number = (
        exercise.modules.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    module = ScenarioModule(
        exercise=exercise,
        number=number,
        title=title.strip()[:300],
        description=description.strip(),
        questions=questions.strip(),
    )
    audit.save(module, actor=actor)
    return module


@transaction.atomic
def session_add(
    *,
    actor: Actor,
    exercise: Exercise,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    staff_only: bool = False,
) -> Session:
    _deny(permissions.can_design(actor, exercise), _("You may not change the calendar."))
    if kind not in SessionKind.values:
        _invalid(_("Unknown kind of session."), field="kind")
    if not title.strip():
        _invalid(_("Give the session a title."), field="title")
    if ends_at <= starts_at:
        _invalid(_("The session must end after it starts."), field="ends_at")
    session = Session(
        exercise=exercise,
        kind=kind,
        title=title.strip()[:300],
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip()[:300],
        staff_only=staff_only or kind == SessionKind.BRIEFING,
    )
    audit.save(session, actor=actor)
    return session


# --- the MSEL -----------------------------------------------------------------------------


def _check_teams(exercise: Exercise, names: Sequence[str]) -> tuple[list[Team], list[str]]:
    by_name = {t.name.casefold(): t for t in exercise.teams.all()}
    found, unknown = [], []
    for name in names:
        team = by_name.get(name.strip().casefold())
        if team is None:
            unknown.append(name)
        else:
            found.append(team)
    return found, unknown


@transaction.atomic
def inject_add(
    *,
    actor: Actor,
    exercise: Exercise,
    offset_minutes: int,
    title: str,
    teams: Sequence[Team],
    method: str,
    content: str,
    sender: str = "",
    expected_action: str = "",
    module: ScenarioModule | None = None,
    objective: Objective | None = None,
    capability: Capability | None = None,
    controller: Any = None,
    contingency: bool = False,
) -> Inject:
    """Add an MSEL row. While the exercise runs, controllers may add contingency injects
    only; before, the designers add any."""
    exercise = _locked(exercise)
    live = exercise.status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED)
    if live:
        _deny(permissions.can_control(actor, exercise), _("You may not add injects now."))
        if not contingency:
            _invalid(_("During the exercise only contingency injects may be added."))
    else:
        _deny(permissions.can_design(actor, exercise), _("You may not change the MSEL."))
        if exercise.status == ExerciseStatus.ENDED:
            raise Conflict(ExerciseErrorCode.WRONG_STATE, _("The exercise has ended."))
    if not title.strip() or not content.strip():
        _invalid(_("An inject needs a synopsis and its content."), field="content")
    if method not in InjectMethod.values:
        _invalid(_("Unknown method."), field="method")
    if not teams:
        _invalid(_("Address the inject to at least one team."), field="teams")
    if any(t.exercise_id != exercise.pk for t in teams):
        raise ApplicationError(
            ExerciseErrorCode.OUTSIDE_PARTICIPANTS,
            _("An inject can only be addressed to the exercise's own teams."),
            field="teams",
        )
    if not 0 <= offset_minutes <= exercise.duration_minutes:
        _invalid(_("The scheduled time is outside the exercise window."), field="offset_minutes")
    for item, name in ((module, "module"), (objective, "objective")):
        if item is not None and item.exercise_id != exercise.pk:
            _invalid(_("Choose one of this exercise's own items."), field=name)
    number = (
        exercise.injects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    inject = Inject(
        exercise=exercise,
        number=number,
        module=module,
        offset_minutes=offset_minutes,
        title=title.strip()[:300],
        sender=sender.strip()[:200],
        method=method,
        content=content.strip(),
        expected_action=expected_action.strip(),
        objective=objective,
        capability=capability,
        controller=controller,
        contingency=contingency,
    )
    audit.save(inject, actor=actor)
    audit.set_related(inject, "teams", teams, actor=actor)
    return inject


@transaction.atomic
def msel_upload(*, actor: Actor, exercise: Exercise, name: str, data: bytes) -> MselUpload:
    """Keep an uploaded MSEL sheet for its mapping step (the file must read as a sheet)."""
    _deny(permissions.can_design(actor, exercise), _("You may not change the MSEL."))
    try:
        msel_parser.read_sheet(data)
    except msel_parser.SpreadsheetError as exc:
        raise ApplicationError(ExerciseErrorCode.SHEET, str(exc), field="file") from None
    upload = MselUpload(exercise=exercise, uploaded_by=_user(actor), name=name[:255], data=data)
    upload.save()
    return upload


def _row_error(row: int, column: str, reason: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(reason)s") % {
        "row": row,
        "column": column,
        "reason": reason,
    }


@transaction.atomic
def msel_import(
    *, actor: Actor, exercise: Exercise, data: bytes, mapping: Mapping[str, int | None]
) -> list[Inject]:
    """Replace the MSEL with the sheet's rows, all or nothing. Every problem names its row and
    column; missing mandatory fields in the mapping are named before any row is read."""
    exercise = _locked(exercise)
    _deny(permissions.can_design(actor, exercise), _("You may not change the MSEL."))
    if exercise.status != ExerciseStatus.PLANNING:
        raise Conflict(
            ExerciseErrorCode.WRONG_STATE, _("The MSEL can be imported only while planning.")
        )
    try:
        sheet = msel_parser.read_sheet(data)
        rows, errors = msel_parser.parse_msel(
            sheet,
            mapping,
            start=exercise.starts_at,
            end=exercise.ends_at,
            tz=timezone.get_current_timezone(),
        )
    except msel_parser.MappingError as exc:
        labels = dict(_field_labels())
        raise ApplicationError(
            ExerciseErrorCode.MAPPING,
            _("Map a column to every mandatory field: %(fields)s.")
            % {"fields": ", ".join(str(labels[k]) for k in exc.missing)},
            field="mapping",
            details=exc.missing,
        ) from None
    except msel_parser.SpreadsheetError as exc:
        raise ApplicationError(ExerciseErrorCode.SHEET, str(exc), field="file") from None
    problems = [_row_error(e.row, e.column, e.reason) for e in errors]
    headers = {k: sheet.headers[i] for k, i in mapping.items() if i is not None}
    modules = {m.number: m for m in exercise.modules.all()}
    objectives = {o.number: o for o in exercise.objectives.all()}
    capabilities = {c.code.casefold(): c for c in Capability.objects.all()}
    capabilities.update({c.name.casefold(): c for c in capabilities.values()})
    controllers = {
        m.user.username.casefold(): m.user
        for m in exercise.memberships.filter(role__in=permissions.CONTROLLERS).select_related(
            "user"
        )
    }
    resolved: list[tuple[msel_parser.InjectRow, list[Team], dict[str, Any]]] = []
    for row in rows:
        teams, unknown = _check_teams(exercise, row.teams)
        if unknown:
            problems.append(
                _row_error(
                    row.row,
                    headers["teams"],
                    _("%(names)s is not a team of this exercise (its participant list)")
                    % {"names": ", ".join(unknown)},
                )
            )
        extra: dict[str, Any] = {}
        checks = (
            ("module", row.module, modules),
            ("objective", row.objective, objectives),
        )
        for key, value, table in checks:
            if value is not None:
                if value not in table:
                    problems.append(
                        _row_error(
                            row.row,
                            headers[key],
                            _("no %(key)s %(n)s in this exercise") % {"key": key, "n": value},
                        )
                    )
                extra[key] = table.get(value)
        if row.capability:
            extra["capability"] = capabilities.get(row.capability.casefold())
            if extra["capability"] is None:
                problems.append(
                    _row_error(
                        row.row,
                        headers["capability"],
                        _("unknown capability %(c)s") % {"c": row.capability},
                    )
                )
        if row.controller:
            extra["controller"] = controllers.get(row.controller.casefold())
            if extra["controller"] is None:
                problems.append(
                    _row_error(
                        row.row,
                        headers["controller"],
                        _("%(u)s is not a controller of this exercise") % {"u": row.controller},
                    )
                )
        resolved.append((row, teams, extra))
    if problems:
        raise ApplicationError(
            ExerciseErrorCode.SHEET,
            _("The MSEL was not imported: %(n)s problems. Nothing was written.")
            % {"n": len(problems)},
            field="file",
            details=problems,
        )
    for old in exercise.injects.all():
        audit.delete(old, actor=actor, reason="replaced by an MSEL import")
    created: dict[int, Inject] = {}
    for row, teams, extra in resolved:
        inject = Inject(
            exercise=exercise,
            number=row.number,
            offset_minutes=row.offset_minutes,
            title=row.title,
            sender=row.sender,
            method=row.method,
            content=row.content,
            expected_action=row.expected_action,
            contingency=row.contingency,
            **extra,
        )
        audit.save(inject, actor=actor, reason="MSEL import")
        audit.set_related(inject, "teams", teams, actor=actor)
        created[row.number] = inject
    for row, _teams, _extra in resolved:
        if row.depends_on:
            audit.set_related(
                created[row.number],
                "depends_on",
                [created[n] for n in row.depends_on],
                actor=actor,
            )
    MselUpload.objects.filter(exercise=exercise).delete()
    return list(created.values())


def _field_labels() -> list[tuple[str, str]]:
    return [
        ("number", _("Number")),
        ("time", _("Scheduled time")),
        ("module", _("Module")),
        ("title", _("Event synopsis")),
        ("sender", _("Simulated sender")),
        ("teams", _("Target teams")),
        ("method", _("Method")),
        ("content", _("Content")),
        ("expected_action", _("Expected player action")),
        ("objective", _("Objective")),
        ("capability", _("Capability")),
        ("controller", _("Responsible controller")),
        ("contingency", _("Contingency")),
        ("depends_on", _("Depends on")),
    ]


field_labels = _field_labels


# --- readiness and conduct -----------------------------------------------------------------


def participant_emails(exercise: Exercise) -> set[str]:
    """The exercise's participant list: every address mail for it may go to."""
    users = {
        m.user.email.strip().lower()
        for m in exercise.memberships.select_related("user")
        if m.user.email
    }
    externals = {
        p.email.strip().lower()
        for p in exercise.externals.filter(revoked_at__isnull=True)
        if p.email
    }
    return users | externals


def exercise_mail(
    *,
    exercise: Exercise,
    to: Sequence[str],
    subject: str,
    body: str,
    actor: Actor = None,
    inject: Inject | None = None,
) -> ExerciseMail:
    """Send mail for an exercise: the subject carries ``[EXERCISE]``, the body an exercise
    banner, and any address outside the participant list is refused (no real-world alarm)."""
    from cicte.ops.tasks import mail_enqueue

    allowed = participant_emails(exercise)
    recipients = sorted({a.strip().lower() for a in to if a.strip()})
    outside = [a for a in recipients if a not in allowed]
    if outside:
        raise ApplicationError(
            ExerciseErrorCode.OUTSIDE_PARTICIPANTS,
            _("Exercise mail goes only to the exercise's participants: %(addresses)s is not one.")
            % {"addresses": ", ".join(outside)},
        )
    banner = _("*** EXERCISE — EXERCISE — EXERCISE ***")
    full_subject = f"[EXERCISE] {exercise.title}: {subject}"[:300]
    full_body = "\n\n".join([banner, body, banner])
    log = ExerciseMail.objects.create(
        exercise=exercise, inject=inject, subject=full_subject, recipients=", ".join(recipients)
    )
    sender = _user(actor)

    def send(address: str) -> None:
        mail_enqueue(subject=full_subject, body=full_body, to=[address], actor=sender)

    for address in recipients:
        transaction.on_commit(partial(send, address))
    return log


def readiness_problems(exercise: Exercise) -> list[str]:
    """What is missing before the exercise may start (empty when it may)."""
    problems = []
    teams = list(exercise.teams.all())
    if not teams:
        problems.append(_("Add at least one player team."))
    for team in teams:
        if (
            not team.members.exists()
            and not team.externals.filter(revoked_at__isnull=True).exists()
        ):
            problems.append(_("Team %(team)s has no players.") % {"team": team.name})
    if not exercise.injects.filter(contingency=False).exists():
        problems.append(_("The MSEL has no scheduled inject."))
    if not exercise.memberships.filter(role__in=permissions.CONTROLLERS).exists():
        problems.append(_("Name a director or controller to run the exercise."))
    acked_users = set(exercise.comchecks.values_list("user_id", flat=True))
    acked_externals = set(exercise.comchecks.values_list("external_id", flat=True))
    pending = [
        m.user.get_full_name() or m.user.username
        for m in exercise.memberships.filter(role=ExerciseRole.PLAYER).select_related("user")
        if m.user_id not in acked_users
    ] + [
        p.name
        for p in exercise.externals.filter(role=ExerciseRole.PLAYER, revoked_at__isnull=True)
        if p.pk not in acked_externals
    ]
    if pending:
        problems.append(
            _("Communications check not acknowledged by: %(names)s.")
            % {"names": ", ".join(sorted(pending))}
        )
    return problems


@transaction.atomic
def comcheck_ack(*, actor: Actor, exercise: Exercise) -> Comcheck:
    roles_held = permissions.roles_in(actor, exercise)
    _deny(bool(roles_held), _("You do not take part in this exercise."))
    if isinstance(actor, ExternalActor):
        item, _created = Comcheck.objects.get_or_create(
            exercise=exercise, external=actor.participant
        )
    else:
        item, _created = Comcheck.objects.get_or_create(exercise=exercise, user=_user(actor))
    return item


@transaction.atomic
def exercise_mark_ready(*, actor: Actor, exercise: Exercise) -> Exercise:
    exercise = _locked(exercise)
    _deny(permissions.can_design(actor, exercise), _("You may not change this exercise."))
    if exercise.status not in (ExerciseStatus.PLANNING, ExerciseStatus.READY):
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("The exercise is already under way."))
    problems = readiness_problems(exercise)
    if problems:
        raise ApplicationError(
            ExerciseErrorCode.NOT_READY,
            _("The exercise is not ready: %(problems)s") % {"problems": " ".join(problems)},
            details=problems,
        )
    exercise.status = ExerciseStatus.READY
    audit.save(exercise, actor=actor, reason="ready")
    return exercise


@transaction.atomic
def exercise_control(*, actor: Actor, exercise: Exercise, action: str) -> Exercise:
    """``start`` (only when ready), ``pause``, ``resume``, ``end``. Ending marks the delivery
    event held, so the exercise counts toward its target."""
    exercise = _locked(exercise)
    _deny(permissions.can_control(actor, exercise), _("You may not run this exercise."))
    now = timezone.now()
    status = exercise.status
    if action == "start":
        if status != ExerciseStatus.READY:
            raise ApplicationError(
                ExerciseErrorCode.NOT_READY,
                _("Only an exercise marked ready can start: %(problems)s")
                % {"problems": " ".join(readiness_problems(exercise)) or _("mark it ready first.")},
            )
        exercise.status, exercise.started_at = ExerciseStatus.RUNNING, now
    elif action == "pause" and status == ExerciseStatus.RUNNING:
        exercise.status, exercise.paused_at = ExerciseStatus.PAUSED, now
    elif action == "resume" and status == ExerciseStatus.PAUSED:
        assert exercise.paused_at is not None
        exercise.paused_seconds += int((now - exercise.paused_at).total_seconds())
        exercise.status, exercise.paused_at = ExerciseStatus.RUNNING, None
    elif action == "end" and status in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED):
        if exercise.paused_at is not None:
            exercise.paused_seconds += int((now - exercise.paused_at).total_seconds())
            exercise.paused_at = None
        exercise.status, exercise.ended_at = ExerciseStatus.ENDED, now
    else:
        raise Conflict(
            ExerciseErrorCode.WRONG_STATE,
            _("You cannot %(action)s an exercise that is %(status)s.")
            % {"action": action, "status": exercise.get_status_display().lower()},
        )
    audit.save(exercise, actor=actor, reason=action)
    if action == "end" and exercise.event.status != EventStatus.HELD:
        # The delivery record follows the fact: the exercise was held.
        event_set_status(actor=SYSTEM, event=exercise.event, status=EventStatus.HELD)
    return exercise


# --- inject attachments ---------------------------------------------------------------


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CICTE_EXERCISES_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


@transaction.atomic
def inject_attachment_add(*, actor: Actor, inject: Inject, upload: Any) -> InjectAttachment:
    """Attach a document (PDF, DOCX, XLSX, PNG or JPEG, judged by its content) to an inject.
    Players receive it with the inject when it is released, never before."""
    exercise = inject.exercise
    _deny(
        permissions.can_design(actor, exercise) or permissions.can_control(actor, exercise),
        _("Only the exercise's planners and controllers attach documents."),
    )
    if inject.status != InjectStatus.PENDING:
        raise _fail(
            ExerciseErrorCode.WRONG_STATE,
            _("Inject #%(n)s was already released or skipped: its documents are fixed.")
            % {"n": inject.number},
        )
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_attachment_bytes()
    if size > limit:
        raise _fail(
            ExerciseErrorCode.FILE_TOO_LARGE,
            _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
    sniffed = sniff_document(head, upload) if head else None
    if sniffed is None:
        raise _fail(
            ExerciseErrorCode.FILE_TYPE,
            _("Only PDF, DOCX, XLSX, PNG and JPEG files can be attached to an inject."),
            field="file",
        )
    extension, content_type = sniffed
    upload.seek(0)
    name = (getattr(upload, "name", "") or "document").replace("\\", "/").split("/")[-1]
    stem = name.rsplit(".", 1)[0][:200] or "document"
    item = InjectAttachment(
        inject=inject,
        original_name=f"{stem}.{extension}",
        content_type=content_type,
        size=size,
    )
    item.file.save(f"inject-{inject.pk}.{extension}", upload, save=False)
    audit.save(item, actor=actor)
    return item


@transaction.atomic
def inject_attachment_remove(*, actor: Actor, attachment: InjectAttachment) -> None:
    inject = attachment.inject
    _deny(
        permissions.can_design(actor, inject.exercise)
        or permissions.can_control(actor, inject.exercise),
        _("Only the exercise's planners and controllers attach documents."),
    )
    if inject.status != InjectStatus.PENDING:
        raise _fail(
            ExerciseErrorCode.WRONG_STATE,
            _("Inject #%(n)s was already released or skipped: its documents are fixed.")
            % {"n": inject.number},
        )
    stored = attachment.file
    audit.delete(attachment, actor=actor)
    transaction.on_commit(lambda: stored.delete(save=False))


def _mail_release(inject: Inject, actor: Actor) -> None:
    if inject.method != InjectMethod.EMAIL:
        return
    team_ids = list(inject.teams.values_list("pk", flat=True))
    addresses = [
        m.user.email
        for m in inject.exercise.memberships.filter(
            role=ExerciseRole.PLAYER, team_id__in=team_ids
        ).select_related("user")
        if m.user.email
    ] + [
        p.email
        for p in inject.exercise.externals.filter(team_id__in=team_ids, revoked_at__isnull=True)
        if p.email
    ]
    if not addresses:
        return
    body = _("From: %(sender)s\n\n%(content)s") % {
        "sender": inject.sender or _("Exercise control"),
        "content": inject.content,
    }
    names = [a.original_name for a in inject.attachments.all()]
    if names:
        body += "\n\n" + _(
            "Documents with this inject (open them on your exercise feed): %(names)s"
        ) % {"names": ", ".join(names)}
    exercise_mail(
        exercise=inject.exercise,
        to=addresses,
        subject=inject.title,
        body=body,
        actor=actor,
        inject=inject,
    )


@transaction.atomic
def inject_release(*, actor: Actor, inject: Inject) -> bool:
    """Release one inject to its teams (once: a conditional update). False when it was
    already released or skipped."""
    exercise = _locked(inject.exercise)
    _deny(permissions.can_control(actor, exercise), _("You may not release injects."))
    if exercise.status != ExerciseStatus.RUNNING:
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("Injects are released while running."))
    return _release(inject=inject, exercise=exercise, actor=actor)


def _release(*, inject: Inject, exercise: Exercise, actor: Actor) -> bool:
    now = timezone.now()
    changed = Inject.objects.filter(pk=inject.pk, status=InjectStatus.PENDING).update(
        status=InjectStatus.RELEASED,
        released_at=now,
        released_elapsed=exercise.elapsed_seconds(now),
        released_by=_user(actor),
    )
    if not changed:
        return False
    fresh = Inject.objects.select_related("exercise").get(pk=inject.pk)
    audit.save(fresh, actor=actor, reason="released", update_fields=["status"])
    _mail_release(fresh, actor)
    return True


@transaction.atomic
def inject_skip(*, actor: Actor, inject: Inject, reason: str = "") -> bool:
    exercise = _locked(inject.exercise)
    _deny(permissions.can_control(actor, exercise), _("You may not skip injects."))
    if exercise.status == ExerciseStatus.ENDED:
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("The exercise has ended."))
    changed = Inject.objects.filter(pk=inject.pk, status=InjectStatus.PENDING).update(
        status=InjectStatus.SKIPPED, skip_reason=reason.strip()[:300]
    )
    if changed:
        fresh = Inject.objects.get(pk=inject.pk)
        audit.save(fresh, actor=actor, reason="skipped", update_fields=["status"])
    return bool(changed)


def release_due(*, now: dt.datetime | None = None) -> list[Inject]:
    """Release every scheduled inject that is due in the running exercises (the scheduler's
    job, every minute). Contingency injects wait for a controller; an inject whose
    dependencies are still pending waits for them. Idempotent."""
    now = now or timezone.now()
    released: list[Inject] = []
    for exercise in Exercise.objects.filter(status=ExerciseStatus.RUNNING):
        elapsed_minutes = exercise.elapsed_seconds(now) // 60
        due = (
            exercise.injects.filter(
                status=InjectStatus.PENDING,
                contingency=False,
                offset_minutes__lte=elapsed_minutes,
            )
            .exclude(depends_on__status=InjectStatus.PENDING)
            .order_by("offset_minutes", "number")
        )
        for inject in due:
            with transaction.atomic():
                current = Exercise.objects.select_for_update().get(pk=exercise.pk)
                if current.status != ExerciseStatus.RUNNING:
                    break
                if _release(inject=inject, exercise=current, actor=SYSTEM):
                    released.append(inject)
    return released


@transaction.atomic
def response_submit(*, actor: Actor, inject: Inject, text: str) -> PlayerResponse:
    """A player answers an inject released to their team."""
    exercise = Exercise.objects.get(pk=inject.exercise_id)
    teams = permissions.player_teams(actor, exercise)
    visible = Inject.objects.visible_to(actor).filter(pk=inject.pk, teams__in=teams).exists()
    if not teams or not visible:
        raise NotFound("not_found", _("No such inject."))
    if exercise.status not in (ExerciseStatus.RUNNING, ExerciseStatus.PAUSED):
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("The exercise is not running."))
    if not text.strip():
        _invalid(_("Write your response."), field="text")
    team = inject.teams.filter(pk__in=teams).first()
    now = timezone.now()
    response = PlayerResponse(
        inject=inject,
        team=team,
        author=_user(actor),
        external=actor.participant if isinstance(actor, ExternalActor) else None,
        text=text.strip()[:8000],
        created_at=now,
        elapsed=exercise.elapsed_seconds(now),
    )
    audit.save(
        response,
        actor=actor,
        reason=str(actor) if isinstance(actor, ExternalActor) else None,
    )
    return response


# --- evaluation ------------------------------------------------------------------------------


def check_rating(rating: str, *, allow_blank: bool = True) -> str:
    value = (rating or "").strip().upper()
    if (value == "" and allow_blank) or value in Rating.values:
        return value
    raise ApplicationError(
        ExerciseErrorCode.BAD_RATING,
        _("%(value)s is not a rating: use P, S, M or U (HSEEP).") % {"value": repr(rating)},
        field="rating",
    )


@transaction.atomic
def observation_add(
    *,
    actor: Actor,
    exercise: Exercise,
    critical_task: CriticalTask,
    text: str,
    rating: str = "",
    inject: Inject | None = None,
    strength: bool = False,
) -> Observation:
    _deny(permissions.can_evaluate(actor, exercise), _("Only evaluators record observations."))
    value = check_rating(rating)
    if critical_task.objective.exercise_id != exercise.pk:
        _invalid(_("Choose a critical task of this exercise."), field="critical_task")
    if inject is not None and inject.exercise_id != exercise.pk:
        _invalid(_("Choose an inject of this exercise."), field="inject")
    if not text.strip():
        _invalid(_("Write what you observed."), field="text")
    item = Observation(
        exercise=exercise,
        evaluator=_user(actor),
        critical_task=critical_task,
        inject=inject,
        text=text.strip(),
        rating=value,
        strength=strength,
    )
    audit.save(item, actor=actor)
    return item


@transaction.atomic
def hotwash_add(*, actor: Actor, exercise: Exercise, kind: str, text: str) -> HotWashNote:
    _deny(permissions.can_write_hotwash(actor, exercise), _("You may not write hot-wash notes."))
    if kind not in ("strength", "improvement"):
        _invalid(_("A note is a strength or an area for improvement."), field="kind")
    if not text.strip():
        _invalid(_("Write the note."), field="text")
    note = HotWashNote(exercise=exercise, author=_user(actor), kind=kind, text=text.strip())
    audit.save(note, actor=actor)
    return note


@transaction.atomic
def feedback_open(*, actor: Actor, exercise: Exercise) -> Any:
    """Open the participant feedback form (the evaluations' questionnaire of the event)."""
    from cicte.evaluations.models import Questionnaire

    _deny(permissions.can_evaluate(actor, exercise), _("You may not open the feedback form."))
    item = Questionnaire.objects.select_for_update().filter(event=exercise.event).first()
    if item is None:
        item = Questionnaire(event=exercise.event)
    item.is_open = True
    item.closed_at = None
    audit.save(item, actor=actor)
    return item


# --- after-action report ---------------------------------------------------------------------


def _overview_text(exercise: Exercise) -> str:
    lines = [
        _("Exercise name: %(v)s") % {"v": exercise.title},
        _("Exercise dates: %(a)s – %(b)s")
        % {
            "a": timezone.localtime(exercise.starts_at).strftime("%Y-%m-%d %H:%M"),
            "b": timezone.localtime(exercise.ends_at).strftime("%Y-%m-%d %H:%M"),
        },
        _("Type: %(v)s") % {"v": exercise.get_type_display()},
    ]
    for label, value in (
        (_("Scope"), exercise.scope),
        (_("Mission areas"), exercise.mission_areas),
        (_("Threat or hazard"), exercise.threat),
        (_("Scenario"), exercise.scenario),
        (_("Sponsor"), exercise.sponsor),
        (_("Point of contact"), exercise.point_of_contact),
    ):
        if value:
            lines.append(f"{label}: {value}")
    teams = ", ".join(
        f"{t.name} ({t.organization})" if t.organization else t.name for t in exercise.teams.all()
    )
    if teams:
        lines.append(_("Participating organizations: %(v)s") % {"v": teams})
    return "\n".join(lines)


@transaction.atomic
def report_build(*, actor: Actor, exercise: Exercise) -> AfterActionReport:
    """Create (or rebuild) the AAR draft from the observations and the hot wash: the
    overview, one rating per objective × capability (the most severe observed), the
    strengths and the areas for improvement."""
    _deny(permissions.can_edit_report(actor, exercise), _("You may not write the report."))
    report = AfterActionReport.objects.select_for_update().filter(exercise=exercise).first()
    if report is not None and report.status == ReportStatus.FINAL:
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("The report is final."))
    if report is None:
        report = AfterActionReport(exercise=exercise)
    observations = list(
        Observation.objects.filter(exercise=exercise).select_related(
            "critical_task__objective", "critical_task__capability"
        )
    )
    notes = list(HotWashNote.objects.filter(exercise=exercise))
    report.overview = _overview_text(exercise)
    strengths = [
        f"- {o.critical_task.capability}: {o.text}"
        for o in observations
        if o.strength or o.rating == Rating.P
    ] + [f"- {n.text}" for n in notes if n.kind == "strength"]
    improvements = [
        f"- {o.critical_task.capability} ({o.rating}): {o.text}"
        for o in observations
        if o.rating in (Rating.M, Rating.U) or (o.rating == Rating.S and not o.strength)
    ] + [f"- {n.text}" for n in notes if n.kind == "improvement"]
    report.strengths = "\n".join(strengths)
    report.improvements = "\n".join(improvements)
    audit.save(report, actor=actor, reason="built from observations")
    worst: dict[tuple[int, int], str] = {}
    for o in observations:
        if not o.rating:
            continue
        key = (o.critical_task.objective_id, o.critical_task.capability_id)
        if key not in worst or RATING_SEVERITY[o.rating] > RATING_SEVERITY[worst[key]]:
            worst[key] = o.rating
    for row in report.ratings.all():
        audit.delete(row, actor=actor, reason="rebuilt")
    for (objective_id, capability_id), rating in sorted(worst.items()):
        audit.save(
            CapabilityRating(
                report=report, objective_id=objective_id, capability_id=capability_id, rating=rating
            ),
            actor=actor,
        )
    return report


def _draft(actor: Actor, report: AfterActionReport) -> AfterActionReport:
    _deny(permissions.can_edit_report(actor, report.exercise), _("You may not edit the report."))
    report = AfterActionReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.FINAL:
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("The report is final."))
    return report


@transaction.atomic
def report_update(
    *,
    actor: Actor,
    report: AfterActionReport,
    overview: str,
    strengths: str,
    improvements: str,
) -> AfterActionReport:
    report = _draft(actor, report)
    report.overview, report.strengths, report.improvements = (
        overview.strip(),
        strengths.strip(),
        improvements.strip(),
    )
    audit.save(report, actor=actor)
    return report


@transaction.atomic
def rating_set(
    *,
    actor: Actor,
    report: AfterActionReport,
    objective: Objective,
    capability: Capability,
    rating: str,
) -> CapabilityRating:
    report = _draft(actor, report)
    value = check_rating(rating, allow_blank=False)
    if objective.exercise_id != report.exercise_id:
        _invalid(_("Choose an objective of this exercise."), field="objective")
    row = CapabilityRating.objects.filter(
        report=report, objective=objective, capability=capability
    ).first() or CapabilityRating(report=report, objective=objective, capability=capability)
    row.rating = value
    audit.save(row, actor=actor)
    return row


@transaction.atomic
def action_add(
    *,
    actor: Actor,
    report: AfterActionReport,
    text: str,
    organization: str,
    owner: Any = None,
    due_date: dt.date | None = None,
    capability: Capability | None = None,
    element: str = "",
) -> Any:
    from cicte.exercises.models import ImprovementAction

    report = _draft(actor, report)
    if not text.strip():
        _invalid(_("Write the corrective action."), field="text")
    if not organization.strip():
        _invalid(_("Name the responsible organization."), field="organization")
    if element and element not in CapabilityElement.values:
        _invalid(_("Unknown capability element."), field="element")
    action = ImprovementAction(
        report=report,
        text=text.strip(),
        organization=organization.strip()[:300],
        owner=owner,
        due_date=due_date,
        capability=capability,
        element=element,
    )
    audit.save(action, actor=actor)
    return action


@transaction.atomic
def report_finalize(*, actor: Actor, report: AfterActionReport) -> AfterActionReport:
    """Draft → final (the director, after the after-action conference). The report is then
    visible to every participant; its improvement actions become recommendations of an
    after-action evaluation of the event, tracked by follow-up evaluations and reminders."""
    _deny(
        permissions.can_finalize_report(actor, report.exercise),
        _("Only the exercise director finalizes the report."),
    )
    report = AfterActionReport.objects.select_for_update().get(pk=report.pk)
    exercise = report.exercise
    if report.status == ReportStatus.FINAL:
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("The report is already final."))
    if exercise.status != ExerciseStatus.ENDED:
        raise Conflict(ExerciseErrorCode.WRONG_STATE, _("End the exercise before finalizing."))
    if not report.ratings.exists():
        _invalid(_("Rate at least one objective and capability before finalizing."))
    director = _user(actor)
    evaluation = Evaluation(
        kind=EvaluationKind.AFTER_ACTION,
        event=exercise.event,
        date=timezone.localtime(exercise.ends_at).date(),  # when the exercise was held
        evaluator=(director.get_full_name() or director.username) if director else "system",
        findings="\n\n".join(p for p in (report.strengths, report.improvements) if p)[:20000],
        created_by=director,
    )
    audit.save(evaluation, actor=actor, reason="after-action report final")
    for action in report.actions.select_for_update():
        recommendation = Recommendation(
            evaluation=evaluation,
            text=f"{action.text} ({action.organization})",
            owner=action.owner,
            due_date=action.due_date,
        )
        audit.save(recommendation, actor=actor, reason="improvement plan")
        action.recommendation = recommendation
        audit.save(action, actor=actor)
    report.status = ReportStatus.FINAL
    report.finalized_at = timezone.now()
    report.evaluation = evaluation
    audit.save(report, actor=actor, reason="final")
    return report


def actions_of(queryset: Any) -> Any:
    return queryset.select_related("recommendation", "owner", "capability")


__all__ = [
    "ExerciseErrorCode",
    "LinkGone",
    "Q",
]
