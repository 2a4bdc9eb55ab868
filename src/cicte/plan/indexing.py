"""Plans and their targets in the shared search index (docs/plans.md, "Search").

``plan.target``: a target's code and text (title), its unit and its project's and program's
titles (body), so "code or words" in the event form finds it. ``plan.workplan``: a plan's
title, symbol and place. Single saves and deletes follow signals (``search.track``);
``plan_import`` re-indexes the whole plan's targets at its end (a renamed project or program
changes its targets' entries) and ``cicte generate`` indexes the plans it clones in bulk.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from cicte import search
from cicte.plan.models import Target, WorkPlan

TARGET_SCOPE = "plan.target"
PLAN_SCOPE = "plan.workplan"
_TARGET_VALUES = ("pk", "code", "text", "unit", "project__title", "project__program__title")


def _target_rows(targets: QuerySet[Target]) -> Iterator[tuple[int, Mapping[str, str]]]:
    rows = targets.order_by().values_list(*_TARGET_VALUES).iterator(chunk_size=5000)
    for pk, code, text, unit, project, program in rows:
        body = " ".join((unit, project or "", program or ""))
        yield pk, {"title": f"{code} {text}", "body": body}


def target_document(target: Any) -> dict[str, str]:
    titles = (
        Target.objects.filter(pk=target.pk)
        .values_list("project__title", "project__program__title")
        .first()
    ) or ("", "")
    return {
        "title": f"{target.code} {target.text}",
        "body": " ".join((target.unit, titles[0] or "", titles[1] or "")),
    }


def index_plan_targets(plan: WorkPlan) -> int:
    """Index every target of the plan: one query and one executemany."""
    return search.index_many(TARGET_SCOPE, _target_rows(Target.objects.filter(plan=plan)))


def plan_document(plan: Any) -> dict[str, str]:
    return {
        "title": plan.title,
        "body": " ".join((plan.symbol, str(plan.year or ""), plan.place or "", plan.series or "")),
        "language": plan.original_language or "",
    }


def connect() -> None:
    search.track(
        Target,
        TARGET_SCOPE,
        target_document,
        fields=("code", "text", "unit", "project", "project_id"),
        rows=lambda: _target_rows(Target.objects.all()),
    )
    search.track(
        WorkPlan,
        PLAN_SCOPE,
        plan_document,
        fields=("title", "symbol", "year", "place", "series", "original_language"),
    )
