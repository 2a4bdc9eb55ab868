"""Writes of event attachments: add (type-checked by content, size-capped) and delete."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cicte.core import audit
from cicte.core.errors import require
from cicte.core.files import sniff_document
from cicte.core.types import Actor, actor_user
from cicte.delivery import guards, permissions
from cicte.delivery.models import Attachment, AttachmentKind, Event
from cicte.delivery.rules import Problem
from cicte.delivery.services.events import EventValidationError


@transaction.atomic
def attachment_add(
    *, actor: Actor, event: Event, kind: str, uploaded_file: UploadedFile
) -> Attachment:
    """Attach a PDF, DOCX, XLSX, PNG or JPEG (checked by content, not by name)."""
    require(permissions.can_edit_event(actor, event), _("You may not edit this event."))
    guards.check_saved(event)
    limit = settings.CICTE_MAX_UPLOAD_BYTES
    size = uploaded_file.size or 0
    if size > limit:
        raise EventValidationError(
            [
                Problem(
                    "file",
                    "too_large",
                    f"the file is {size:,} bytes; the limit is {limit:,} bytes",
                )
            ]
        )
    if size == 0:
        raise EventValidationError([Problem("file", "empty", "the file is empty")])
    if kind not in AttachmentKind.values:
        raise EventValidationError([Problem("kind", "invalid_choice", f"unknown kind {kind!r}")])
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    sniffed = sniff_document(head, uploaded_file)
    if sniffed is None:
        raise EventValidationError(
            [
                Problem(
                    "file",
                    "file_type",
                    "only PDF, Word (DOCX), Excel (XLSX), PNG and JPEG files can be attached",
                )
            ]
        )
    extension, content_type = sniffed
    uploaded_file.seek(0)
    original = (uploaded_file.name or f"document.{extension}").replace("\\", "/").split("/")[-1]
    attachment = Attachment(
        event=event,
        kind=kind,
        original_name=original[:255],
        content_type=content_type,
        size=size,
        uploaded_by=actor_user(actor),
    )
    attachment.file.save(
        f"{uuid.uuid4().hex}.{extension}", ContentFile(uploaded_file.read()), save=False
    )
    audit.save(attachment, actor=actor)
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment: Attachment) -> None:
    """Delete an attachment; its file is kept while history refers to it (restorable)."""
    require(permissions.can_edit_event(actor, attachment.event), _("You may not edit this event."))
    guards.check_saved(attachment.event)
    audit.delete(attachment, actor=actor)
