"""Phones stored before every path wrote the French display form (``+33 6 12 34 56 78``, ``0612345678``)
are rewritten as ``06 12 34 56 78``, the form the back office and imports now store.

A number abroad is written in its international form; one that does not read as a valid number is
left as it is (a person may have typed an extension or a note). The rule is that of
``members.validation.clean_phone``, restated here so this migration keeps its meaning if that changes.
"""

import phonenumbers
from django.db import migrations

BATCH = 2_000


def display(text):
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    if number.country_code == 33 and not number.italian_leading_zero:
        digits = f"0{number.national_number:09d}"
        return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phones_in_display_form(apps, schema_editor):
    Leader = apps.get_model("members", "Leader")
    changed = []
    for leader in Leader.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=BATCH):
        written = display(leader.phone.strip())
        if written != leader.phone:
            leader.phone = written
            changed.append(leader)
        if len(changed) >= BATCH:
            Leader.objects.bulk_update(changed, ["phone"])
            changed = []
    Leader.objects.bulk_update(changed, ["phone"])


class Migration(migrations.Migration):
    dependencies = [("members", "0013_membership_count_indexes")]

    operations = [migrations.RunPython(phones_in_display_form, migrations.RunPython.noop)]
