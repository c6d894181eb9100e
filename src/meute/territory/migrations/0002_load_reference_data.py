"""Load régions, départements and communes from the committed reference files."""

from django.db import migrations


def load(apps, schema_editor):
    from meute.territory.loading import load as load_territory

    load_territory(
        apps.get_model("territory", "Region"), apps.get_model("territory", "Department"),
        apps.get_model("territory", "Commune"),
    )


def unload(apps, schema_editor):
    apps.get_model("territory", "Commune").objects.all().delete()
    apps.get_model("territory", "Department").objects.all().delete()
    apps.get_model("territory", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_regions_departments_communes")]
    operations = [migrations.RunPython(load, unload)]
