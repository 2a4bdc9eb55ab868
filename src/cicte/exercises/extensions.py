"""Links that modules above exercises add to an after-action report's page.

The knowledge base (a layer above) offers "release this report to the knowledge base" there;
exercises imports none of those modules: they register a function at start-up
(``AppConfig.ready``) that answers a (label, URL) pair for a reader and a report, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise

ReportLink = Callable[[Any, Any], "tuple[str | Promise, str] | None"]
_REPORT_LINKS: list[ReportLink] = []


def register_report_link(link: ReportLink) -> ReportLink:
    """Add ``link(actor, report)`` to every after-action report page (idempotent)."""
    if link not in _REPORT_LINKS:
        _REPORT_LINKS.append(link)
    return link


def report_links(actor: Any, report: Any) -> list[tuple[str | Promise, str]]:
    """The (label, URL) pairs the registered modules offer this reader on this report."""
    if report is None:
        return []
    return [pair for link in _REPORT_LINKS if (pair := link(actor, report)) is not None]
