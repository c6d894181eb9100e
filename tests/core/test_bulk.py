"""core.bulk: multi-row writes store exactly what save() would."""

import datetime

import pytest
from django.utils import timezone

from meute.core.bulk import bulk_insert, bulk_set
from meute.core.models import AuditEntry
from meute.members.models import Company
from tests.factories import CompanyFactory


@pytest.mark.django_db
def test_bulk_set_writes_text_numbers_and_datetimes():
    """bulk_set updates several fields of many rows, datetimes included, and only those rows."""
    companies = [CompanyFactory() for _ in range(3)]
    when = timezone.now() - datetime.timedelta(days=3)
    for i, company in enumerate(companies[:2]):
        company.name, company.founded_year, company.updated = f"Renommée {i}", 1990 + i, when
    assert bulk_set(Company, companies[:2], ["name", "founded_year", "updated"], batch_size=1) == 2
    stored = {c.pk: c for c in Company.objects.all()}
    assert [(stored[c.pk].name, stored[c.pk].founded_year) for c in companies[:2]] == [
        ("Renommée 0", 1990), ("Renommée 1", 1991)]
    assert stored[companies[0].pk].updated == when and stored[companies[2].pk].name == companies[2].name


@pytest.mark.django_db
def test_bulk_insert_sets_ids_timestamps_and_json():
    """bulk_insert gives each object its id, stamps auto_now_add fields and stores JSON."""
    entries = [AuditEntry(action="test.bulk", data={"n": i, "text": "é"}) for i in range(5)]
    bulk_insert(AuditEntry, entries, batch_size=2)
    assert all(e.pk for e in entries) and len({e.pk for e in entries}) == 5
    stored = AuditEntry.objects.get(pk=entries[3].pk)
    assert stored.data == {"n": 3, "text": "é"} and stored.created is not None
