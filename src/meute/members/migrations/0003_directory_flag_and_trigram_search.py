"""Fill ``Leader.in_directory``; on PostgreSQL, index the directory's search text with trigrams."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def fill_flag(apps, schema_editor):
    Leader = apps.get_model("members", "Leader")
    Membership = apps.get_model("members", "Membership")
    active = Membership.objects.filter(leader=OuterRef("pk"), status="active")
    Leader.objects.update(in_directory=False)
    Leader.objects.filter(Exists(active), listed=True).update(in_directory=True)


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS members_leader_search_trgm ON members_leader "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS members_leader_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0002_leader_in_directory")]
    operations = [
        migrations.RunPython(fill_flag, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
