"""``{% load audit %}{% history_url event %}`` — the history page of any audited record."""

from __future__ import annotations

from django import template
from django.db.models import Model
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj: Model) -> str:
    meta = obj._meta
    return reverse("accounts:history", args=[meta.app_label, meta.model_name, obj.pk])
