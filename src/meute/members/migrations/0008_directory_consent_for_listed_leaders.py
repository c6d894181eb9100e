"""Leaders who were listed before consent was recorded keep being listed: their consent date is set."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Leader = apps.get_model("members", "Leader")
    Leader.objects.filter(listed=True, directory_consent_at__isnull=True).update(directory_consent_at=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0007_consent_terms_erasure"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
