"""Addresses stored with capitals (through the admin) are written in lower case, like every other path.

An address whose lower-case form already belongs to another account is left as it is."""

from django.db import migrations
from django.db.models.functions import Lower


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    for user in User.objects.exclude(email=Lower("email")).only("pk", "email"):
        lower = user.email.lower()
        if lower not in taken:
            User.objects.filter(pk=user.pk).update(email=lower)
            taken.add(lower)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_calendar_token")]

    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
