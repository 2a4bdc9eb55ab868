from django.db import migrations

from cicte.directory.data import MEMBER_STATES


def load(apps, schema_editor):
    MemberState = apps.get_model("directory", "MemberState")
    for code, alpha2, subregion, sids in MEMBER_STATES:
        MemberState.objects.update_or_create(
            code=code,
            defaults={"alpha2": alpha2, "subregion": subregion, "small_island_state": sids},
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
