"""Folded expertise for the directory's expertise filter, trigram-indexed on PostgreSQL."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from meute.core.text import fold

    Leader = apps.get_model("members", "Leader")
    batch = []
    for leader in Leader.objects.only("id", "expertise").iterator(chunk_size=2000):
        leader.expertise_search = fold(leader.expertise)
        batch.append(leader)
        if len(batch) == 2000:
            Leader.objects.bulk_update(batch, ["expertise_search"])
            batch = []
    Leader.objects.bulk_update(batch, ["expertise_search"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS members_leader_expertise_trgm ON members_leader "
            "USING gin (expertise_search gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS members_leader_expertise_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_company_department_activity_index")]
    operations = [
        migrations.AddField(
            model_name="leader",
            name="expertise_search",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
