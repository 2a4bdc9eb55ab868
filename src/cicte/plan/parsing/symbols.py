"""OAS document symbols: find them in text and write them one canonical way.

The plan cites its mandates by symbol, and PDF extraction and typing habits vary the
spacing, the case and the punctuation ("AG/RES.2618 (XLI-O/11)", "ag/res 2618(xli-o/11)",
"CICTE/doc.12./08", even a zero for the letter O in "XLI-0/11"). ``normalize_symbol``
maps every variant to one spelling so that a mandate cited by two plans is one record:

=====================  ==============================
kind                   canonical form
=====================  ==============================
GA resolution          ``AG/RES. 2618 (XLI-O/11)``
GA declaration         ``AG/DEC. 66 (XLI-O/11)``
CICTE declaration      ``CICTE/DEC. 1/11``
CICTE document         ``CICTE/doc.12/08``, ``CICTE/doc.5/12 rev. 1``
=====================  ==============================
"""

from __future__ import annotations

import re

from .types import MandateKind

_GA = r"AG\s*/\s*(?P<ga_kind>RES|DEC)\.?\s*(?P<ga_number>\d+)\s*" + (
    r"\(\s*(?P<ga_session>[IVXLC]+)\s*-\s*(?P<ga_type>[OE0])\s*/\s*(?P<ga_year>\d{2})\s*\)"
)
_CICTE_DEC = r"CICTE\s*/\s*DEC\.?\s*(?P<dec_number>\d+)\s*/\s*(?P<dec_year>\d{2})"
_CICTE_DOC = (
    r"CICTE\s*/\s*doc\.?\s*(?P<doc_number>\d+)\s*\.?\s*/\s*(?P<doc_year>\d{2})"
    r"(?:\s*,?\s*(?P<doc_suffix>rev|corr|add)\.?\s*(?P<doc_suffix_number>\d+))?"
)

SYMBOL_RE = re.compile(rf"(?:{_GA})|(?:{_CICTE_DEC})|(?:{_CICTE_DOC})", re.IGNORECASE)
"""Any mandate or plan symbol, anywhere in a line (``search``) or alone (``fullmatch``)."""

_KIND_BY_PREFIX: tuple[tuple[str, MandateKind], ...] = (
    ("AG/RES.", "ga_resolution"),
    ("AG/DEC.", "ga_declaration"),
    ("CICTE/DEC.", "cicte_declaration"),
    ("CICTE/doc.", "cicte_decision"),
)


def normalize_symbol(symbol: str) -> str:
    """Return the canonical spelling of an OAS / CICTE document symbol.

    Text that is not a recognised symbol comes back with its whitespace collapsed and
    otherwise unchanged.
    """
    cleaned = " ".join(symbol.split())
    match = SYMBOL_RE.fullmatch(cleaned)
    if match is None:
        return cleaned
    return _canonical(match)


def _canonical(match: re.Match[str]) -> str:
    if match["ga_kind"]:
        session_type = "O" if match["ga_type"] in ("0", "o", "O") else match["ga_type"].upper()
        return (
            f"AG/{match['ga_kind'].upper()}. {int(match['ga_number'])} "
            f"({match['ga_session'].upper()}-{session_type}/{match['ga_year']})"
        )
    if match["dec_number"]:
        return f"CICTE/DEC. {int(match['dec_number'])}/{match['dec_year']}"
    suffix = ""
    if match["doc_suffix"]:
        suffix = f" {match['doc_suffix'].lower()}. {int(match['doc_suffix_number'])}"
    return f"CICTE/doc.{int(match['doc_number'])}/{match['doc_year']}{suffix}"


def mandate_kind(symbol: str) -> MandateKind | None:
    """The kind of mandate source a canonical symbol names, or ``None``.

    A CICTE decision is cited by the symbol of the session report that records it
    (``CICTE/doc.12/08``), so every ``CICTE/doc.`` symbol counts as a decision here.
    """
    for prefix, kind in _KIND_BY_PREFIX:
        if symbol.startswith(prefix):
            return kind
    return None
