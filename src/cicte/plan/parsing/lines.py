"""Line-level helpers shared by the text-layout parsers.

The input is text extracted from a PDF: numbered lines, tab-separated table cells, page
headers repeated at every page break, and the odd HTML fragment. These helpers keep the
line numbers (1-based, counted the way an editor counts them) so that every error and
warning can point at the offending line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    text: str


def split_lines(text: str) -> list[Line]:
    """Split on ``\\n``, ``\\r\\n`` and ``\\r``, numbering from 1 as an editor does.

    Form feeds (page breaks from ``pdftotext``) are dropped: they are not line breaks.
    """
    unified = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "")
    return [Line(number, raw) for number, raw in enumerate(unified.split("\n"), start=1)]


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (tabs, non-breaking spaces, form feeds) to one space."""
    return " ".join(text.split())


def is_upper_title(text: str) -> bool:
    """True for headings written in capitals ("A. MARITIME SECURITY", "PARTNERSHIPS")."""
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and not any(char.islower() for char in letters)


_SECTION_RE = re.compile(r"^\**\s*SECTION\s+(II|I|2|1)(?![IVX\d])\s*\.?\s*(?P<rest>.*?)\s*\**\s*$")
_TABLE_HEADER_RE = re.compile(
    r"^\s*\**\s*WORK\s+AREAS?\s*\t+\s*PROGRAMS?\s*\t+\s*PROJECTS?\s*\t+\s*ACTIVIT(?:Y|IES)\s*\**\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SectionHeading:
    section: int  # 1: mandates, 2: programs, projects and activities
    lines: int  # how many lines the heading takes (the PDF often breaks it in two)


def section_heading(lines: list[Line], index: int) -> SectionHeading | None:
    """Recognise "SECTION 1. MANDATE / SOURCE" and "**SECTION II.\\nSECRETARIAT ...**"."""
    match = _SECTION_RE.match(lines[index].text)
    if match is None:
        return None
    section = 1 if match[1] in ("1", "I") else 2
    if match["rest"] or index + 1 >= len(lines):
        return SectionHeading(section, 1)
    following = lines[index + 1].text.strip()
    takes_next = bool(following) and "\t" not in following and is_upper_title(following)
    takes_next = takes_next and not following[0].isdigit()
    return SectionHeading(section, 2 if takes_next else 1)


def is_table_header(line: Line) -> bool:
    """The column header "WORK AREAS<tab>PROGRAM<tab>PROJECT<tab>ACTIVITY"."""
    return _TABLE_HEADER_RE.match(line.text) is not None


_PARAGRAPH_BREAK_RE = re.compile(r"</?\s*(?:p|br|div|li)\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")


def cell_paragraphs(cell: str) -> list[str]:
    """The paragraphs of one table cell, HTML tags removed and entities decoded.

    ``<p>`` (and ``<br>``, ``<div>``, ``<li>``) separate paragraphs; any other tag is
    dropped. A cell without markup is one paragraph.
    """
    if "<" not in cell and "&" not in cell:
        text = normalize_space(cell)
        return [text] if text else []
    pieces = _PARAGRAPH_BREAK_RE.split(cell)
    paragraphs = (normalize_space(html.unescape(_TAG_RE.sub(" ", piece))) for piece in pieces)
    return [paragraph for paragraph in paragraphs if paragraph]


def letter_code(index: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa", 27 -> "ab" (spreadsheet-column style, lower case)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters
