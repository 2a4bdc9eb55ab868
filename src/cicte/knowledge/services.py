"""Every write of the knowledge management system. Each service checks the actor first,
runs in one transaction, writes through :mod:`cicte.core.audit` and refuses with a
:class:`KnowledgeError` (nothing written)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import ApplicationError, NotFound, require
from cicte.core.types import Actor, actor_user
from cicte.knowledge import files, permissions
from cicte.knowledge.models import (
    Area,
    ChecklistItem,
    ChecklistTask,
    Document,
    DocumentKind,
    DocumentVersion,
    EventKind,
    EventStatus,
    Extraction,
    HostContact,
    HostTeamMember,
    Language,
    Lesson,
    LessonApplication,
    LessonStatus,
    MajorEvent,
    Subscription,
    TaskStatus,
    TeamRole,
    ViewAsRecord,
    WorkspaceMessage,
)
from cicte.sharing import services as sharing
from cicte.sharing.markings import TLP, AudienceKind


class KnowledgeErrorCode(StrEnum):
    INVALID = "invalid"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    METADATA = "metadata_not_removed"
    DATES = "dates"
    STATE = "state"
    DUPLICATE = "duplicate"


class KnowledgeError(ApplicationError):
    pass


def max_upload_bytes() -> int:
    return int(
        getattr(settings, "CICTE_KNOWLEDGE_MAX_UPLOAD_BYTES", settings.CICTE_MAX_UPLOAD_BYTES)
    )


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID,
            _("%(label)s: %(value)s is not one of %(allowed)s.")
            % {"label": label, "value": value or "—", "allowed": ", ".join(choices.values)},
            field=field,
        )
    return value


def _text(value: str, field: str, label: str, *, required: bool = True, limit: int = 0) -> str:
    value = (value or "").strip()
    if required and not value:
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID, _("%(label)s is required.") % {"label": label}, field=field
        )
    if limit and len(value) > limit:
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID,
            _("%(label)s is longer than %(limit)s characters.") % {"label": label, "limit": limit},
            field=field,
        )
    return value


def _user(actor: Actor) -> Any:
    user = actor_user(actor)
    require(user is not None, _("Sign in first."))
    return user


# -- the registry --------------------------------------------------------------------------


def event_register(
    *,
    actor: Actor,
    name: str,
    kind: str,
    host_state: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    expected_attendance: int | None = None,
    cities: str = "",
    lead_agency: str = "",
    description: str = "",
) -> MajorEvent:
    """A host focal point registers an upcoming (or past) major event; it waits for the
    Secretariat's validation. The focal point becomes the host team's lead."""
    require(
        permissions.can_register_event(actor, host_state.code),
        _("Only a point of contact of the host state, or the Secretariat, registers its events."),
    )
    user = _user(actor)
    name = _text(name, "name", _("Name"), limit=200)
    _choice(kind, EventKind, "kind", _("Type"))
    if ends_on < starts_on:
        raise KnowledgeError(
            KnowledgeErrorCode.DATES, _("The event ends before it starts."), field="ends_on"
        )
    if expected_attendance is not None and expected_attendance < 0:
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID,
            _("The expected attendance cannot be negative."),
            field="expected_attendance",
        )
    with transaction.atomic():
        event = MajorEvent(
            name=name,
            kind=kind,
            host_state=host_state,
            starts_on=starts_on,
            ends_on=ends_on,
            expected_attendance=expected_attendance,
            cities=cities.strip()[:200],
            lead_agency=lead_agency.strip()[:200],
            description=description.strip(),
            registered_by=user,
        )
        audit.save(event, actor=actor)
        if not permissions.is_secretariat(actor):
            audit.save(HostTeamMember(event=event, user=user, role=TeamRole.LEAD), actor=actor)
    return event


def event_validate(
    *, actor: Actor, event: MajorEvent, accept: bool = True, note: str = ""
) -> MajorEvent:
    require(permissions.can_validate_event(actor), _("Only the Secretariat validates events."))
    with transaction.atomic():
        event = MajorEvent.objects.select_for_update().get(pk=event.pk)
        if accept:
            event.status = EventStatus.VALIDATED
            event.validated_at = timezone.now()
        else:
            event.status = EventStatus.RETURNED
            event.public_approved = False
        event.review_note = note.strip()
        audit.save(event, actor=actor)
    return event


def event_set_public(*, actor: Actor, event: MajorEvent, public: bool) -> MajorEvent:
    """The host state approves (or withdraws) a public registry entry."""
    require(
        permissions.can_approve_public(actor, event),
        _("Only the host state approves a public entry."),
    )
    with transaction.atomic():
        event = MajorEvent.objects.select_for_update().get(pk=event.pk)
        if public and event.status != EventStatus.VALIDATED:
            raise KnowledgeError(
                KnowledgeErrorCode.STATE,
                _("The Secretariat validates the entry before it can be public."),
            )
        event.public_approved = public
        audit.save(event, actor=actor)
    return event


# -- the host team and its workspace -------------------------------------------------------


def team_add(*, actor: Actor, event: MajorEvent, user: Any, role: str = TeamRole.MEMBER) -> Any:
    require(
        permissions.can_manage_team(actor, event),
        _("Only the team's lead, or the Secretariat, changes the host team."),
    )
    _choice(role, TeamRole, "role", _("Role"))
    if user is None or not user.is_active:
        raise KnowledgeError(KnowledgeErrorCode.INVALID, _("No such user."), field="username")
    with transaction.atomic():
        seat = HostTeamMember.objects.filter(event=event, user=user).first()
        if seat is None:
            seat = HostTeamMember(event=event, user=user)
        seat.role = role
        audit.save(seat, actor=actor)
    return seat


def team_remove(*, actor: Actor, seat: HostTeamMember) -> None:
    require(
        permissions.can_manage_team(actor, seat.event),
        _("Only the team's lead, or the Secretariat, changes the host team."),
    )
    with transaction.atomic():
        audit.delete(seat, actor=actor)


def _workspace(actor: Actor, event: MajorEvent) -> None:
    require(
        permissions.can_work_in(actor, event),
        _("Only the host team of this event works in its workspace."),
    )


def contact_add(
    *,
    actor: Actor,
    event: MajorEvent,
    name: str,
    organisation: str = "",
    position: str = "",
    email: str = "",
    phone: str = "",
) -> HostContact:
    _workspace(actor, event)
    contact = HostContact(
        event=event,
        name=_text(name, "name", _("Name"), limit=200),
        organisation=organisation.strip()[:200],
        position=position.strip()[:200],
        email=email.strip()[:254],
        phone=phone.strip()[:60],
    )
    with transaction.atomic():
        audit.save(contact, actor=actor)
    return contact


def message_post(*, actor: Actor, event: MajorEvent, body: str) -> WorkspaceMessage:
    _workspace(actor, event)
    message = WorkspaceMessage(
        event=event, author=_user(actor), body=_text(body, "body", _("Message"), limit=10_000)
    )
    with transaction.atomic():
        audit.save(message, actor=actor)
    return message


def checklist_copy(*, actor: Actor, event: MajorEvent) -> int:
    """Copy the planning checklist of the event's type into its workspace (once)."""
    _workspace(actor, event)
    with transaction.atomic():
        MajorEvent.objects.select_for_update().get(pk=event.pk)
        if ChecklistTask.objects.filter(event=event).exists():
            raise KnowledgeError(
                KnowledgeErrorCode.DUPLICATE, _("The checklist is already in the workspace.")
            )
        items = list(ChecklistItem.objects.filter(event_kind=event.kind))
        for item in items:
            audit.save(
                ChecklistTask(
                    event=event,
                    area=item.area,
                    position=item.position,
                    text_en=item.text_en,
                    text_es=item.text_es,
                ),
                actor=actor,
            )
    return len(items)


