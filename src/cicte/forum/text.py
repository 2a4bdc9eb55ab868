"""Markdown to safe HTML (markdown-it with raw HTML off, then nh3). Pure: no models.
(Search text is folded by the shared index, :mod:`cicte.search`.)"""

from __future__ import annotations

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
