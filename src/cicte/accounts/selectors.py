"""Reads for the audit trail: a record's versions with field-by-field changes, and the
activity log across every model that keeps history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.http import Http404

#: Audit records of these models hold security data: administrators only.
ADMIN_ONLY_HISTORY = frozenset({"auth.user", "access.membership", "accounts.apitoken"})


def tracked_models() -> list[type[models.Model]]:
    """Every model with a django-simple-history ``history`` manager, sorted by label."""
    found = []
    for model in apps.get_models():
        if hasattr(model, "instance_type"):  # a historical model itself
            continue
        history_manager = getattr(model, "history", None)
        if history_manager is None or not hasattr(
            getattr(history_manager, "model", None), "instance_type"
        ):
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def model_for(app_label: str, model_name: str) -> type[models.Model]:
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if model not in tracked_models():
        raise Http404
    return model


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class Version:
    history_id: int
    date: dt.datetime
    kind: str  # "+", "~", "-"
    user: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    record: Any = None


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except Exception:
        return name


def record_versions(model: type[models.Model], pk: str, *, limit: int = 200) -> list[Version]:
    """Versions of one record, newest first, each with its changes from the one before."""
    history = model.history  # type: ignore[attr-defined]
    pk_name = model._meta.pk.attname
    try:
        pk_value = model._meta.pk.to_python(pk)
    except Exception as exc:
        raise Http404 from exc
    records = list(
        history.filter(**{pk_name: pk_value})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    versions = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                FieldChange(
                    field=change.field,
                    label=_label(model, change.field),
                    old=change.old,
                    new=change.new,
                )
                for change in delta.changes
            ]
        versions.append(
            Version(
                history_id=record.history_id,
                date=record.history_date,
                kind=record.history_type,
                user=record.history_user.get_username() if record.history_user else "",
                reason=record.history_change_reason or "",
                changes=changes,
                record=record,
            )
        )
    return versions


def historical_record(model: type[models.Model], pk: str, history_id: int) -> Any:
    pk_name = model._meta.pk.attname
    try:
        pk_value = model._meta.pk.to_python(pk)
    except Exception as exc:
        raise Http404 from exc
    record = model.history.filter(  # type: ignore[attr-defined]
        **{pk_name: pk_value, "history_id": history_id}
    ).first()
    if record is None:
        raise Http404
    return record


@dataclass
class ActivityFilters:
    user: str = ""
    model: str = ""  # "app_label.model_name"
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def activity_queryset(filters: ActivityFilters) -> Any:
    """One UNION query over every history table: rows of (model label, object id, date, kind,
    user id), newest first. Slice it to paginate."""
    user_ids: list[int] | None = None
    if filters.user:
        user_ids = list(
            get_user_model()
            .objects.filter(username__icontains=filters.user)
            .values_list("pk", flat=True)[:100]
        )
    querysets = []
    for model in tracked_models():
        label = model._meta.label_lower
        if filters.model and filters.model != label:
            continue
        qs = model.history.all()  # type: ignore[attr-defined]
        if user_ids is not None:
            qs = qs.filter(history_user_id__in=user_ids)
        if filters.date_from:
            qs = qs.filter(history_date__date__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(history_date__date__lte=filters.date_to)
        qs = qs.order_by().values_list(
            Value(label, output_field=CharField()),
            Cast(F(model._meta.pk.attname), CharField()),
            "history_id",
            "history_date",
            "history_type",
            "history_user_id",
        )
        querysets.append(qs)
    if not querysets:
        return []
    first, *rest = querysets
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-history_date")


@dataclass
class ActivityRow:
    model: str
    model_name: str
    object_id: str
    history_id: int
    date: dt.datetime
    kind: str
    user: str
    app_label: str
    model_key: str


def activity_rows(rows: list[tuple[Any, ...]]) -> list[ActivityRow]:
    user_ids = {row[5] for row in rows if row[5]}
    names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
    result = []
    for label, object_id, history_id, date, kind, user_id in rows:
        app_label, model_key = label.split(".", 1)
        model = apps.get_model(app_label, model_key)
        result.append(
            ActivityRow(
                model=label,
                model_name=str(model._meta.verbose_name),
                object_id=str(object_id),
                history_id=history_id,
                date=date,
                kind=kind,
                user=names.get(user_id, ""),
                app_label=app_label,
                model_key=model_key,
            )
        )
    return result
