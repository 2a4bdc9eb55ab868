"""Writes of the forum: threads, replies, attachments, moderation, release. Each service
checks its actor first, validates the marking and audience through the sharing layer,
writes through :mod:`cicte.core.audit` and refuses with an error (nothing written)."""

from __future__ import annotations

import hashlib
import hmac
import io
import uuid
import zipfile
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import ApplicationError, NotFound, require
from cicte.core.files import sniff_document
from cicte.core.types import Actor, actor_user
from cicte.forum import permissions
from cicte.forum.models import (
    Attachment,
    Frequency,
    NotificationPreference,
    Post,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    Thread,
    ThreadKind,
)
from cicte.forum.notifications import notify_new_post
from cicte.forum.scrub import ScrubError, scrub
from cicte.forum.text import render_markdown
from cicte.sharing import permissions as sharing_permissions
from cicte.sharing import services as sharing
from cicte.sharing.models import Community, Sector, SharingOrganisation
from cicte.sharing.services import _notify


class ForumErrorCode(StrEnum):
    INVALID = "invalid"
    LOCKED = "locked"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    EVENT_REQUIRED = "event_required"


class ForumError(ApplicationError):
    pass


#: What may be attached besides PDF, DOCX, XLSX, PNG and JPEG (sniffed by content).
TEXT_EXTENSIONS = {"md": "text/markdown", "txt": "text/plain"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "CICTE_FORUM_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def _visible_thread(actor: Actor, thread: Thread) -> Thread:
    """The thread as ``actor`` may read it; a thread they may not read does not exist."""
    found = Thread.objects.visible_to(actor).filter(pk=thread.pk, hidden=False).first()
    if found is None:
        raise NotFound("not_found", _("No such thread."))
    return found


def _check_file(uploaded: Any) -> tuple[str, str, bytes, str]:
    size = int(getattr(uploaded, "size", 0) or 0)
    limit = max_upload_bytes()
    if size > limit:
        raise ForumError(
            ForumErrorCode.FILE_TOO_LARGE,
            _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            field="attachment",
        )
    uploaded.seek(0)
    content = uploaded.read()
    if not content:
        raise ForumError(ForumErrorCode.FILE_TYPE, _("The file is empty."), field="attachment")
    name = (getattr(uploaded, "name", "") or "file").replace("\\", "/").split("/")[-1][:255]
    uploaded.seek(0)
    sniffed = sniff_document(content[:16], uploaded)
    if sniffed is None and content.startswith(b"PK\x03\x04"):
        sniffed = _sniff_odt(content)
    if sniffed is None:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension in TEXT_EXTENSIONS and b"\x00" not in content:
            try:
                content.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                sniffed = (extension, TEXT_EXTENSIONS[extension])
    if sniffed is None:
        raise ForumError(
            ForumErrorCode.FILE_TYPE,
            _(
                "Only PDF, DOCX, XLSX, ODT, PNG, JPEG, Markdown and plain-text files can be "
                "attached."
            ),
            field="attachment",
        )
    extension, content_type = sniffed
    return extension, content_type, content, name


ODT_TYPE = "application/vnd.oasis.opendocument.text"


def _sniff_odt(content: bytes) -> tuple[str, str] | None:
    """An OpenDocument text: a zip whose first member, ``mimetype``, says so."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            first = archive.infolist()[0] if archive.infolist() else None
            if first is None or first.filename != "mimetype":
                return None
            if archive.read("mimetype").strip() != ODT_TYPE.encode():
                return None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return "odt", ODT_TYPE


def _attach(actor: Actor, post: Post, checked: tuple[str, str, bytes, str]) -> Attachment:
    extension, content_type, content, name = checked
    attachment = Attachment(
        post=post, original_name=name, content_type=content_type, size=len(content)
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    audit.save(attachment, actor=actor)
    return attachment


def _post_save(
    *,
    actor: Actor,
    thread: Thread,
    body: str,
    tlp: str,
    audience_kind: str,
    organisations: Sequence[SharingOrganisation],
    people: Sequence[Any],
    files: Sequence[Any],
    as_host: bool = False,
) -> Post:
    if not (body or "").strip():
        raise ForumError(ForumErrorCode.INVALID, _("Write a message."), field="body")
    # every file is checked before any write (files of a submission were checked and
    # scrubbed when it was submitted)
    checked = [f if isinstance(f, tuple) else _check_file(f) for f in files]
    post = Post(
        thread=thread,
        body=body,
        body_html=render_markdown(body),
        tlp=tlp,
        audience_kind=audience_kind,
        community=thread.community,
        originator=actor,
        originator_organisation=thread.community.host
        if as_host
        else sharing.originator_organisation(actor, thread.community),
    )
    audit.save(post, actor=actor)
    sharing.audience_set(post, actor=actor, organisations=organisations, people=people)
    for item in checked:
        _attach(actor, post, item)
    return post


@transaction.atomic
def thread_create(
    *,
    actor: Actor,
    community: Community,
    title: str,
    body: str,
    tlp: str,
    audience_kind: str,
    organisations: Sequence[SharingOrganisation] = (),
    people: Sequence[Any] = (),
    pap: str = "",
    kind: str = ThreadKind.DISCUSSION,
    category: str = "other",
    language: str = "en",
    event: Any = None,
    files: Sequence[Any] = (),
    summary: str = "",
    recommendations: str = "",
    affected_sectors: str | Sequence[str] = "",
    affected_countries: str | Sequence[str] = "",
    as_host: bool = False,
) -> Thread:
    """Open a thread (or an advisory, a question, a workshop) with its first post.
    ``as_host``: the host publishes an anonymous submission under its own name."""
    if as_host:
        require(
            sharing_permissions.can_review_submissions(actor, community),
            _("Only the community's host publishes submissions."),
        )
    else:
        require(
            permissions.can_start_thread(actor, community),
            _("Only members of the community post in it."),
        )
    affected_sectors = sector_codes(affected_sectors)
    affected_countries = country_codes(affected_countries)
    title = (title or "").strip()
    if not title:
        raise ForumError(ForumErrorCode.INVALID, _("Give the thread a title."), field="title")
    sharing.audience_check(
        tlp=tlp,
        kind=audience_kind,
        community=community,
        organisations=organisations,
        people=people,
    )
    if kind == ThreadKind.WORKSHOP and event is None:
        raise ForumError(
            ForumErrorCode.EVENT_REQUIRED,
            _("A workshop or symposium thread links its delivery event."),
            field="event",
        )
    thread = Thread(
        community=community,
        title=title[:200],
        kind=kind,
        category=category,
        language=language,
        event=event if kind == ThreadKind.WORKSHOP else None,
        tlp=tlp,
        pap=pap,
        audience_kind=audience_kind,
        originator=actor,
        originator_organisation=community.host
        if as_host
        else sharing.originator_organisation(actor, community),
        published_by_host=as_host,
        summary=summary,
        recommendations=recommendations,
        affected_sectors=affected_sectors,
        affected_countries=affected_countries,
    )
    audit.save(thread, actor=actor)
    sharing.audience_set(thread, actor=actor, organisations=organisations, people=people)
    _post_save(
        actor=actor,
        thread=thread,
        body=body,
        tlp=tlp,
        audience_kind=audience_kind,
        organisations=organisations,
        people=people,
        files=files,
        as_host=as_host,
    )
    transaction.on_commit(lambda: notify_new_post(thread.pk))
    return thread


@transaction.atomic
def post_create(
    *,
    actor: Actor,
    thread: Thread,
    body: str,
    tlp: str | None = None,
    audience_kind: str | None = None,
    organisations: Sequence[SharingOrganisation] | None = None,
    people: Sequence[Any] = (),
    files: Sequence[Any] = (),
) -> Post:
    """Reply: the reply inherits the thread's marking and audience, or narrows them."""
    thread = _visible_thread(actor, thread)
    require(permissions.can_reply(actor, thread), _("This thread does not take replies."))
    if tlp is None:
        tlp = thread.tlp
    if audience_kind is None:
        audience_kind = thread.audience_kind
    # Inheriting the thread's audience includes the thread's originator (and, below RED,
    # their organisation): a reply reaches everyone who reads the thread.
    if organisations is None:
        organisations = []
        if audience_kind == thread.audience_kind == "organisations":
            organisations = list(thread.audience_organisations.all())
            origin = thread.originator_organisation
            if origin is not None and origin not in organisations:
                organisations.append(origin)
    if audience_kind == thread.audience_kind == "people" and not people:
        people = list(thread.audience_people.all())
        if thread.originator not in people:
            people.append(thread.originator)
    sharing.audience_check(
        tlp=tlp,
        kind=audience_kind,
        community=thread.community,
        organisations=organisations,
        people=people,
    )
    sharing.narrows(thread, tlp=tlp, kind=audience_kind, organisations=organisations, people=people)
    post = _post_save(
        actor=actor,
        thread=thread,
        body=body,
        tlp=tlp,
        audience_kind=audience_kind,
        organisations=organisations,
        people=people,
        files=files,
    )
    audit.save(thread, actor=actor, reason="reply")  # moves it up the lists
    transaction.on_commit(lambda: notify_new_post(thread.pk, post_pk=post.pk))
    return post


@transaction.atomic
def thread_moderate(
    *, actor: Actor, thread: Thread, locked: bool, hidden: bool, reason: str
) -> Thread:
    """Lock or hide a thread with a reason; the originator is told."""
    require(permissions.can_moderate(actor, thread), _("Only moderators do this."))
    reason = (reason or "").strip()
    if (hidden or locked) and not reason:
        raise ForumError(ForumErrorCode.INVALID, _("Give the reason."), field="reason")
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.locked = locked
    thread.hidden = hidden
    thread.moderation_reason = reason
    audit.save(thread, actor=actor, reason="moderated")
    _notify(
        thread.originator,
        _("A moderator changed your thread"),
        _("Thread %(id)s: locked=%(locked)s, hidden=%(hidden)s. Reason: %(reason)s")
        % {"id": thread.pk, "locked": locked, "hidden": hidden, "reason": reason},
        tlp=thread.tlp,
    )
    return thread


@transaction.atomic
def thread_release(
    *,
    actor: Actor,
    thread: Thread,
    community: Community,
    tlp: str,
    audience_kind: str,
    organisations: Sequence[SharingOrganisation] = (),
    people: Sequence[Any] = (),
    title: str = "",
    body: str = "",
) -> Thread:
    """The originator releases an item into another community: a new thread with its own
    audience (and, if given, a reworded title and text for the wider audience); the
    original keeps its audience and stays invisible there."""
    require(permissions.can_release(actor, thread, community), _("Only the originator releases."))
    first = thread.posts.order_by("created_at", "id").first()
    released = thread_create(
        actor=actor,
        community=community,
        title=title.strip() or thread.title,
        body=body.strip() or (first.body if first else thread.title),
        tlp=tlp,
        audience_kind=audience_kind,
        organisations=organisations,
        people=people,
        pap=thread.pap,
        kind=thread.kind if thread.kind != ThreadKind.WORKSHOP else ThreadKind.DISCUSSION,
        category=thread.category,
        language=thread.language,
        summary=thread.summary,
        recommendations=thread.recommendations,
        affected_sectors=thread.affected_sectors,
        affected_countries=thread.affected_countries,
    )
    released.released_from = thread
    audit.save(released, actor=actor, reason="released")
    return released


@transaction.atomic
def preference_set(
    *, actor: Actor, frequency: str, sectors: Sequence[str] | None = None
) -> NotificationPreference:
    user = actor_user(actor)
    require(user is not None, _("Sign in first."))
    if frequency not in Frequency.values:
        raise ForumError(ForumErrorCode.INVALID, _("Choose how often."), field="frequency")
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )
    preference.frequency = frequency
    if sectors is not None:
        try:
            preference.sectors = sector_codes(sectors)
        except ForumError as exc:
            raise ForumError(exc.code, exc.message, field="sectors") from None
    audit.save(preference, actor=actor)
    return preference


