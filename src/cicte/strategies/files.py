"""What an archived copy is, judged by its content: PDF and DOCX through
:func:`cicte.core.files.sniff_document`, plus ODT (an OpenDocument ZIP whose ``mimetype``
member says so) and HTML (UTF-8 text that starts like a web page). Everything else —
images, spreadsheets, executables, plain text — is refused. Pure: no models."""

from __future__ import annotations

import io
import zipfile

from cicte.core.files import sniff_document

ODT_TYPE = "application/vnd.oasis.opendocument.text"
ACCEPTED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": ODT_TYPE,
    "html": "text/html",
}
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<!--")


def sniff_archive(content: bytes) -> tuple[str, str] | None:
    """(extension, content type) of an accepted archived copy, or None."""
    if not content:
        return None
    found = sniff_document(content[:16], io.BytesIO(content))
    if found is not None:
        return found if found[0] in ("pdf", "docx") else None
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if archive.read("mimetype").strip() == ODT_TYPE.encode():
                    return "odt", ODT_TYPE
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return None
        return None
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_HTML_STARTS) and b"\x00" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "html", "text/html"
    return None
