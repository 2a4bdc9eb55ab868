"""Library files: what a file is (by its content: PDF, DOCX, ODT, HTML — the strategies
archive's allow-list), its text for search, and the metadata stripped from a document
submitted anonymously. Pure: no models."""

from __future__ import annotations

import io
import zipfile

from cicte.strategies.files import ACCEPTED, sniff_archive
from cicte.strategies.text import extract_text

__all__ = ["ACCEPTED", "MetadataError", "extract", "sniff", "strip_metadata"]


class MetadataError(Exception):
    """The file's metadata could not be removed (the upload is refused)."""


def sniff(content: bytes) -> tuple[str, str] | None:
    """(extension, content type) of an accepted file, or None."""
    return sniff_archive(content)


def extract(extension: str, content: bytes) -> str:
    """The file's text ("" when none could be read)."""
    return extract_text(extension, content)


def _strip_pdf(content: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(content))
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # the document information dictionary
    if "/Metadata" in writer._root_object:  # the XMP stream
        del writer._root_object["/Metadata"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_CORE_FIELDS = (
    "author",
    "category",
    "comments",
    "content_status",
    "identifier",
    "keywords",
    "last_modified_by",
    "subject",
    "title",
    "version",
)


def _strip_docx(content: bytes) -> bytes:
    from docx import Document

    document = Document(io.BytesIO(content))
    core = document.core_properties
    for name in _CORE_FIELDS:
        setattr(core, name, "")
    core.revision = 1
    out = io.BytesIO()
    document.save(out)
    # The extended properties (docProps/app.xml: company, manager, application) go too.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    cleaned = io.BytesIO()
    with zipfile.ZipFile(cleaned, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = (
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/extended-properties"/>'
                )
            target.writestr(item, data)
    return cleaned.getvalue()


def _strip_odt(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    cleaned = io.BytesIO()
    with zipfile.ZipFile(cleaned, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "meta.xml":
                data = (
                    b'<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
                    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                    b'office:version="1.2"><office:meta/></office:document-meta>'
                )
            compress = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(item, data, compress_type=compress)
    return cleaned.getvalue()


def strip_metadata(extension: str, content: bytes) -> bytes:
    """``content`` without its author and editing metadata (PDF info + XMP, DOCX core and
    extended properties, ODT meta.xml); HTML is kept as it is."""
    try:
        if extension == "pdf":
            return _strip_pdf(content)
        if extension == "docx":
            return _strip_docx(content)
        if extension == "odt":
            return _strip_odt(content)
    except Exception as exc:  # a damaged file: refuse rather than publish its metadata
        raise MetadataError(str(exc)) from exc
    return content