# --- advisories: sectors and countries ----------------------------------------------------


def _codes(value: str | Sequence[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return list(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def sector_codes(value: str | Sequence[str]) -> str:
    """Affected sectors as the directory's sector codes (``finance,energy``)."""
    codes = [c.lower() for c in _codes(value)]
    unknown = [c for c in codes if c not in Sector.values]
    if unknown:
        raise ForumError(
            ForumErrorCode.INVALID,
            _("Unknown sector: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="affected_sectors",
        )
    return ",".join(codes)


def country_codes(value: str | Sequence[str]) -> str:
    """Affected countries as ISO 3166 alpha-3 codes of member states (``PAN,CRI``)."""
    from cicte.directory.models import MemberState

    codes = [c.upper() for c in _codes(value)]
    known = set(MemberState.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ForumError(
            ForumErrorCode.INVALID,
            _("Unknown country code: %(codes)s (use ISO 3166 alpha-3, e.g. PAN).")
            % {"codes": ", ".join(unknown)},
            field="affected_countries",
        )
    return ",".join(codes)


# --- questions ------------------------------------------------------------------------------


@transaction.atomic
def question_close(*, actor: Actor, thread: Thread, closed: bool = True) -> Thread:
    """The originator of a question (or a moderator) closes it: no more answers."""
    thread = _visible_thread(actor, thread)
    require(
        thread.kind == ThreadKind.QUESTION
        and (permissions.is_originator(actor, thread) or permissions.can_moderate(actor, thread)),
        _("Only the originator of a question closes it."),
    )
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.closed = closed
    audit.save(thread, actor=actor, reason="closed" if closed else "reopened")
    return thread


# --- re-share requests (the originator decides) ----------------------------------------------


@transaction.atomic
def reshare_accept(*, actor: Actor, request: Any, **audience: Any) -> Thread:
    """Accept a request to share a thread more widely: the thread and the originator's own
    messages that had its audience are widened (validated, audited); the requester is
    told. Replies of others keep their audiences (only their originators can widen them)."""
    before = Thread.objects.filter(pk=request.item_id).first()
    if before is None or request.item_type != "forum.thread":
        raise NotFound("not_found", _("No such thread."))
    old = (before.tlp, before.audience_kind, _audience_ids(before))
    _request, thread = sharing.reshare_accept(actor=actor, request=request, **audience)
    assert isinstance(thread, Thread)
    organisations = list(thread.audience_organisations.all())
    people = list(thread.audience_people.all())
    for post in thread.posts.filter(originator_id=thread.originator_id):
        if (post.tlp, post.audience_kind, _audience_ids(post)) == old:
            sharing.widen(
                actor=actor,
                item=post,
                tlp=thread.tlp,
                audience_kind=thread.audience_kind,
                organisations=organisations,
                people=people,
                reason=f"widened with thread {thread.pk}",
            )
    return thread


def _audience_ids(item: Any) -> tuple[frozenset[int], frozenset[int]]:
    return (
        frozenset(item.audience_organisations.values_list("pk", flat=True)),
        frozenset(item.audience_people.values_list("pk", flat=True)),
    )


# --- break-glass removal of any item (threads, posts, attachments) ----------------------------


@transaction.atomic
def attachment_remove(*, actor: Actor, attachment: Attachment, reason: str) -> Any:
    """An administrator removes one attachment (the post stays): the same audited,
    notified removal as for threads and posts."""
    require(sharing_permissions.can_remove(actor), _("Only administrators remove items."))
    reason = (reason or "").strip()
    if not reason:
        raise ForumError(ForumErrorCode.INVALID, _("Give the reason."), field="reason")
    post = attachment.post
    removal = sharing.record_removal(
        actor=actor, item=post, reason=reason, item_type="forum.attachment", item_id=attachment.pk
    )
    attachment.file.delete(save=False)
    audit.delete(attachment, actor=actor, reason="break-glass removal")
    return removal


# --- anonymous submission through the host ----------------------------------------------------


def submitter_digest(user: Any) -> str:
    """A keyed digest of the submitter: lets them (and only code holding the secret key)
    find their submissions after the host's decision cut the link."""
    key = ("cicte.forum.submission:" + settings.SECRET_KEY).encode()
    return hmac.new(key, str(user.pk).encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def submission_create(
    *,
    actor: Actor,
    community: Community,
    title: str,
    body: str,
    kind: str = ThreadKind.ADVISORY,
    category: str = "other",
    language: str = "en",
    summary: str = "",
    recommendations: str = "",
    affected_sectors: str | Sequence[str] = "",
    affected_countries: str | Sequence[str] = "",
    files: Sequence[Any] = (),
) -> Submission:
    """A member submits something anonymously to the community's host (the Secretariat),
    which reviews it and may publish it under its own name. The files' metadata is
    stripped now and their names replaced; the history never names the submitter."""
    user = actor_user(actor)
    require(
        user is not None and sharing_permissions.is_member(actor, community),
        _("Only members of the community submit to it."),
    )
    assert user is not None
    if community.host_id is None:
        raise ForumError(
            ForumErrorCode.INVALID,
            _("This community has no host to publish anonymous submissions."),
            field="community",
        )
    title = (title or "").strip()
    if not title:
        raise ForumError(ForumErrorCode.INVALID, _("Give the submission a title."), field="title")
    if not (body or "").strip():
        raise ForumError(ForumErrorCode.INVALID, _("Write a message."), field="body")
    if kind not in {ThreadKind.ADVISORY, ThreadKind.DISCUSSION, ThreadKind.QUESTION}:
        raise ForumError(ForumErrorCode.INVALID, _("Choose a kind."), field="kind")
    cleaned = []
    for index, upload in enumerate(files, start=1):
        extension, content_type, content, _name = _check_file(upload)
        try:
            content = scrub(content, extension)
        except ScrubError:
            raise ForumError(
                ForumErrorCode.FILE_TYPE,
                _("The file could not be read to remove its metadata; it was not kept."),
                field="attachment",
            ) from None
        cleaned.append((extension, content_type, content, f"attachment-{index}.{extension}"))
    submission = Submission(
        community=community,
        submitter=user,
        submitter_digest=submitter_digest(user),
        title=title[:200],
        body=body,
        kind=kind,
        category=category,
        language=language,
        summary=summary,
        recommendations=recommendations,
        affected_sectors=sector_codes(affected_sectors),
        affected_countries=country_codes(affected_countries),
    )
    submission._history_user = None  # type: ignore[attr-defined]  # never the submitter
    submission.save()
    for extension, content_type, content, name in cleaned:
        item = SubmissionFile(
            submission=submission, name=name, content_type=content_type, size=len(content)
        )
        item.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=True)
    return submission


def _pending(actor: Actor, submission: Submission) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    require(
        sharing_permissions.can_review_submissions(actor, submission.community),
        _("Only the community's host reviews submissions."),
    )
    if submission.status != SubmissionStatus.PENDING:
        raise ForumError(ForumErrorCode.INVALID, _("This submission was already decided."))
    return submission


@transaction.atomic
def submission_publish(
    *,
    actor: Actor,
    submission: Submission,
    tlp: str,
    audience_kind: str,
    organisations: Sequence[SharingOrganisation] = (),
    people: Sequence[Any] = (),
    pap: str = "",
    title: str | None = None,
    body: str | None = None,
) -> Thread:
    """The host publishes a submission under its own name (the originator is the host's
    reviewer, the organisation the host); the link to the submitter is cut."""
    submission = _pending(actor, submission)
    files = [
        (f.name.rsplit(".", 1)[-1], f.content_type, f.file.open("rb").read(), f.name)
        for f in submission.files.all()
    ]
    thread = thread_create(
        actor=actor,
        community=submission.community,
        title=title if title is not None else submission.title,
        body=body if body is not None else submission.body,
        tlp=tlp,
        audience_kind=audience_kind,
        organisations=organisations,
        people=people,
        pap=pap,
        kind=submission.kind,
        category=submission.category,
        language=submission.language,
        files=files,
        summary=submission.summary,
        recommendations=submission.recommendations,
        affected_sectors=submission.affected_sectors,
        affected_countries=submission.affected_countries,
        as_host=True,
    )
    _decide(actor, submission, SubmissionStatus.PUBLISHED, thread=thread)
    return thread


@transaction.atomic
def submission_decline(*, actor: Actor, submission: Submission, reason: str) -> Submission:
    submission = _pending(actor, submission)
    submission.decision_reason = (reason or "").strip()
    return _decide(actor, submission, SubmissionStatus.DECLINED)


def _decide(
    actor: Actor, submission: Submission, status: str, *, thread: Thread | None = None
) -> Submission:
    for item in submission.files.all():
        item.file.delete(save=False)
    submission.files.all().delete()
    submission.status = status
    submission.thread = thread
    submission.submitter = None  # the link is cut; only the keyed digest remains
    audit.save(submission, actor=actor, reason=status)
    return submission
