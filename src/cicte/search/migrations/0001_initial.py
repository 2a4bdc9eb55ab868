from django.db import migrations, models

from cicte.search import backend


def create_full_text(apps, schema_editor):
    for statement in backend.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_full_text(apps, schema_editor):
    for statement in backend.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Entry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(max_length=60)),
                ("object_id", models.BigIntegerField()),
                ("title", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("language", models.CharField(blank=True, max_length=16)),
            ],
            options={"db_table": "search_entry"},
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.UniqueConstraint(
                fields=("scope", "object_id"), name="search_entry_unique"
            ),
        ),
        # SQLite: the FTS5 table and its triggers; PostgreSQL: the GIN index (search/backend.py).
        migrations.RunPython(create_full_text, drop_full_text, elidable=False),
    ]
