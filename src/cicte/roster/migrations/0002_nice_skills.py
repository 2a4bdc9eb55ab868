"""Seed the roster's skills from the shipped official NICE Framework components file
(NIST, v2.0.0): the 41 work roles, as ``cicte import-skills`` would import them."""

from pathlib import Path

from django.db import migrations
from django.utils import timezone

from cicte.roster.skills import SHIPPED_FILE, parse_nice_json

DATA = Path(__file__).resolve().parents[1] / "data" / SHIPPED_FILE


def load(apps, schema_editor):
    Skill = apps.get_model("roster", "Skill")
    History = apps.get_model("roster", "HistoricalSkill")
    parsed = parse_nice_json(DATA.read_bytes())
    for row in parsed.skills:
        skill, created = Skill.objects.update_or_create(
            framework=parsed.framework,
            identifier=row.identifier,
            defaults={
                "version": parsed.version,
                "title": row.title,
                "description": row.description,
                "category": row.category,
            },
        )
        # The audit record the service would have written (django-simple-history).
        History.objects.create(
            id=skill.pk,
            framework=skill.framework,
            version=skill.version,
            identifier=skill.identifier,
            title=skill.title,
            description=skill.description,
            category=skill.category,
            history_date=timezone.now(),
            history_type="+" if created else "~",
            history_change_reason="seeded from the official NICE Framework file",
        )


class Migration(migrations.Migration):
    dependencies = [("roster", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
