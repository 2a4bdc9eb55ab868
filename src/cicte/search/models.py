"""One row per indexed object: ``(scope, object_id)`` and its folded text.

The full-text structures live beside the table and are created by the migrations:
on SQLite the FTS5 table ``search_entry_fts`` (external content, kept in step by triggers),
on PostgreSQL a GIN index over ``to_tsvector('simple', ...)`` of the folded text.
"""

from __future__ import annotations

from django.db import models


class Entry(models.Model):
    scope = models.CharField(max_length=60)  # "<app>.<model>", e.g. "delivery.event"
    object_id = models.BigIntegerField()
    title = models.TextField(blank=True)  # folded words (search.text.document)
    body = models.TextField(blank=True)  # folded words
    language = models.CharField(max_length=16, blank=True)

    class Meta:
        db_table = "search_entry"
        constraints = [
            models.UniqueConstraint(fields=["scope", "object_id"], name="search_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.object_id}"