def task_update(
    *,
    actor: Actor,
    task: ChecklistTask,
    status: str,
    owner: Any = None,
    due_on: dt.date | None = None,
    evidence: str = "",
    evidence_document: Document | None = None,
) -> ChecklistTask:
    _workspace(actor, task.event)
    _choice(status, TaskStatus, "status", _("Status"))
    if owner is not None and not permissions.is_team_member(owner, task.event):
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID,
            _("The owner must be a member of the host team."),
            field="owner",
        )
    if evidence_document is not None and evidence_document.event_id != task.event_id:
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID,
            _("The evidence must be a document of this event."),
            field="evidence_document",
        )
    with transaction.atomic():
        task = ChecklistTask.objects.select_for_update().get(pk=task.pk)
        task.status = status
        task.owner = owner
        task.due_on = due_on
        task.evidence = evidence.strip()
        task.evidence_document = evidence_document
        audit.save(task, actor=actor)
    return task


# -- documents -----------------------------------------------------------------------------


def _checked_file(uploaded: Any) -> tuple[str, str, bytes, str]:
    if uploaded is None:
        raise KnowledgeError(KnowledgeErrorCode.FILE_TYPE, _("Choose a file."), field="file")
    size = int(getattr(uploaded, "size", 0) or 0)
    limit = max_upload_bytes()
    if size > limit:
        raise KnowledgeError(
            KnowledgeErrorCode.FILE_TOO_LARGE,
            _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            field="file",
        )
    uploaded.seek(0)
    content = uploaded.read()
    if len(content) > limit:
        raise KnowledgeError(
            KnowledgeErrorCode.FILE_TOO_LARGE,
            _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            field="file",
        )
    sniffed = files.sniff(content)
    if sniffed is None:
        raise KnowledgeError(
            KnowledgeErrorCode.FILE_TYPE,
            _("Only PDF, DOCX, ODT and HTML documents can be added (judged by their content)."),
            field="file",
        )
    name = (getattr(uploaded, "name", "") or "document").replace("\\", "/").split("/")[-1]
    stem = name.rsplit(".", 1)[0][:150] or "document"
    return sniffed[0], sniffed[1], content, stem


