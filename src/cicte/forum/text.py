"""Markdown to safe HTML (markdown-it with raw HTML off, then nh3), and the accent-folded
search text. Pure: no models."""

from __future__ import annotations

import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}


def render_markdown(source: str) -> str:
    """Markdown → HTML without scripts, frames, styles or event handlers (sanitised on the
    server; raw HTML in the source is shown as text)."""
    html = _MD.render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def fold(text: str) -> str:
    """Lower case without accents (``Panamá`` → ``panama``), for search in en/es/pt/fr."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(query: str, *, limit: int = 8) -> list[str]:
    """The words of a query, folded; every other character (SQL, FTS operators, quotes) is
    dropped, so a query is only ever a list of words to find."""
    return [w for w in _WORD.findall(fold(query or "")) if len(w) >= 2][:limit]
