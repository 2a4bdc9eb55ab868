"""Targets: the ACTIVITY cell of the plan table, split into planned quantities.

One cell can hold several targets run together by the PDF extraction
("6 National workshops 1 Sub-regional workshop"), a quantity written like a list number
("2. National workshops"), a quantity inside the sentence ("Training needs assessments in
18 ports in the Hemisphere"), a qualitative activity with no quantity, or the phrase "To be
determined once funding is identified". The rules are documented in docs/data-formats.md
("Targets: quantity and unit").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .lines import normalize_space
from .types import Funding

# Words after which a number or a capitalised word continues the same phrase
# ("in 18 ports", "to 13 ports", "in the Hemisphere"): never a target boundary.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "per",
        "than",
        "the",
        "to",
        "via",
        "with",
        "within",
    ]
)

_FUNDING_TBD_RE = re.compile(
    r"\bfunding\b.*\bto\s+be\s+(?:determined|identified)\b"
    r"|\bto\s+be\s+(?:determined|identified)\b.*\bfunding\b",
    re.IGNORECASE,
)
_COUNT_TOKEN_RE = re.compile(r"\d{1,3}\.?")
_EMBEDDED_TOKEN_RE = re.compile(r"\d{1,3}")
_STARTS_UPPER_RE = re.compile(r"^[“‘\"'(]?[A-Z]")
_LEADING_QUANTITY_RE = re.compile(r"^(\d{1,3})\.?\s+(\S.*)$")
_EMBEDDED_QUANTITY_RE = re.compile(r"(?<![\w/.,-])(\d{1,3})(?=\s+[a-z])")


@dataclass(frozen=True)
class TargetSpec:
    """A target before it has a code (the table parser numbers them per project)."""

    quantity: int | None
    unit: str
    text: str
    funding: Funding = "identified"


def parse_activity(paragraphs: list[str]) -> list[TargetSpec]:
    """The targets of one ACTIVITY cell, in order.

    Each paragraph (``<p>`` in the extraction) is split on its own; paragraphs never
    merge into one target.
    """
    specs: list[TargetSpec] = []
    for paragraph in paragraphs:
        text = normalize_space(paragraph)
        if not text:
            continue
        if is_funding_to_be_identified(text):
            specs.append(TargetSpec(None, "", text, "to_be_identified"))
            continue
        specs.extend(target_from_text(segment) for segment in split_targets(text))
    return specs


def is_funding_to_be_identified(text: str) -> bool:
    """True for "To be determined once funding is identified", "Funding to be identified"."""
    return _FUNDING_TBD_RE.search(text) is not None


def target_from_text(text: str) -> TargetSpec:
    """Quantity and unit of one target (see the unit rule in docs/data-formats.md)."""
    leading = _LEADING_QUANTITY_RE.match(text)
    if leading:
        return TargetSpec(int(leading[1]), _unit(leading[2]), text)
    embedded = _EMBEDDED_QUANTITY_RE.search(text)
    if embedded:
        without_number = text[: embedded.start()] + " " + text[embedded.end() :]
        return TargetSpec(int(embedded[1]), _unit(without_number), text)
    return TargetSpec(None, "", text)


def _unit(text: str) -> str:
    return normalize_space(text).rstrip(" .")


def split_targets(text: str) -> list[str]:
    """Split a run-together ACTIVITY text into one string per target."""
    tokens = text.split()
    segments: list[str] = []
    for start, end in _pairs(_count_boundaries(tokens), len(tokens)):
        segment = tokens[start:end]
        for sub_start, sub_end in _pairs(_embedded_boundaries(segment), len(segment)):
            segments.append(" ".join(segment[sub_start:sub_end]))
    return segments


def _pairs(starts: list[int], end: int) -> list[tuple[int, int]]:
    return list(zip(starts, [*starts[1:], end], strict=True))


def _is_count(token: str) -> bool:
    return _COUNT_TOKEN_RE.fullmatch(token) is not None


def _continues_phrase(previous: str) -> bool:
    return previous.lower() in FUNCTION_WORDS or _is_count(previous)


def _count_boundaries(tokens: list[str]) -> list[int]:
    """Where a new target starts with its count: "... workshops 1 Sub-regional workshop"."""
    starts = [0]
    for index in range(1, len(tokens) - 1):
        if (
            _is_count(tokens[index])
            and _STARTS_UPPER_RE.match(tokens[index + 1])
            and not _continues_phrase(tokens[index - 1])
        ):
            starts.append(index)
    return starts


def _quantity_positions(tokens: list[str]) -> list[int]:
    positions = [0] if tokens and _is_count(tokens[0]) else []
    for index in range(1, len(tokens) - 1):
        if _EMBEDDED_TOKEN_RE.fullmatch(tokens[index]) and tokens[index + 1][:1].islower():
            positions.append(index)
    return positions


def _embedded_boundaries(tokens: list[str]) -> list[int]:
    """Split a segment holding two quantities at the capitalised word that starts the second.

    "Training needs assessments in 18 ports in the Hemisphere Follow-on training courses to
    13 ports" splits before "Follow-on": the last capitalised word between the two numbers
    that does not continue a phrase ("the Hemisphere") and is not a unit's first word.
    """
    starts = [0]
    positions = _quantity_positions(tokens)
    for first, second in itertools.pairwise(positions):
        candidates = [
            index
            for index in range(first + 2, second)
            if _STARTS_UPPER_RE.match(tokens[index]) and not _continues_phrase(tokens[index - 1])
        ]
        if candidates:
            starts.append(candidates[-1])
    return starts