def _store_version(
    actor: Actor, document: Document, checked: tuple[str, str, bytes, str], note: str
) -> DocumentVersion:
    extension, content_type, content, stem = checked
    stripped = False
    if document.anonymous:
        try:
            content = files.strip_metadata(extension, content)
        except files.MetadataError as exc:
            raise KnowledgeError(
                KnowledgeErrorCode.METADATA,
                _("The file's metadata could not be removed, so it cannot be added anonymously."),
                field="file",
            ) from exc
        stripped = True
        stem = "document"
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        name=f"{stem}.{extension}",
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        metadata_stripped=stripped,
        note=note.strip()[:300],
        uploaded_by=_user(actor),
    )
    version.file.save(
        f"{hashlib.sha256(content).hexdigest()[:16]}.{extension}", ContentFile(content), save=False
    )
    audit.save(version, actor=actor)
    return version


def _schedule_extraction(document: Document, number: int) -> None:
    from cicte.knowledge.tasks import extract_document

    document_id = document.pk
    transaction.on_commit(
        lambda: extract_document.enqueue(
            label=f"Text of knowledge document {document_id}",
            document_id=document_id,
            number=number,
        )
    )


def _audience(
    *, tlp: str, audience_kind: str, organisations: Sequence[Any], people: Sequence[Any]
) -> Any:
    community = permissions.network_community()
    sharing.audience_check(
        tlp=tlp,
        kind=audience_kind,
        community=community,
        organisations=organisations,
        people=people,
    )
    return community


