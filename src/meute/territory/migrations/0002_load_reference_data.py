"""Load régions, départements and communes from the committed reference files."""

from django.db import migrations


def load(apps, schema_editor):
    from meute.territory import reference

    Region = apps.get_model("territory", "Region")
    Department = apps.get_model("territory", "Department")
    Commune = apps.get_model("territory", "Commune")
    Region.objects.bulk_create([Region(code=r.code, name=r.name) for r in reference.regions().values()])
    Department.objects.bulk_create(
        [Department(code=d.code, name=d.name, region_id=d.region) for d in reference.departments().values()]
    )
    Commune.objects.bulk_create(
        [
            Commune(
                insee=c.insee, name=c.name, department_id=c.department, postal_codes=" ".join(c.postal_codes),
                latitude=c.lat, longitude=c.lon, population=c.population,
            )
            for c in reference.communes().values()
        ],
        batch_size=2000,
    )


def unload(apps, schema_editor):
    apps.get_model("territory", "Commune").objects.all().delete()
    apps.get_model("territory", "Department").objects.all().delete()
    apps.get_model("territory", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_regions_departments_communes")]
    operations = [migrations.RunPython(load, unload)]
