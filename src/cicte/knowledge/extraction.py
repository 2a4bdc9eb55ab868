"""The text of a document's version, read by the background job (``tasks.extract_document``)
after the upload's transaction: stored on the document (and so indexed with it); a file
whose text cannot be read is kept, flagged and still downloadable by its audience."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from cicte.core import audit
from cicte.knowledge import files
from cicte.knowledge.models import Document, Extraction


def document_extract(*, document_id: int, number: int) -> str:
    """Read the text of a document's version (the background job's work): stored on the
    document and indexed with it; a file whose text cannot be read is kept and flagged."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return "gone"
        version = document.versions.filter(number=number).first()
        latest = document.versions.aggregate(n=Max("number"))["n"]
        if version is None or version.number != latest:
            return "superseded"
        with version.file.open("rb") as handle:
            content = handle.read()
        text = files.extract(version.extension, content)
        document.extracted_text = text
        document.extraction = Extraction.DONE if text.strip() else Extraction.FAILED
        audit.save(document, actor=None, reason="text extraction")
    return document.extraction
