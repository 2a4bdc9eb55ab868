"""Edits cannot be lost: a version token on every edit form and API update.

The token of an object is the id of its latest audit record (django-simple-history), so it
changes on every write by any path (forms, API, imports). An edit form carries the token it
was rendered with; the service compares it, inside its ``select_for_update`` transaction,
with the current one and refuses a stale save with :class:`StaleEdit`, whose message says who
changed what since (``title: "A" → "B"``) — nothing is overwritten.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from cicte.core.errors import Conflict

_SKIP = {"id", "history_id", "history_date", "history_change_reason", "history_type"}


class StaleEdit(Conflict):
    default_code = "stale_edit"


def version_of(obj: Model) -> int:
    """The object's current version token (0 before its first audit record)."""
    history = getattr(obj, "history", None)
    if history is None or obj.pk is None:
        return 0
    latest = history.order_by("-history_id").values_list("history_id", flat=True).first()
    return int(latest or 0)


def parse_version(value: Any) -> int | None:
    """A submitted token as an int; None when absent (a caller that does not send one)."""
    if value is None or value == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise StaleEdit(
            "bad_version", "The version token is not valid; reload the page and try again."
        ) from None


def _label(value: Any) -> str:
    text = "" if value is None else str(value)
    return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'


def changes_since(obj: Model, version: int) -> list[dict[str, str]]:
    """The fields changed since audit record ``version``: ``[{field, before, now, by}]``."""
    history = obj.history  # type: ignore[attr-defined]
    old = history.filter(history_id=version).first()
    new = history.order_by("-history_id").first()
    if old is None or new is None:
        return []
    changes = []
    by = str(new.history_user or "") if new.history_user_id else ""
    for change in new.diff_against(old).changes:
        if change.field in _SKIP:
            continue
        changes.append(
            {
                "field": change.field,
                "before": _label(change.old),
                "now": _label(change.new),
                "by": by,
            }
        )
    return changes


def check_version(obj: Model, version: int | None) -> None:
    """Refuse a save based on ``version`` when ``obj`` changed since (``None``: no check)."""
    if version is None:
        return
    current = version_of(obj)
    if current == version:
        return
    changes = changes_since(obj, version)
    what = "; ".join(f"{c['field']}: {c['before']} → {c['now']}" for c in changes)
    who = next((c["by"] for c in changes if c["by"]), "")
    message = "This record was changed by someone else since you opened it"
    if who:
        message += f" ({who})"
    message += f": {what}." if what else "."
    message += " Nothing was saved; reload to see the current values and apply your change again."
    raise StaleEdit("stale_edit", message, details=changes)