def document_create(
    *,
    actor: Actor,
    file: Any,
    title: str,
    kind: str,
    language: str,
    area: str,
    tlp: str = TLP.GREEN,
    audience_kind: str = AudienceKind.COMMUNITY,
    organisations: Sequence[Any] = (),
    people: Sequence[Any] = (),
    event: MajorEvent | None = None,
    host_team_only: bool = False,
    anonymous: bool = False,
    creator: str = "",
    subject: str = "",
    description: str = "",
    publisher: str = "",
    date: dt.date | None = None,
    country: Any = None,
    rights: str = "",
    relations: Sequence[Document] = (),
) -> Document:
    """Add a document to the library (or, ``host_team_only``, to an event's workspace: the
    host team only, marked TLP:RED). Anonymous submissions lose their file metadata and
    their creator. The text is extracted by a background job after the commit."""
    if host_team_only:
        require(event is not None, _("A workspace document belongs to an event."))
        _workspace(actor, event)  # type: ignore[arg-type]
    elif event is not None and permissions.is_team_member(actor, event):
        pass  # the host team publishes its event's documents
    else:
        require(
            permissions.can_contribute(actor),
            _("Only members of the major-events network, or the Secretariat, add documents."),
        )
    title = _text(title, "title", _("Title"), limit=300)
    _choice(kind, DocumentKind, "kind", _("Type"))
    _choice(language, Language, "language", _("Language"))
    _choice(area, Area, "area", _("Planning-model area"))
    checked = _checked_file(file)
    if host_team_only:
        community = permissions.network_community()
        tlp, audience_kind, organisations, people = TLP.RED, AudienceKind.PEOPLE, (), ()
    else:
        community = _audience(
            tlp=tlp, audience_kind=audience_kind, organisations=organisations, people=people
        )
    with transaction.atomic():
        document = Document(
            title=title,
            kind=kind,
            language=language,
            area=area,
            tlp=tlp,
            audience_kind=audience_kind,
            community=community,
            originator=_user(actor),
            event=event,
            event_kind=event.kind if event is not None else "",
            country=country if country is not None else (event.host_state if event else None),
            host_team_only=host_team_only,
            anonymous=anonymous,
            creator="" if anonymous else creator.strip()[:200],
            subject=subject.strip()[:300],
            description=description.strip(),
            publisher=publisher.strip()[:200],
            date=date,
            rights=rights.strip()[:300],
            extraction=Extraction.PENDING,
        )
        audit.save(document, actor=actor)
        if organisations:
            audit.set_related(document, "audience_organisations", organisations, actor=actor)
        if people:
            audit.set_related(document, "audience_people", people, actor=actor)
        if relations:
            visible = Document.objects.visible_to(actor).filter(pk__in=[r.pk for r in relations])
            audit.set_related(document, "relations", list(visible), actor=actor)
        version = _store_version(actor, document, checked, "")
        _schedule_extraction(document, version.number)
    return document


def document_add_version(
    *, actor: Actor, document: Document, file: Any, note: str = ""
) -> DocumentVersion:
    """A new version of a document's file; the earlier versions stay downloadable."""
    readable = Document.objects.visible_to(actor).filter(pk=document.pk).exists()
    allowed = document.originator_id == getattr(actor_user(actor), "pk", None) or (
        document.event is not None and permissions.is_team_member(actor, document.event)
    )
    require(
        readable and (allowed or permissions.is_secretariat(actor)),
        _(
            "Only the document's originator, its event's host team or the Secretariat adds "
            "a version."
        ),
    )
    checked = _checked_file(file)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        version = _store_version(actor, locked, checked, note)
        locked.extraction = Extraction.PENDING
        audit.save(locked, actor=actor)
        _schedule_extraction(locked, version.number)
    return version


