"""The ordered registry of report sections.

A section is a small function ``build(context) -> Section | None`` registered with an order
number; :func:`cicte.reports.build.report_data` calls every registered builder in order
(inside ``translation.override(language)``) and every renderer walks the resulting
sections. Returning ``None`` leaves the section out of the report.

Another app adds a section from its ``AppConfig.ready()``::

    from cicte.reports.registry import register_section

    @register_section("evaluation-results", order=45)
    def evaluation_results(context: ReportContext) -> Section | None: ...

The built-in sections (:mod:`cicte.reports.sections`) are registered by
``ReportsConfig.ready()``. Built-in orders: summary 10, mandates 20, work areas 30,
evaluations 40, coverage 50, funding gaps 60, annex 90.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cicte.reports.types import ReportContext, Section

SectionBuilder = Callable[["ReportContext"], "Section | None"]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    order: int
    build: SectionBuilder


_SECTIONS: dict[str, SectionSpec] = {}


def register_section(key: str, *, order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register ``build`` under ``key`` (re-registering a key replaces it)."""

    def decorator(build: SectionBuilder) -> SectionBuilder:
        _SECTIONS[key] = SectionSpec(key=key, order=order, build=build)
        return build

    return decorator


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def registered_sections() -> list[SectionSpec]:
    """The registered sections in report order."""
    return sorted(_SECTIONS.values(), key=lambda spec: (spec.order, spec.key))


# --- publication listeners ------------------------------------------------------------------
#
# An app that must know what a publication rests on (the approvals of the period,
# ``cicte.approvals``) registers a listener from its ``AppConfig.ready()``::
#
#     @register_publish_listener("approvals")
#     def record_basis(*, plan, period, reports, actor) -> None: ...
#
# :func:`cicte.reports.services.report_publish` calls every listener inside the transaction
# that saves the publication (an error in a listener refuses the publication: nothing saved).

PublishListener = Callable[..., None]
_PUBLISH_LISTENERS: dict[str, PublishListener] = {}


def register_publish_listener(key: str) -> Callable[[PublishListener], PublishListener]:
    def decorator(listener: PublishListener) -> PublishListener:
        _PUBLISH_LISTENERS[key] = listener
        return listener

    return decorator


def publish_listeners() -> list[PublishListener]:
    return [_PUBLISH_LISTENERS[key] for key in sorted(_PUBLISH_LISTENERS)]
