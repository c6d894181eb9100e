"""Simultaneous new versions of one document, on PostgreSQL only (SQLite serialises every write)."""

import pytest
from django.db import connection

from meute.documents.services import check_add_version
from tests.concurrency.helpers import race
from tests.documents.factories import add_document
from tests.files import samples

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_simultaneous_new_versions_get_distinct_numbers():
    """Four uploads of a new version at once: numbers 2 to 5, each stored, the last numbered is current."""
    document = add_document()
    staff = document.uploaded_by

    def upload(index: int):
        return lambda: check_add_version(document, acting_user=staff, note=f"v{index}",
                                         uploaded=samples.upload(f"v{index}.pdf", samples.pdf_bytes(f"v{index}")))

    results = race(*(upload(i) for i in range(4)))
    assert sorted(version.number for version in results) == [2, 3, 4, 5]
    document.refresh_from_db()
    assert document.version_count == 5 and document.current.number == 5
    assert len({version.file.name for version in results}) == 4