def aar_publish(
    *,
    actor: Actor,
    event: MajorEvent,
    file: Any,
    title: str,
    language: str,
    description: str = "",
    tlp: str = TLP.GREEN,
    audience_kind: str = AudienceKind.COMMUNITY,
    organisations: Sequence[Any] = (),
) -> Document:
    """After the event, the host team publishes a sanitised after-action report to the
    community: its file metadata is removed and no creator is shown."""
    _workspace(actor, event)
    if event.ends_on >= timezone.localdate():
        raise KnowledgeError(
            KnowledgeErrorCode.STATE,
            _("The after-action report is published once the event is over."),
        )
    if tlp == TLP.RED:
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID,
            _("An after-action report for the community cannot be TLP:RED."),
            field="tlp",
        )
    return document_create(
        actor=actor,
        file=file,
        title=title,
        kind=DocumentKind.AAR,
        language=language,
        area=Area.LEGACY,
        tlp=tlp,
        audience_kind=audience_kind,
        organisations=organisations,
        event=event,
        anonymous=True,
        description=description,
        publisher=event.lead_agency,
        date=event.ends_on,
    )


# -- lessons learned -----------------------------------------------------------------------


def lesson_submit(
    *,
    actor: Actor,
    title: str,
    observation: str,
    recommendation: str,
    area: str,
    language: str,
    discussion: str = "",
    event: MajorEvent | None = None,
    source_document: Document | None = None,
    tlp: str = TLP.GREEN,
    audience_kind: str = AudienceKind.COMMUNITY,
    organisations: Sequence[Any] = (),
    people: Sequence[Any] = (),
    exercise_report: Any = None,
) -> Lesson:
    if event is None and source_document is not None:
        event = source_document.event
    if not (event is not None and permissions.is_team_member(actor, event)):
        require(
            exercise_report is not None or permissions.can_contribute(actor),
            _("Only members of the major-events network, or the Secretariat, submit lessons."),
        )
    if source_document is not None:
        require(
            Document.objects.visible_to(actor).filter(pk=source_document.pk).exists(),
            _("You may not read that report."),
        )
    _choice(area, Area, "area", _("Planning-model area"))
    _choice(language, Language, "language", _("Language"))
    community = _audience(
        tlp=tlp, audience_kind=audience_kind, organisations=organisations, people=people
    )
    lesson = Lesson(
        title=_text(title, "title", _("Title"), limit=300),
        observation=_text(observation, "observation", _("Observation")),
        discussion=(discussion or "").strip(),
        recommendation=_text(recommendation, "recommendation", _("Recommendation")),
        area=area,
        language=language,
        event=event,
        source_document=source_document,
        source_exercise_report=exercise_report,
        tlp=tlp,
        audience_kind=audience_kind,
        community=community,
        originator=_user(actor),
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                audit.save(lesson, actor=actor)
        except IntegrityError as exc:
            raise KnowledgeError(
                KnowledgeErrorCode.DUPLICATE,
                _("This exercise's after-action report is already released."),
            ) from exc
        if organisations:
            audit.set_related(lesson, "audience_organisations", organisations, actor=actor)
        if people:
            audit.set_related(lesson, "audience_people", people, actor=actor)
    return lesson


def lesson_release_from_exercise(
    *, actor: Actor, report: Any, title: str, area: str, language: str
) -> Lesson:
    """The explicit release of an exercise's final after-action report to the knowledge
    base, by the exercise's director: a lesson (its areas for improvement as the
    observation, its improvement plan as the recommendation) waiting for validation, marked
    TLP:GREEN for the major-events network."""
    from cicte.exercises import permissions as exercise_permissions
    from cicte.exercises.models import ReportStatus

    require(
        exercise_permissions.can_finalize_report(actor, report.exercise),
        _("Only the exercise's director releases its after-action report."),
    )
    if report.status != ReportStatus.FINAL:
        raise KnowledgeError(
            KnowledgeErrorCode.STATE, _("Only a final after-action report can be released.")
        )
    actions = "\n".join(f"- {a.text}" for a in report.actions.all())
    return lesson_submit(
        actor=actor,
        title=title,
        observation=report.improvements or report.overview or report.exercise.title,
        discussion=report.strengths,
        recommendation=actions or report.improvements or report.overview or "—",
        area=area,
        language=language,
        exercise_report=report,
    )


def lesson_validate(*, actor: Actor, lesson: Lesson) -> Lesson:
    require(permissions.can_validate_lesson(actor), _("Only the Secretariat validates lessons."))
    with transaction.atomic():
        lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
        if lesson.status != LessonStatus.SUBMITTED:
            raise KnowledgeError(KnowledgeErrorCode.STATE, _("The lesson is already validated."))
        lesson.status = LessonStatus.VALIDATED
        lesson.validator = _user(actor)
        audit.save(lesson, actor=actor)
    return lesson


def lesson_publish(
    *,
    actor: Actor,
    lesson: Lesson,
    tlp: str | None = None,
    audience_kind: str | None = None,
    organisations: Sequence[Any] | None = None,
) -> Lesson:
    """Publish a validated lesson to the chosen audience (by default the one it was
    submitted with)."""
    require(permissions.can_validate_lesson(actor), _("Only the Secretariat publishes lessons."))
    with transaction.atomic():
        lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
        if lesson.status != LessonStatus.VALIDATED:
            raise KnowledgeError(
                KnowledgeErrorCode.STATE, _("Only a validated lesson can be published.")
            )
        if tlp is not None and audience_kind is not None:
            orgs = list(organisations or [])
            people = list(lesson.audience_people.all()) if audience_kind == "people" else []
            _audience(tlp=tlp, audience_kind=audience_kind, organisations=orgs, people=people)
            lesson.tlp, lesson.audience_kind = tlp, audience_kind
            audit.set_related(lesson, "audience_organisations", orgs, actor=actor)
            if audience_kind != "people":
                audit.set_related(lesson, "audience_people", [], actor=actor)
        lesson.status = LessonStatus.PUBLISHED
        lesson.published_at = timezone.now()
        audit.save(lesson, actor=actor)
    return lesson


def lesson_apply(
    *, actor: Actor, lesson: Lesson, note: str, event: MajorEvent | None = None
) -> LessonApplication:
    """A reader marks a lesson "applied" (with a note, and the event it was reused for)."""
    user = _user(actor)
    found = Lesson.objects.visible_to(actor).filter(pk=lesson.pk, status="published").first()
    if found is None:
        raise NotFound("not_found", _("No such lesson."))
    if event is not None and not MajorEvent.objects.visible_to(actor).filter(pk=event.pk).exists():
        raise NotFound("not_found", _("No such event."))
    application = LessonApplication(
        lesson=found, user=user, event=event, note=_text(note, "note", _("Note"), limit=5000)
    )
    with transaction.atomic():
        audit.save(application, actor=actor)
    return application


# -- subscriptions and view-as -------------------------------------------------------------


def subscription_add(*, actor: Actor, event_kind: str = "", country: Any = None) -> Subscription:
    user = _user(actor)
    if event_kind:
        _choice(event_kind, EventKind, "event_kind", _("Event type"))
    if not event_kind and country is None:
        raise KnowledgeError(
            KnowledgeErrorCode.INVALID, _("Choose an event type, a country or both.")
        )
    if Subscription.objects.filter(user=user, event_kind=event_kind, country=country).exists():
        raise KnowledgeError(KnowledgeErrorCode.DUPLICATE, _("You already follow this."))
    subscription = Subscription(user=user, event_kind=event_kind, country=country)
    with transaction.atomic():
        audit.save(subscription, actor=actor)
    return subscription


def subscription_remove(*, actor: Actor, subscription: Subscription) -> None:
    user = _user(actor)
    require(subscription.user_id == user.pk, _("This is not your subscription."))
    with transaction.atomic():
        audit.delete(subscription, actor=actor)


def view_as_start(*, actor: Actor, viewed: Any, label: str) -> ViewAsRecord:
    """An administrator starts a read-only "view as" (audited)."""
    require(permissions.can_view_as(actor), _("Only administrators may view as someone else."))
    record = ViewAsRecord(administrator=_user(actor), viewed=viewed, label=label[:200])
    with transaction.atomic():
        audit.save(record, actor=actor)
    return record
