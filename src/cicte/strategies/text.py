"""Text of an archived copy, for search: PDF through pypdf, DOCX through python-docx, ODT
from its ``content.xml`` (defusedxml), HTML through the standard library's parser. A file
whose text cannot be read gives "" (the entry stays findable by its metadata). Pure: no
models."""

from __future__ import annotations

import io
import logging
import zipfile
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

MAX_TEXT = 500_000  # characters kept for the index


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(content: bytes) -> str:
    parser = _TextOf()
    parser.feed(content.decode("utf-8", errors="replace"))
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_TEXT:
            break
    return " ".join(" ".join(parts).split())


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    return " ".join(" ".join(p.text for p in document.paragraphs).split())


def odt_text(content: bytes) -> str:
    from defusedxml import ElementTree

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    return " ".join(" ".join(root.itertext()).split())


_READERS = {"pdf": pdf_text, "docx": docx_text, "odt": odt_text, "html": html_text}


def extract_text(extension: str, content: bytes) -> str:
    reader = _READERS.get(extension)
    if reader is None:
        return ""
    try:
        return reader(content)[:MAX_TEXT]
    except Exception:  # a damaged file: findable by its metadata only
        logger.warning("could not read the text of a %s archived copy", extension, exc_info=True)
        return ""
