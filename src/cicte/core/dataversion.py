"""Data versions: one counter per plan that moves whenever the plan's data change.

Caches (API lists, dashboard blocks) and stored report renders are keyed by the version they
were built from, so a change never needs to find and delete them: the next read simply asks
for a key that does not exist yet.

How the counters move (the choice, see docs/operations.md "Caching"):

- **single writes by signals**: each app tracks its models from ``AppConfig.ready()``
  (``track(Event, plans=lambda e: [e.plan_id])``); ``post_save``/``post_delete`` and the
  many-to-many changes bump the plan's counter inside the write's own transaction. That
  covers every path that saves one object (services through ``cicte.core.audit``, history
  restores, the admin, ``cicte demo``) without each service remembering to;
- **bulk writes explicitly**: ``bulk_create``, ``QuerySet.update()`` and ``QuerySet.delete()``
  send no per-row signal, so the bulk paths (``events_import``, ``events_delete_matching``,
  ``cicte generate``) call :func:`bump` themselves;
- ``bump`` also moves counter 0 (every plan), which keys the lists that span plans;
  :func:`bump_all` moves every counter (reference data such as organization names).

Readers must read the version **before** the data (:func:`current`), so that a write racing
with a read can only leave an unused entry under an old version, never stale data under the
new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

ALL_PLANS = 0

PlanIds = Callable[[Any], Iterable[int | None]]


def bump(*plan_ids: int | None) -> None:
    """Move the counters of these plans (and of "every plan") by one."""
    from cicte.core.models import DataVersion

    for plan_id in {*(p for p in plan_ids if p is not None), ALL_PLANS}:
        if DataVersion.objects.filter(plan_id=plan_id).update(version=models.F("version") + 1):
            continue
        try:
            with transaction.atomic():
                DataVersion.objects.create(plan_id=plan_id, version=1)
        except IntegrityError:  # created by a concurrent writer meanwhile
            DataVersion.objects.filter(plan_id=plan_id).update(version=models.F("version") + 1)


def bump_all() -> None:
    """Move every counter (a change of reference data that every plan shows)."""
    from cicte.core.models import DataVersion

    DataVersion.objects.update(version=models.F("version") + 1)
    bump()


def current(plan_id: int | None = None) -> int:
    """The counter of one plan (``None``: of every plan); 0 before the first write."""
    from cicte.core.models import DataVersion

    key = ALL_PLANS if plan_id is None else plan_id
    version = DataVersion.objects.filter(plan_id=key).values_list("version", flat=True).first()
    return int(version or 0)


def versions(plan_ids: Iterable[int]) -> dict[int, int]:
    """The counters of these plans in one query (0 for a plan never written)."""
    from cicte.core.models import DataVersion

    wanted = list(plan_ids)
    found = dict(DataVersion.objects.filter(plan_id__in=wanted).values_list("plan_id", "version"))
    return {plan_id: int(found.get(plan_id) or 0) for plan_id in wanted}


def track(model: type[models.Model], *, plans: PlanIds | None = None) -> None:
    """Bump the plans ``plans(instance)`` names when an instance of ``model`` is saved or
    deleted, or when one of its many-to-many relations changes. ``plans=None``: reference
    data, every counter moves."""

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):  # loaddata
            return
        if plans is None:
            bump_all()
        else:
            bump(*plans(instance))

    def m2m(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
        if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, model):
            changed(sender, instance)

    uid = f"cicte.dataversion.{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(m2m, sender=through, weak=False, dispatch_uid=f"{uid}.{field.name}")


def through(relation: str) -> PlanIds:
    """``plans`` for a model that reaches its plan through the foreign key ``relation``
    (``through("event")``): the related object's ``plan_id``, read from the instance when it
    is loaded already (a service's own object), else with one small query."""

    def plan_ids(instance: Any) -> list[int | None]:
        field = type(instance)._meta.get_field(relation)
        if field.is_cached(instance):
            related = getattr(instance, relation)
            return [getattr(related, "plan_id", None)] if related is not None else []
        related_id = getattr(instance, field.attname)
        if related_id is None:
            return []
        model = field.related_model
        return list(model.objects.filter(pk=related_id).values_list("plan_id", flat=True))

    return plan_ids


def own_plan(instance: Any) -> list[int | None]:
    """``plans`` for a model with a ``plan`` foreign key."""
    return [instance.plan_id]
