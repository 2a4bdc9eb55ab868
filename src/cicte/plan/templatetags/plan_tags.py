"""Template helpers for showing the plan."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cicte.plan.parsing.types import TargetData

register = template.Library()


@register.filter
def target_words(target: TargetData) -> SafeString:
    """The target in the plan's own words, once, with its quantity in bold: "Training needs
    assessments in **18** ports" (not "18 Training needs assessments in ports — Training
    needs assessments in 18 ports"). Without words of its own: "**3** Workshops"."""
    words = target.text or target.unit
    if target.quantity is None:
        return escape(words)
    number = str(target.quantity)
    pattern = re.compile(rf"(?<![\w.]){re.escape(number)}(?![\w.])")
    if pattern.search(words):
        parts = pattern.split(words, maxsplit=1)
        return mark_safe(f"{escape(parts[0])}<strong>{number}</strong>{escape(parts[1])}")  # noqa: S308
    return mark_safe(f"<strong>{number}</strong> {escape(words)}")  # noqa: S308


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, ())
