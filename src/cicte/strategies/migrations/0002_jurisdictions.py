"""A jurisdiction for each of the 35 member states, and the OAS as an organisation."""

from django.db import migrations


def forwards(apps, schema_editor):
    MemberState = apps.get_model("directory", "MemberState")
    Jurisdiction = apps.get_model("strategies", "Jurisdiction")
    for state in MemberState.objects.all():
        Jurisdiction.objects.get_or_create(
            code=state.code, defaults={"kind": "state", "member_state": state}
        )
    Jurisdiction.objects.get_or_create(
        code="OAS",
        defaults={
            "kind": "organisation",
            "name_en": "Organization of American States",
            "name_es": "Organización de los Estados Americanos",
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("strategies", "Jurisdiction").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("strategies", "0001_initial"), ("directory", "0002_member_states")]
    operations = [migrations.RunPython(forwards, backwards)]
