"""Strip identifying metadata from the files of anonymous submissions. Pure: no models.

What is removed, per type (the content itself is kept):

- **PDF** (pypdf): the document information dictionary (author, creator, producer, dates),
  the XMP metadata stream of the document and of every page, and ``/PieceInfo``; the file
  is rewritten, so incremental-update history goes too.
- **DOCX / XLSX** (the zip rewritten): ``docProps/core.xml``, ``app.xml`` and ``custom.xml``
  replaced by empty properties; the authors and initials of comments and tracked changes
  (``w:author``, ``w:initials``, spreadsheet comment ``<author>``), the people of threaded
  comments (``people.xml``, ``persons/person.xml``) blanked.
- **ODT**: ``meta.xml`` replaced by empty metadata; ``dc:creator`` and ``dc:date`` of
  annotations and tracked changes blanked.
- **PNG**: every ancillary chunk except those that change how the image looks (text,
  ``eXIf``, ``tIME``, ``iCCP`` profile names… are dropped).
- **JPEG**: every APP1–APP15 segment except Adobe's colour marker (EXIF, XMP, IPTC,
  thumbnails, GPS), and comments.
- Markdown and plain text carry no metadata.

:class:`ScrubError` when a file cannot be read (the submission is refused, nothing kept).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile


class ScrubError(ValueError):
    pass


def scrub(content: bytes, extension: str) -> bytes:
    """``content`` without its identifying metadata (see the module's docstring)."""
    handler = _HANDLERS.get(extension)
    if handler is None:
        return content
    try:
        return handler(content)
    except ScrubError:
        raise
    except Exception as exc:  # a damaged file: refuse rather than keep its metadata
        raise ScrubError(str(exc) or type(exc).__name__) from exc


def _pdf(content: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        raise ScrubError("encrypted PDF")
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None
    root = writer._root_object
    for key in ("/Metadata", "/PieceInfo"):
        if NameObject(key) in root:
            del root[NameObject(key)]
    for page in writer.pages:
        for key in ("/Metadata", "/PieceInfo"):
            if NameObject(key) in page:
                del page[NameObject(key)]
    # Objects no longer referenced (the old metadata streams) are not written.
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties"/>'
)
_EMPTY_ODF_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'office:version="1.2"><office:meta/></office:document-meta>'
)

_PERSON_ATTRIBUTES = re.compile(
    rb'\b((?:w|w15|w16cid|w16cex)?:?(?:author|initials|userId|providerId|displayName))="[^"]*"'
)
_XLSX_AUTHOR = re.compile(rb"<author>[^<]*</author>")
_ODF_PERSON = re.compile(rb"<dc:(creator|date)>[^<]*</dc:\1>")


def _rewrite_zip(content: bytes, replace: dict[str, bytes], scrub_member: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = replace.get(info.filename)
            if data is None:
                data = source.read(info.filename)
                if callable(scrub_member):
                    data = scrub_member(info.filename, data)
            clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            clean.compress_type = info.compress_type
            clean.external_attr = info.external_attr
            target.writestr(clean, data)
    return out.getvalue()


def _ooxml(content: bytes) -> bytes:
    def member(name: str, data: bytes) -> bytes:
        if not name.endswith(".xml"):
            return data
        if name.endswith(("people.xml", "person.xml")) or "/persons/" in name:
            return _PERSON_ATTRIBUTES.sub(rb'\1=""', data)
        if name.startswith("word/"):
            return _PERSON_ATTRIBUTES.sub(rb'\1=""', data)
        if name.startswith("xl/") and "comments" in name:
            return _XLSX_AUTHOR.sub(b"<author></author>", data)
        return data

    names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    replace = {
        name: body
        for name, body in (
            ("docProps/core.xml", _EMPTY_CORE),
            ("docProps/app.xml", _EMPTY_APP),
            ("docProps/custom.xml", _EMPTY_CUSTOM),
        )
        if name in names
    }
    return _rewrite_zip(content, replace, member)


def _odf(content: bytes) -> bytes:
    def member(name: str, data: bytes) -> bytes:
        if name.endswith(".xml"):
            return _ODF_PERSON.sub(rb"<dc:\1/>", data)
        return data

    names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    replace = {"meta.xml": _EMPTY_ODF_META} if "meta.xml" in names else {}
    return _rewrite_zip(content, replace, member)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Ancillary chunks that change how the image is shown (kept); every other one is dropped.
_PNG_KEEP = {b"PLTE", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"}


def _png(content: bytes) -> bytes:
    if not content.startswith(_PNG_SIGNATURE):
        raise ScrubError("not a PNG")
    out = [_PNG_SIGNATURE]
    i = len(_PNG_SIGNATURE)
    while i + 8 <= len(content):
        (length,) = struct.unpack(">I", content[i : i + 4])
        kind = content[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(content):
            raise ScrubError("truncated PNG")
        critical = kind[:1].isupper()
        if critical or kind in _PNG_KEEP:
            out.append(content[i:end])
        i = end
        if kind == b"IEND":
            break
    return b"".join(out)


def _jpeg(content: bytes) -> bytes:
    if not content.startswith(b"\xff\xd8"):
        raise ScrubError("not a JPEG")
    out = [b"\xff\xd8"]
    i = 2
    while i + 4 <= len(content):
        if content[i] != 0xFF:
            raise ScrubError("damaged JPEG")
        marker = content[i + 1]
        if marker == 0xD9:  # end of image
            out.append(content[i : i + 2])
            break
        (length,) = struct.unpack(">H", content[i + 2 : i + 4])
        segment = content[i : i + 2 + length]
        if marker == 0xDA:  # start of scan: the image data follows, copied as it is
            out.append(content[i:])
            break
        is_app = 0xE1 <= marker <= 0xEF
        adobe = marker == 0xEE and segment[4:9] == b"Adobe"
        if (is_app and not adobe) or marker == 0xFE:  # APP1–APP15, comments
            i += 2 + length
            continue
        if marker == 0xE0 and segment[4:9] != b"JFIF\x00":
            i += 2 + length  # APP0 other than JFIF (JFXX thumbnails)
            continue
        out.append(segment)
        i += 2 + length
    return b"".join(out)


_HANDLERS = {
    "pdf": _pdf,
    "docx": _ooxml,
    "xlsx": _ooxml,
    "odt": _odf,
    "png": _png,
    "jpg": _jpeg,
}
