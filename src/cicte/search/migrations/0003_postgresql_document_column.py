from django.db import migrations

from cicte.search import backend


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in backend.POSTGRESQL_DOCUMENT:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in backend.POSTGRESQL_DOCUMENT_UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    """PostgreSQL: the folded text's tsvector as a stored generated column with a GIN index
    (the expression index of 0001 let the planner recompute to_tsvector per row)."""

    dependencies = [("search", "0002_fts_insert_in_batches")]

    operations = [migrations.RunPython(forwards, backwards)]
