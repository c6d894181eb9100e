"""Tests for meute.territory.reference (pure Python, no Django)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from meute.territory.reference import (
    Commune,
    MissingCoordinates,
    UnknownCommune,
    commune,
    commune_by_postal_code,
    communes,
    departments,
    distance_km,
    regions,
    search_communes,
)


def test_commune_count() -> None:
    """COG 2025 has 34,875 communes."""
    assert len(communes()) == 34_875


def test_department_count() -> None:
    """There are 101 départements, Corsica and overseas included."""
    deps = departments()
    assert len(deps) == 101
    assert {"2A", "2B", "971", "976"} <= set(deps)


def test_region_count() -> None:
    """There are 18 régions."""
    assert len(regions()) == 18


def test_every_commune_has_a_known_department_and_region() -> None:
    """Each commune's département exists and belongs to the commune's région."""
    deps = departments()
    for c in communes().values():
        assert deps[c.department].region == c.region, c


def test_every_department_has_a_known_region() -> None:
    """Each département points at an existing région."""
    assert all(d.region in regions() for d in departments().values())


def test_every_commune_has_a_postal_code() -> None:
    """Every commune is served by at least one 5-digit postal code."""
    for c in communes().values():
        assert c.postal_codes and all(len(cp) == 5 and cp.isdigit() for cp in c.postal_codes), c


def test_rennes() -> None:
    """Rennes 35238 has postal code 35000 and coordinates near (48.11, -1.68)."""
    rennes = communes()["35238"]
    assert rennes.name == "Rennes"
    assert (rennes.department, rennes.region) == ("35", "53")
    assert "35000" in rennes.postal_codes
    assert rennes.lat == pytest.approx(48.11, abs=0.05)
    assert rennes.lon == pytest.approx(-1.68, abs=0.05)


def test_paris_postal_codes() -> None:
    """Paris 75056 carries the postal codes of its 20 arrondissements."""
    paris = communes()["75056"]
    assert {f"750{n:02d}" for n in range(1, 21)} <= set(paris.postal_codes)


def test_postal_code_lookup() -> None:
    """An arrondissement postal code finds Paris; a 4-digit code gets its leading zero back."""
    assert [c.insee for c in commune_by_postal_code("75011")] == ["75056"]
    assert "01053" in [c.insee for c in commune_by_postal_code("1000")]
    assert commune_by_postal_code("00000") == []


def test_names_include_article() -> None:
    """Official names keep their article (Le Havre, L'Abergement-Clémenciat)."""
    assert communes()["76351"].name == "Le Havre"
    assert communes()["01001"].name == "L'Abergement-Clémenciat"


def test_paris_lyon_distance() -> None:
    """Paris–Lyon is about 391 km."""
    assert distance_km("75056", "69123") == pytest.approx(391, abs=3)


def test_distance_accepts_communes_and_pairs() -> None:
    """distance_km takes Commune objects, INSEE codes and (lat, lon) pairs alike."""
    paris = communes()["75056"]
    assert distance_km(paris, paris.coordinates) == 0.0
    assert distance_km(paris, "69123") == pytest.approx(distance_km((48.8566, 2.3522), (45.7640, 4.8357)), abs=3)


def test_unknown_commune_raises() -> None:
    """An unknown INSEE code raises UnknownCommune, a LookupError naming the code."""
    with pytest.raises(UnknownCommune, match="99999") as info:
        distance_km("99999", "75056")
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownCommune):
        commune("00000")


def test_insee_code_normalisation() -> None:
    """commune() accepts lower-case Corsican codes and 4-digit codes."""
    assert commune("2a004").name == "Ajaccio"
    assert commune(" 1053 ").name == "Bourg-en-Bresse"


def test_communes_without_coordinates_are_few_and_refuse_distances() -> None:
    """Only a handful of communes lack coordinates, and distances to them raise MissingCoordinates."""
    missing = [c for c in communes().values() if c.coordinates is None]
    assert 0 < len(missing) <= 10
    with pytest.raises(MissingCoordinates, match=missing[0].insee):
        distance_km(missing[0], "75056")


def test_coordinates_are_in_france() -> None:
    """Metropolitan communes lie within metropolitan France's bounding box."""
    for c in communes().values():
        if c.coordinates is not None and not c.department.startswith("97"):
            assert 41.3 < c.lat < 51.1 and -5.2 < c.lon < 9.6, c  # type: ignore[operator]


def test_search_is_accent_and_case_insensitive() -> None:
    """'saint etienne' finds Saint-Étienne first."""
    assert search_communes("saint etienne")[0].insee == "42218"
    assert search_communes("SAINT-ÉTIENNE")[0].insee == "42218"


def test_search_prefix_limit_and_order() -> None:
    """Search is a prefix match honouring limit, exact matches first."""
    results = search_communes("par", limit=5)
    assert len(results) == 5
    assert all(c.name.lower().startswith("par") for c in results)
    assert search_communes("paris")[0].insee == "75056"


def test_search_without_article_and_abbreviation() -> None:
    """'havre' finds Le Havre and 'st malo' finds Saint-Malo."""
    assert search_communes("havre")[0].insee == "76351"
    assert search_communes("st malo")[0].insee == "35288"


def test_search_empty_text() -> None:
    """Empty or blank text returns no result."""
    assert search_communes("") == [] and search_communes("  -  ") == []


def test_commune_is_frozen() -> None:
    """Commune objects are immutable."""
    c: Commune = communes()["35238"]
    with pytest.raises(AttributeError):
        c.name = "x"  # type: ignore[misc]


def test_loaders_are_cached() -> None:
    """Loaders return the same object on every call."""
    assert communes() is communes()


def test_reader_does_not_import_django() -> None:
    """Importing and loading the reader never imports Django."""
    code = (
        "import sys, meute.territory, meute.territory.reference as r; r.communes(); r.search_communes('a');"
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_load_time() -> None:
    """Loading the communes takes well under a second."""
    code = (
        "import time; t = time.perf_counter(); import meute.territory.reference as r; r.communes();"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert float(out.stdout) < 1.0
