"""Pure text functions of the search index: folding and query terms (no Django)."""

from __future__ import annotations

import re
import unicodedata

MAX_TERMS = 12
MAX_TERM_LENGTH = 64

# A word is a run of letters and digits (``_`` and every punctuation mark separate words), the
# same rule in the stored text and in a query, so neither FTS5's nor PostgreSQL's tokenizer
# ever sees an operator, a quote or a parenthesis.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Casefold, strip accents (NFKD, drop combining marks), collapse spaces.

    ``fold("  México  D.F. ") == "mexico d.f."``
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # casefold can produce characters that decompose again (e.g. "ǰ"), and NFKD can produce
    # upper-case compatibility forms: fold once more, then recompose what is left.
    stripped = unicodedata.normalize("NFKC", stripped.casefold())
    return " ".join(stripped.split())


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (what the index stores)."""
    folded = text.lower() if text.isascii() else fold(text)  # ASCII: nothing to strip
    return [word[:MAX_TERM_LENGTH] for word in _WORD.findall(folded)]


def document(text: str) -> str:
    """The text as the index stores it: its folded words separated by single spaces."""
    return " ".join(words(text))


def terms(query: str) -> list[str]:
    """The query as at most 12 safe terms (folded words, first occurrence kept).

    FTS5 and tsquery operators, quotes, parentheses, ``NEAR``/``AND``/``OR``/``NOT``, ``*``,
    ``:`` and SQL are inert: punctuation separates words, and a word is only ever a run of
    letters and digits, matched as a prefix. A blank query gives ``[]``.
    """
    seen: list[str] = []
    for word in words(query):
        if word not in seen:
            seen.append(word)
        if len(seen) == MAX_TERMS:
            break
    return seen
