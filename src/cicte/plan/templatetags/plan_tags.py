"""Template helpers for showing the plan."""

from __future__ import annotations

from django import template

from cicte.plan.parsing.types import TargetData

register = template.Library()


@register.filter
def adds_to_unit(target: TargetData) -> bool:
    """True when the plan's own words say more than "<quantity> <unit>"."""
    plain = f"{target.quantity} {target.unit}".casefold().split()
    return bool(target.text) and target.text.casefold().split() != plain
