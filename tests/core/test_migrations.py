import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    """Every model change has its migration."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"Missing migrations:\n{out.getvalue()}")


@pytest.mark.django_db
def test_reference_territory_is_loaded():
    """Migrations load every commune, département and région."""
    from meute.territory.models import Commune, Department, Region

    assert (Region.objects.count(), Department.objects.count()) == (18, 101)
    assert Commune.objects.count() > 34_000
