"""What a file is, judged by its content (never by its name or the browser's word).

Pure: no Django models, no other app. Every module that accepts uploads (event attachments,
and the modules' documents) asks :func:`sniff_document`.
"""

from __future__ import annotations

import zipfile
from typing import Any

_OOXML = {
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def sniff_document(head: bytes, file: Any) -> tuple[str, str] | None:
    """(extension, content type) judged by the content, or None when not accepted."""
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        for member, result in _OOXML.items():
            if member in names:
                return result
    return None
