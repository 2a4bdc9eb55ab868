"""Governments as donor organizations: the 35 member states and the OAS permanent observers
(``cicte.directory.data.PERMANENT_OBSERVERS``) fund most of the Work Plan, and a donor
account follows an organization. Each row gets the audit record the service would write."""

from django.db import migrations, models
from django.utils import timezone

REASON = "governments as donor organizations (member states and permanent observers)"


def government_names():
    from cicte.directory.countries import country_name
    from cicte.directory.data import MEMBER_STATES, PERMANENT_OBSERVERS

    states = [country_name(code, "en").replace(" & ", " and ") for code, *_rest in MEMBER_STATES]
    return sorted(states) + list(PERMANENT_OBSERVERS)


def add_governments(apps, schema_editor):
    Organization = apps.get_model("directory", "Organization")
    HistoricalOrganization = apps.get_model("directory", "HistoricalOrganization")
    now = timezone.now()
    for name in government_names():
        if Organization.objects.filter(name__iexact=name).exists():
            continue  # already in the directory (typed by hand): keep it as it is
        organization = Organization.objects.create(name=name, group="government")
        HistoricalOrganization.objects.create(
            id=organization.pk,
            name=organization.name,
            acronym="",
            group=organization.group,
            parent_unit="",
            website="",
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )


def remove_governments(apps, schema_editor):
    Organization = apps.get_model("directory", "Organization")
    Organization.objects.filter(group="government", name__in=government_names()).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0002_member_states'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalorganization',
            name='group',
            field=models.CharField(choices=[('oas_general_secretariat', 'OAS General Secretariat'), ('inter_american', 'Other inter-American organs, agencies and entities'), ('international', 'International, regional and subregional organizations'), ('government', 'Governments (member states and permanent observers)'), ('other', 'Other (donors, private sector, academia)')], default='other', max_length=30, verbose_name='group'),
        ),
        migrations.AlterField(
            model_name='organization',
            name='group',
            field=models.CharField(choices=[('oas_general_secretariat', 'OAS General Secretariat'), ('inter_american', 'Other inter-American organs, agencies and entities'), ('international', 'International, regional and subregional organizations'), ('government', 'Governments (member states and permanent observers)'), ('other', 'Other (donors, private sector, academia)')], default='other', max_length=30, verbose_name='group'),
        ),
        migrations.RunPython(add_governments, remove_governments),
    ]
