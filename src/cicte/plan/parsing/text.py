"""Read a Work Plan from its text layout (the text extracted from the OAS PDF).

The document has four parts, found in this order:

1. the cover: organisation, session, date, place, series, symbol, issue date, original
   language, title, "(Approved at ... held on <date>)" and the preamble paragraphs;
2. SECTION 1, MANDATE / SOURCE (``mandates.parse_mandates``);
3. SECTION II, the table of work areas, programs, projects and activities
   (``table.parse_table``);
4. the list of partner organizations (``partners.parse_partners``).

``parse_plan_text`` refuses text that is not a work plan or that is cut short, with a
``PlanParseError`` pointing at the line concerned. Layout quirks of the PDF extraction that
are repaired, and the choices made (title case of the cover metadata, units, codes), are
documented in docs/data-formats.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .lines import Line, is_upper_title, normalize_space, section_heading, split_lines
from .links import with_inferred_links
from .mandates import parse_mandates
from .partners import parse_partners
from .symbols import normalize_symbol
from .table import parse_table
from .types import ParseResult, ParseWarning, PlanDocument, PlanParseError

_PLAN_SYMBOL_RE = re.compile(
    r"^CICTE\s*/\s*doc\.?\s*\d+\s*\.?\s*/\s*\d{2}(?:\s*,?\s*(?:rev|corr|add)\.?\s*\d+)*$",
    re.IGNORECASE,
)
_SERIES_RE = re.compile(r"^OEA\s*/\s*Ser\s*\.\s*\S+$", re.IGNORECASE)
_SESSION_RE = re.compile(
    r"^(?:[A-Z][A-Za-z-]*\s+)+(?:REGULAR|SPECIAL|EXTRAORDINARY)\s+SESSION$", re.IGNORECASE
)
_LANGUAGE_RE = re.compile(r"^Original\s*:\s*(?P<language>\w+)", re.IGNORECASE)
_APPROVED_RE = re.compile(r"^\(\s*Approved\b.*?\bon\s+(?P<date>[^)]+?)\s*\)\s*$", re.IGNORECASE)
_TITLE_RE = re.compile(r"\bWORK\s+PLAN\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(19|20)\d{2}\b")
_PARTNERS_HEADING_RE = re.compile(
    r"ENTITIES\s+AND\s+INTERNATIONAL\s+ORGANIZATIONS|COLLABORATE\s+WITH", re.IGNORECASE
)

LANGUAGES = {
    "english": "en",
    "inglés": "en",
    "spanish": "es",
    "español": "es",
    "french": "fr",
    "français": "fr",
    "portuguese": "pt",
    "português": "pt",
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "enero"),
            ("february", "febrero"),
            ("march", "marzo"),
            ("april", "abril"),
            ("may", "mayo"),
            ("june", "junio"),
            ("july", "julio"),
            ("august", "agosto"),
            ("september", "septiembre"),
            ("october", "octubre"),
            ("november", "noviembre"),
            ("december", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
_DATE_RE = re.compile(
    r"^(?:(?P<month1>[A-Za-zé]+)\s+(?P<day1>\d{1,2}),?\s+(?P<year1>\d{4})"
    r"|(?P<day2>\d{1,2})(?:\s+de)?\s+(?P<month2>[A-Za-zé]+)(?:\s+de)?,?\s+(?P<year2>\d{4}))$",
    re.IGNORECASE,
)
# Words kept in lower case when an all-capitals cover line is put in title case.
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "against",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)


def parse_plan_text(text: str) -> ParseResult:
    """Parse a Work Plan in the text layout of the 2012 plan."""
    if not isinstance(text, str):
        raise TypeError(f"parse_plan_text expects str, not {type(text).__name__}")
    if not text.strip():
        raise PlanParseError("the document is empty")
    lines = split_lines(text)
    parts = _split_parts(lines)
    plan = _parse_cover(parts.cover)
    mandates, warnings = parse_mandates(parts.mandates)
    work_areas, table_warnings = parse_table(parts.table)
    partners, partner_warnings = parse_partners(parts.partners)
    plan.mandates = with_inferred_links(mandates, work_areas)
    plan.work_areas = work_areas
    plan.partners = partners
    all_warnings = [*warnings, *table_warnings, *partner_warnings]
    if not mandates:
        all_warnings.append(ParseWarning("the plan quotes no mandate source (SECTION 1)"))
    return ParseResult(plan=plan, warnings=all_warnings)


@dataclass
class _Parts:
    cover: list[Line]
    mandates: list[Line]
    table: list[Line]
    partners: list[Line]


def _split_parts(lines: list[Line]) -> _Parts:
    section_1 = _first_section(lines, 1)
    section_2 = _first_section(lines, 2)
    cover_end = min(index for index in (section_1, section_2, len(lines)) if index is not None)
    if not any(_PLAN_SYMBOL_RE.match(normalize_space(line.text)) for line in lines[:cover_end]):
        raise PlanParseError(
            "not a CICTE work plan: no document symbol such as 'CICTE/doc.5/12 rev. 1' "
            "before SECTION 1",
        )
    if section_2 is None:
        raise PlanParseError(
            "not a complete CICTE work plan: no 'SECTION II' table of programs, projects "
            "and activities",
            line=lines[-1].number,
        )
    if section_1 is not None and section_1 > section_2:
        raise PlanParseError("SECTION 1 must come before SECTION II", line=lines[section_1].number)
    partners_start = _partners_start(lines, section_2)
    return _Parts(
        cover=lines[:cover_end],
        mandates=lines[section_1:section_2] if section_1 is not None else [],
        table=lines[section_2:partners_start],
        partners=lines[partners_start:],
    )


def _first_section(lines: list[Line], section: int) -> int | None:
    for index in range(len(lines)):
        heading = section_heading(lines, index)
        if heading is not None and heading.section == section:
            return index
    return None


def _partners_start(lines: list[Line], table_start: int) -> int:
    for index in range(table_start, len(lines)):
        text = lines[index].text
        if "\t" not in text and _PARTNERS_HEADING_RE.search(text):
            return index
    raise PlanParseError(
        "the list of partner organizations ('INTER-AMERICAN ENTITIES AND INTERNATIONAL "
        "ORGANIZATIONS ...') is missing: the document looks truncated",
        line=lines[-1].number,
    )


def _parse_cover(lines: list[Line]) -> PlanDocument:
    texts = [normalize_space(line.text) for line in lines]
    symbol_index = next(index for index, text in enumerate(texts) if _PLAN_SYMBOL_RE.match(text))
    title_index = next(
        (index for index in range(symbol_index, len(texts)) if _TITLE_RE.search(texts[index])),
        None,
    )
    if title_index is None:
        raise PlanParseError(
            "the cover has no title line containing 'WORK PLAN' after the document symbol",
            line=lines[symbol_index].number,
        )
    # The cover block (title, "(Approved ...)") is sometimes printed twice; the preamble
    # starts after its last copy.
    block_end = max(
        index
        for index, text in enumerate(texts)
        if index >= title_index and (text == texts[title_index] or _APPROVED_RE.match(text))
    )
    approvals = [_APPROVED_RE.match(text) for text in texts[title_index : block_end + 1]]
    approval = next((match for match in approvals if match), None)
    session_date, place = _session_date_and_place(texts)
    issue_date = _date_after(texts, _PLAN_SYMBOL_RE)
    title = title_case(texts[title_index])
    year = _plan_year(title, issue_date, session_date)
    if year is None:
        raise PlanParseError("cannot tell the year of the plan", line=lines[title_index].number)
    return PlanDocument(
        symbol=normalize_symbol(texts[symbol_index]),
        year=year,
        title=title,
        series=next((text for text in texts if _SERIES_RE.match(text)), ""),
        session=title_case(next((text for text in texts if _SESSION_RE.match(text)), "")),
        session_date=session_date,
        place=place,
        approval_date=parse_date(approval["date"]) if approval else None,
        issue_date=issue_date,
        original_language=_language(texts),
        preamble=_paragraphs(lines[block_end + 1 :]),
    )


def _session_date_and_place(texts: list[str]) -> tuple[dt.date | None, str]:
    """The date and the place printed under the session line of the cover."""
    following = _following_texts(texts, _SESSION_RE)
    if not following:
        return None, ""
    session_date = parse_date(following[0])
    if session_date is None:
        return None, ""
    place = following[1] if len(following) > 1 else ""
    if _SERIES_RE.match(place) or _PLAN_SYMBOL_RE.match(place) or parse_date(place):
        place = ""
    return session_date, place


def _date_after(texts: list[str], pattern: re.Pattern[str]) -> dt.date | None:
    following = _following_texts(texts, pattern)
    return parse_date(following[0]) if following else None


def _following_texts(texts: list[str], pattern: re.Pattern[str]) -> list[str]:
    for index, text in enumerate(texts):
        if pattern.match(text):
            return [later for later in texts[index + 1 :] if later][:2]
    return []


def _plan_year(title: str, *dates: dt.date | None) -> int | None:
    match = _YEAR_RE.search(title)
    if match:
        return int(match[0])
    return next((date.year for date in dates if date is not None), None)


def _language(texts: list[str]) -> str:
    for text in texts:
        match = _LANGUAGE_RE.match(text)
        if match:
            return LANGUAGES.get(match["language"].lower(), match["language"].lower()[:2])
    return "en"


def _paragraphs(lines: list[Line]) -> str:
    """Blank-line separated paragraphs, each on one line, joined by a blank line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, Line(0, "")]:
        text = normalize_space(line.text)
        if text:
            current.append(text)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return "\n\n".join(paragraphs)


def parse_date(text: str) -> dt.date | None:
    """Read "March 7, 2012", "9 March 2012" or "7 de marzo de 2012"; None otherwise."""
    match = _DATE_RE.match(normalize_space(text))
    if match is None:
        return None
    month_name = (match["month1"] or match["month2"]).lower()
    month = _MONTHS.get(month_name)
    if month is None:
        return None
    day = int(match["day1"] or match["day2"])
    year = int(match["year1"] or match["year2"])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def title_case(text: str) -> str:
    """Put an all-capitals cover line in title case; leave mixed-case text alone.

    "2012 WORK PLAN OF THE INTER-AMERICAN COMMITTEE AGAINST TERRORISM" ->
    "2012 Work Plan of the Inter-American Committee against Terrorism". Words in
    parentheses are kept as written (they are acronyms: "(CICTE)").
    """
    if not is_upper_title(text):
        return text
    words = text.split()
    return " ".join(_title_word(word, first=index == 0) for index, word in enumerate(words))


def _title_word(word: str, *, first: bool) -> str:
    if word.startswith("(") or any(char.isdigit() for char in word):
        return word
    if not first and word.lower() in SMALL_WORDS:
        return word.lower()
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
