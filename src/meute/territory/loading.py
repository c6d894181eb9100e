"""Load the committed reference territory into the database tables.

Used by migration 0002 (with historical models) and by :func:`ensure_loaded` wherever the
tables may have been emptied (a full flush, as transactional tests do).
"""

from __future__ import annotations

from typing import Any

from meute.territory import reference


def load(region_model: Any, department_model: Any, commune_model: Any) -> int:
    """Insert every région, département and commune; returns the number of communes."""
    region_model.objects.bulk_create([region_model(code=r.code, name=r.name) for r in reference.regions().values()])
    department_model.objects.bulk_create(
        [department_model(code=d.code, name=d.name, region_id=d.region) for d in reference.departments().values()]
    )
    communes = [
        commune_model(
            insee=c.insee, name=c.name, department_id=c.department, postal_codes=" ".join(c.postal_codes),
            latitude=c.lat, longitude=c.lon, population=c.population,
        )
        for c in reference.communes().values()
    ]
    commune_model.objects.bulk_create(communes, batch_size=2000)
    return len(communes)


def ensure_loaded() -> bool:
    """Load the territory if its tables are empty; True when it loaded."""
    from meute.territory.models import Commune, Department, Region

    if Commune.objects.exists():
        return False
    load(Region, Department, Commune)
    return True
