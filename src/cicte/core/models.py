"""The one model of ``core``: the data version counters behind caches and stored renders."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """One small counter per plan (``plan_id``; 0 counts every plan): bumped by every write
    to the plan's events, participants, targets, contributions or narratives
    (:mod:`cicte.core.dataversion`). A cache key or a stored render that names the version
    it was built from is stale as soon as the counter moves. Not audited: it is derived."""

    plan_id = models.IntegerField(unique=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"plan {self.plan_id}: {self.version}"
