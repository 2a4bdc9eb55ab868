"""Writes of the forum: threads, replies, attachments, moderation, release. Each service
checks its actor first, validates the marking and audience through the sharing layer,
writes through :mod:`cicte.core.audit` and refuses with an error (nothing written)."""

from __future__ import annotations

import uuid
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
    Thread,
    ThreadKind,
)
from cicte.forum.notifications import notify_new_post
from cicte.forum.text import fold, render_markdown
from cicte.sharing import services as sharing
from cicte.sharing.models import Community, SharingOrganisation
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
            _("Only PDF, DOCX, XLSX, PNG, JPEG, Markdown and plain-text files can be attached."),
            field="attachment",
        )
    extension, content_type = sniffed
    return extension, content_type, content, name


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
) -> Post:
    if not (body or "").strip():
        raise ForumError(ForumErrorCode.INVALID, _("Write a message."), field="body")
    checked = [_check_file(f) for f in files]  # every file is checked before any write
    post = Post(
        thread=thread,
        body=body,
        body_html=render_markdown(body),
        search_text=fold(body),
        tlp=tlp,
        audience_kind=audience_kind,
        community=thread.community,
        originator=actor,
        originator_organisation=sharing.originator_organisation(actor, thread.community),
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
    affected_sectors: str = "",
    affected_countries: str = "",
) -> Thread:
    """Open a thread (or an advisory, a question, a workshop) with its first post."""
    require(
        permissions.can_start_thread(actor, community),
        _("Only members of the community post in it."),
    )
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
        originator_organisation=sharing.originator_organisation(actor, community),
        summary=summary,
        recommendations=recommendations,
        affected_sectors=affected_sectors,
        affected_countries=affected_countries,
        search_text=fold(" ".join([title, summary, recommendations])),
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
) -> Thread:
    """The originator releases an item into another community: a new thread with its own
    audience; the original keeps its audience and stays invisible there."""
    require(permissions.can_release(actor, thread, community), _("Only the originator releases."))
    first = thread.posts.order_by("created_at", "id").first()
    released = thread_create(
        actor=actor,
        community=community,
        title=thread.title,
        body=first.body if first else thread.title,
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
def preference_set(*, actor: Actor, frequency: str) -> NotificationPreference:
    user = actor_user(actor)
    require(user is not None, _("Sign in first."))
    if frequency not in Frequency.values:
        raise ForumError(ForumErrorCode.INVALID, _("Choose how often."), field="frequency")
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )
    preference.frequency = frequency
    audit.save(preference, actor=actor)
    return preference
