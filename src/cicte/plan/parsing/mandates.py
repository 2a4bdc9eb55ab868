"""SECTION 1: mandate sources and the clauses the plan quotes from them.

Layout handled (see docs/data-formats.md, "Mandates"):

* category headings "1. CICTE DECLARATIONS", "2. CICTE DECISIONS", ... (capitals);
* a source line "<title>, <symbol>" that may carry quoted clauses on the same line
  ("..., CICTE/DEC.1/11 “5. ...” “10. ...”");
* clauses in typographic quotes, or unquoted ("4. To reiterate ... :"), whose number
  becomes the paragraph ("" for an unnumbered passage);
* subparagraphs "- a. ...;" (the list punctuation "; and" is dropped), elided ones
  ("- d. ...;" or "- c. l...;") kept with empty text;
* page-bottom footnotes "1. Subparagraphs c, d, e, f, and j are not relevant ..." that
  mark those subparagraphs ``relevant=False``; footnote markers "^{2/}" are removed;
* the "**SECTION 1. MANDATE / SOURCE**" heading repeated at page breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import Line, is_upper_title, normalize_space, section_heading
from .symbols import SYMBOL_RE, mandate_kind, normalize_symbol
from .types import (
    MandateClauseData,
    MandateSourceData,
    ParseWarning,
    PlanParseError,
    SubparagraphData,
)

OPENING_QUOTES = '“"'
CLOSING_QUOTES = '”"'

_CATEGORY_RE = re.compile(r"^\d{1,2}\s*\.\s+(?P<title>\S.*)$")
_FOOTNOTE_RE = re.compile(
    r"^(?P<number>\d{1,2})\s*\.?\s+Subparagraphs?\s+(?P<letters>.+?)\s+(?:is|are)\s+not\s+relevant",
    re.IGNORECASE,
)
_SUBPARAGRAPH_RE = re.compile(r"^[-–•]\s*\(?(?P<letter>[a-z])\s*[.)]\s*(?P<text>.*)$")
_NUMBERED_CLAUSE_RE = re.compile(r"^(?P<number>\d{1,3})\s*\.\s+(?P<text>.*)$", re.DOTALL)
_CLAUSE_SPLIT_RE = re.compile(r"(?<=[”\"])\s+(?=[“\"])")
_MARKER_RE = re.compile(r"\s*\^\{?(?P<number>\d{1,2})/?\}?")
_ELIDED_RE = re.compile(r"^[l1I]?\s*(?:\.{3}|…)\s*[;,.]?\s*(?:and|or)?\s*$")
_LIST_TAIL_RE = re.compile(r"\s*;\s*(?:and|or)?\s*(?:\.{3}|…)?\s*$")
_ADOPTED_NOTE_RE = re.compile(r"\s*\([^()]*\badopted\b[^()]*\)\s*$", re.IGNORECASE)


@dataclass
class _SubDraft:
    letter: str
    raw: str
    line: int


@dataclass
class _ClauseDraft:
    paragraph: str
    raw: str
    line: int
    subparagraphs: list[_SubDraft] = field(default_factory=list)


@dataclass
class _Footnote:
    number: int
    letters: list[str]
    line: int


@dataclass
class _SourceDraft:
    symbol: str
    title: str
    line: int
    clauses: list[_ClauseDraft] = field(default_factory=list)
    footnotes: list[_Footnote] = field(default_factory=list)


@dataclass
class _MandateReader:
    sources: list[_SourceDraft] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    clause_open: bool = False
    pending_title: list[str] = field(default_factory=list)

    @property
    def source(self) -> _SourceDraft | None:
        return self.sources[-1] if self.sources else None

    @property
    def clause(self) -> _ClauseDraft | None:
        source = self.source
        return source.clauses[-1] if source and source.clauses else None

    def read(self, line: Line) -> None:
        text = line.text.strip()
        footnote = _FOOTNOTE_RE.match(text)
        if footnote:
            self._add_footnote(footnote, line)
        elif _is_category(text):
            self.clause_open = False
        elif _is_source_line(text):
            self._add_source(text, line)
        elif (subparagraph := _SUBPARAGRAPH_RE.match(text)) is not None:
            self._add_subparagraph(subparagraph["letter"], subparagraph["text"], line)
        elif text[0] in OPENING_QUOTES or _NUMBERED_CLAUSE_RE.match(text):
            self._add_clauses(text, line)
        else:
            self._add_text(text, line)

    def _add_footnote(self, match: re.Match[str], line: Line) -> None:
        letters = re.findall(r"\b([a-z])\b", match["letters"])
        if self.source is None:
            self.warnings.append(ParseWarning("footnote before any mandate source", line.number))
            return
        self.source.footnotes.append(_Footnote(int(match["number"]), letters, line.number))

    def _add_source(self, text: str, line: Line) -> None:
        match = SYMBOL_RE.search(text)
        assert match is not None
        title = _clean_title(" ".join([*self.pending_title, text[: match.start()]]))
        self.pending_title = []
        if not title:
            raise PlanParseError("mandate source without a title", line=line.number)
        self.sources.append(_SourceDraft(normalize_symbol(match[0]), title, line.number))
        self.clause_open = False
        rest = text[match.end() :]
        quote = min((rest.find(q) for q in OPENING_QUOTES if q in rest), default=-1)
        if quote >= 0:
            self._add_clauses(rest[quote:], line)

    def _add_clauses(self, text: str, line: Line) -> None:
        source = self.source
        if source is None:
            raise PlanParseError("quoted clause before any mandate source", line=line.number)
        for part in _CLAUSE_SPLIT_RE.split(text):
            quoted = part[0] in OPENING_QUOTES
            body, closed = _strip_quotes(part)
            match = _NUMBERED_CLAUSE_RE.match(body)
            paragraph, body = (match["number"], match["text"]) if match else ("", body)
            source.clauses.append(_ClauseDraft(paragraph, body, line.number))
            self.clause_open = not (quoted and closed)

    def _add_subparagraph(self, letter: str, text: str, line: Line) -> None:
        clause = self.clause
        if clause is None:
            raise PlanParseError(f"subparagraph {letter}. outside any clause", line=line.number)
        body, closed = _strip_quotes(text)
        clause.subparagraphs.append(_SubDraft(letter, body, line.number))
        self.clause_open = not closed

    def _add_text(self, text: str, line: Line) -> None:
        clause = self.clause
        if clause is None or not self.clause_open:
            self.pending_title.append(text)
            return
        body, closed = _strip_quotes(text)
        if clause.subparagraphs:
            clause.subparagraphs[-1].raw += " " + body
        else:
            clause.raw += " " + body
        self.clause_open = not closed


def _is_category(text: str) -> bool:
    match = _CATEGORY_RE.match(text)
    return match is not None and is_upper_title(match["title"])


def _is_source_line(text: str) -> bool:
    starts_like_clause = text[0] in OPENING_QUOTES or text[0] in "-–•" or text[0].isdigit()
    return not starts_like_clause and SYMBOL_RE.search(text) is not None


def _strip_quotes(text: str) -> tuple[str, bool]:
    """Remove one enclosing pair of quotes; report whether a closing quote ended the text."""
    body = text.strip()
    if body[:1] and body[0] in OPENING_QUOTES:
        body = body[1:]
    closed = bool(body) and body[-1] in CLOSING_QUOTES
    if closed:
        body = body[:-1]
    return body.strip(), closed


def _clean_title(text: str) -> str:
    title = normalize_space(text).rstrip(" ,;:")
    return _ADOPTED_NOTE_RE.sub("", title).rstrip(" ,;:")


def parse_mandates(lines: list[Line]) -> tuple[list[MandateSourceData], list[ParseWarning]]:
    """Parse the lines from the first SECTION 1 heading up to SECTION II."""
    reader = _MandateReader()
    index = 0
    while index < len(lines):
        heading = section_heading(lines, index)
        if heading is not None:
            index += heading.lines
            continue
        line = lines[index]
        index += 1
        if line.text.strip():
            reader.read(line)
    if reader.pending_title:
        reader.warnings.append(
            ParseWarning(
                "text after the last clause ignored: " + " ".join(reader.pending_title)[:80]
            )
        )
    return _finish(reader.sources, reader.warnings), reader.warnings


def _finish(drafts: list[_SourceDraft], warnings: list[ParseWarning]) -> list[MandateSourceData]:
    sources: dict[str, MandateSourceData] = {}
    markers = _footnote_markers(drafts)
    for source_index, draft in enumerate(drafts):
        clauses = [_build_clause(clause) for clause in draft.clauses]
        for footnote in draft.footnotes:
            marked = markers.get((source_index, footnote.number))
            _apply_footnote(footnote, draft.symbol, clauses, marked, warnings)
        if not clauses:
            warnings.append(
                ParseWarning(f"mandate source {draft.symbol} quotes no clause", draft.line)
            )
        existing = sources.get(draft.symbol)
        if existing is not None:
            warnings.append(ParseWarning(f"mandate source {draft.symbol} cited twice", draft.line))
            existing.clauses.extend(clauses)
            continue
        kind = mandate_kind(draft.symbol)
        if kind is None:  # pragma: no cover - SYMBOL_RE only finds known kinds
            raise PlanParseError(f"unknown kind of mandate source {draft.symbol}", line=draft.line)
        sources[draft.symbol] = MandateSourceData(kind, draft.symbol, draft.title, clauses)
    return list(sources.values())


def _footnote_markers(drafts: list[_SourceDraft]) -> dict[tuple[int, int], int]:
    """(source index, footnote number) -> index of the clause whose text carries the marker."""
    found: dict[tuple[int, int], int] = {}
    for source_index, draft in enumerate(drafts):
        for clause_index, clause in enumerate(draft.clauses):
            for text in [clause.raw, *(sub.raw for sub in clause.subparagraphs)]:
                for match in _MARKER_RE.finditer(text):
                    found.setdefault((source_index, int(match["number"])), clause_index)
    return found


def _apply_footnote(
    footnote: _Footnote,
    symbol: str,
    clauses: list[MandateClauseData],
    marked: int | None,
    warnings: list[ParseWarning],
) -> None:
    """Mark the subparagraphs a footnote declares not relevant.

    A footnote applies to the clause of its source that carries its marker ("^{2/}"),
    otherwise to the last clause with subparagraphs of the source during which it was
    printed (footnote 1 of the 2012 plan has lost its marker in the extraction).
    """
    with_subparagraphs = [clause for clause in clauses if clause.subparagraphs]
    clause = clauses[marked] if marked is not None else None
    if clause is None or not clause.subparagraphs:
        clause = with_subparagraphs[-1] if with_subparagraphs else None
    quoted = {sub.letter for sub in clause.subparagraphs} if clause else set()
    missing = [letter for letter in footnote.letters if letter not in quoted]
    if missing:
        warnings.append(
            ParseWarning(
                f"footnote {footnote.number} names subparagraphs {', '.join(missing)} "
                f"that {symbol} does not quote",
                footnote.line,
            )
        )
    for sub in clause.subparagraphs if clause else []:
        if sub.letter in footnote.letters:
            sub.relevant = False


def _build_clause(draft: _ClauseDraft) -> MandateClauseData:
    text = normalize_space(_MARKER_RE.sub("", draft.raw))
    subparagraphs = [
        SubparagraphData(letter=sub.letter, text=_subparagraph_text(sub.raw))
        for sub in draft.subparagraphs
    ]
    return MandateClauseData(paragraph=draft.paragraph, text=text, subparagraphs=subparagraphs)


def _subparagraph_text(raw: str) -> str:
    text = normalize_space(_MARKER_RE.sub("", raw))
    if _ELIDED_RE.match(text):
        return ""
    return _LIST_TAIL_RE.sub("", text)
