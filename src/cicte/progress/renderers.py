"""Plain renderings of a PlanProgress: a JSON-ready dict and an aligned text table (CLI).

The dict is machine output (its keys stay as they are); the table is read by people, so its
titles and column headings are in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cicte.progress.types import PlanProgress, Rollup, TargetProgress

TARGET_COLUMNS = ("code", "quantity", "delivered", "planned", "percent", "status", "kind")
ROLLUP_COLUMNS = ("code", "quantity", "delivered", "planned", "percent", "unfunded", "qualitative")


def _rollup(node: Rollup) -> dict[str, Any]:
    return {
        "code": node.code,
        "title": node.title,
        "quantity": node.quantity,
        "delivered": node.delivered,
        "planned": node.planned,
        "percent": node.percent,
        "numeric_targets": node.numeric,
        "unfunded": node.unfunded,
        "qualitative": node.qualitative,
        "status_counts": dict(node.status_counts),
    }


def _target(t: TargetProgress) -> dict[str, Any]:
    return {
        "code": t.code,
        "quantity": t.quantity,
        "unit": t.unit,
        "delivered": t.delivered,
        "planned": t.planned,
        "events_held": t.events_held,
        "percent": t.percent,
        "expected_percent": t.expected_percent,
        "status": t.status,
        "kind": t.kind,
        "project": t.project_code,
        "program": t.program_code,
        "work_area": t.work_area_number,
    }


def progress_to_dict(progress: PlanProgress, *, symbol: str = "") -> dict[str, Any]:
    programs = [g for wa in progress.work_areas for g in wa.programs]
    projects = [p for g in programs for p in g.projects]
    period = progress.period
    return {
        "plan": {
            "id": progress.plan_id,
            "year": progress.year,
            "symbol": symbol,
            "title": progress.title,
        },
        "period": (
            {
                "label": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            }
            if period
            else None
        ),
        "elapsed_share": round(progress.elapsed_share, 4),
        "member_state": progress.member_state or None,
        "targets": [_target(t) for t in progress.targets],
        "projects": [_rollup(p) for p in projects],
        "programs": [_rollup(g) for g in programs],
        "work_areas": [{**_rollup(wa), "number": wa.number} for wa in progress.work_areas],
        "plan_totals": _rollup(progress),
    }


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _headings() -> dict[str, str]:
    return {
        "code": pgettext("progress table column", "code"),
        "quantity": pgettext("progress table column", "quantity"),
        "delivered": pgettext("progress table column", "delivered"),
        "planned": pgettext("progress table column", "planned"),
        "percent": pgettext("progress table column", "percent"),
        "status": pgettext("progress table column", "status"),
        "kind": pgettext("progress table column", "kind"),
        "unfunded": pgettext("progress table column", "unfunded"),
        "qualitative": pgettext("progress table column", "qualitative"),
    }


def _table(title: str, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> list[str]:
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    headings = [_headings()[c] for c in columns]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headings)]
    text_columns = {"code", "status", "kind"}

    def line(values: list[str]) -> str:
        return "  ".join(
            v.ljust(w) if c in text_columns else v.rjust(w)
            for v, w, c in zip(values, widths, columns, strict=True)
        ).rstrip()

    out = [title, line(headings), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return [*out, ""]


def progress_table(progress: PlanProgress, *, symbol: str = "") -> str:
    data = progress_to_dict(progress, symbol=symbol)
    period = data["period"]["label"] if data["period"] else ""
    head = _("%(title)s (%(plan)s) — period %(period)s") % {
        "title": data["plan"]["title"],
        "plan": symbol or progress.year,
        "period": period,
    }
    if progress.member_state:
        head += _(" — events for %(state)s only") % {"state": progress.member_state}
    lines = [head, ""]
    lines += _table(_("Targets"), TARGET_COLUMNS, data["targets"])
    lines += _table(_("Projects"), ROLLUP_COLUMNS, data["projects"])
    lines += _table(_("Programs"), ROLLUP_COLUMNS, data["programs"])
    lines += _table(_("Work areas"), ROLLUP_COLUMNS, data["work_areas"])
    lines += _table(pgettext("progress table title", "Plan"), ROLLUP_COLUMNS, [data["plan_totals"]])
    counts = ", ".join(f"{k} {v}" for k, v in progress.status_counts.items())
    lines.append(_("Targets by status: %(counts)s") % {"counts": counts})
    return "\n".join(lines) + "\n"
