"""French territory reference data: régions, départements, communes (COG 2025).

Pure Python (standard library only, no Django), so the optimisation library and its
command-line tools can use it as well as the web application. The data are the
committed files in ``data/`` (see ``data/PROVENANCE.md``), loaded once and cached.

>>> communes()["35238"].name
'Rennes'
>>> [c.insee for c in commune_by_postal_code("35000")]
['35238']
>>> round(distance_km("75056", "69123"))
391

Every loader returns the same cached object on each call: treat it as read-only.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from meute.core.text import fold_words

__all__ = [
    "Commune",
    "Department",
    "MissingCoordinates",
    "Region",
    "UnknownCommune",
    "close_communes",
    "commune",
    "commune_by_postal_code",
    "communes",
    "communes_named",
    "departments",
    "distance_km",
    "fold",
    "normalise_insee",
    "regions",
    "search_communes",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


class UnknownCommune(LookupError):
    """An INSEE code that is not a commune of the reference data."""

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(f"unknown commune INSEE code {code!r} (not a commune in COG 2025)")


class MissingCoordinates(ValueError):
    """A commune without coordinates was used where a location is needed."""

    def __init__(self, commune: Commune) -> None:
        self.commune = commune
        super().__init__(f"commune {commune.insee} ({commune.name}) has no coordinates in the reference data")


@dataclass(frozen=True, slots=True)
class Region:
    """A région (INSEE code, e.g. ``"53"`` for Bretagne)."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Department:
    """A département (INSEE code, e.g. ``"35"``, ``"2A"``, ``"974"``) and its région code."""

    code: str
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune (type COM) of the Code officiel géographique.

    ``lat``/``lon`` (WGS 84) locate the town hall, or the polygon centroid when the
    town-hall point is unknown or implausible. They are ``None`` for 4 communes
    (see ``data/PROVENANCE.md``). ``population`` is the INSEE municipal population
    (2017 vintage) and is ``None`` for Mayotte.
    """

    insee: str
    name: str
    department: str
    region: str
    postal_codes: tuple[str, ...]
    lat: float | None
    lon: float | None
    population: int | None

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """``(lat, lon)``, or ``None`` when unknown."""
        if self.lat is None or self.lon is None:
            return None
        return (self.lat, self.lon)

    def __str__(self) -> str:
        return f"{self.name} ({self.department})"


# --------------------------------------------------------------------------- loaders


def _read_csv(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    if name.endswith(".gz"):
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def regions() -> dict[str, Region]:
    """All 18 régions, by INSEE code, in code order."""
    return {r["code"]: Region(r["code"], r["name"]) for r in _read_csv("regions.csv")}


@cache
def departments() -> dict[str, Department]:
    """All 101 départements, by code (``"01"`` … ``"2A"``, ``"2B"`` … ``"976"``), in INSEE order."""
    return {r["code"]: Department(r["code"], r["name"], r["region"]) for r in _read_csv("departements.csv")}


@cache
def communes() -> dict[str, Commune]:
    """All 34,875 communes (COG 2025, type COM), by INSEE code, in INSEE order."""
    path = DATA_DIR / "communes.csv.gz"
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    reader = csv.reader(lines)
    next(reader)  # header: insee,name,department,region,postal_codes,lat,lon,population
    result: dict[str, Commune] = {}
    for insee, name, dep, reg, cps, lat, lon, pop in reader:
        result[insee] = Commune(
            insee,
            name,
            dep,
            reg,
            tuple(cps.split()),
            float(lat) if lat else None,
            float(lon) if lon else None,
            int(pop) if pop else None,
        )
    return result


def normalise_insee(code: object) -> str:
    """Canonical form of an INSEE commune code: upper-case, 5 characters.

    Accepts surrounding spaces, a lower-case Corsican code (``"2a004"``) and a
    4-digit code whose leading zero a spreadsheet dropped (``1053`` → ``"01053"``).
    The result is not checked against the reference data (see :func:`commune`).
    """
    text = str(code).strip().upper()
    if len(text) == 4 and text.isdigit():
        text = "0" + text
    return text


def commune(code: object) -> Commune:
    """The commune with INSEE code ``code`` (normalised first); raises :class:`UnknownCommune`."""
    try:
        return communes()[normalise_insee(code)]
    except KeyError:
        raise UnknownCommune(code) from None


@cache
def _postal_index() -> dict[str, tuple[Commune, ...]]:
    index: dict[str, list[Commune]] = {}
    for c in communes().values():
        for cp in c.postal_codes:
            index.setdefault(cp, []).append(c)
    return {cp: tuple(sorted(cs, key=lambda c: (fold(c.name), c.insee))) for cp, cs in index.items()}


def commune_by_postal_code(postal_code: object) -> list[Commune]:
    """Communes served by a postal code, sorted by name; empty list if none.

    Spaces are ignored and a 4-digit code gets its leading zero back
    (``"1000"`` → ``"01000"``). Paris, Lyon and Marseille answer for their
    arrondissements' codes (``"75011"`` → Paris).
    """
    text = "".join(str(postal_code).split())
    if len(text) == 4 and text.isdigit():
        text = "0" + text
    return list(_postal_index().get(text, ()))


# --------------------------------------------------------------------------- search

_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_ARTICLES = ("le ", "la ", "les ", "l ", "aux ", "las ", "los ")


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form used for matching.

    ``"L'Haÿ-les-Roses"`` → ``"l hay les roses"``; ``"Œuilly"`` → ``"oeuilly"``.
    """
    return fold_words(text)


def _expand(query: str, *, last_word_complete: bool) -> str:
    """Spell out "st"/"ste" as "saint"/"sainte" (the last word only once it is complete)."""
    words = query.split(" ")
    for i, word in enumerate(words):
        if i < len(words) - 1 or last_word_complete:
            words[i] = _ABBREVIATIONS.get(word, word)
    return " ".join(words)


def _name_keys(name: str) -> Iterable[str]:
    key = fold(name)
    yield key
    for article in _ARTICLES:  # "Le Havre" is also found by typing "havre"
        if key.startswith(article):
            yield key[len(article) :]
            break


def name_matches(name: str, typed: str) -> bool:
    """Whether ``typed`` names the commune ``name`` (case, accents, "St", a leading article aside)."""
    wanted = _expand(fold(typed), last_word_complete=True)
    return wanted in set(_name_keys(name))


@cache
def _name_index() -> tuple[list[str], list[Commune]]:
    entries = sorted(
        ((key, c.insee, c) for c in communes().values() for key in _name_keys(c.name)),
        key=lambda e: (e[0], e[1]),
    )
    return [e[0] for e in entries], [e[2] for e in entries]


def search_communes(text: str, limit: int = 20) -> list[Commune]:
    """Communes whose name starts with ``text``, ignoring case, accents and punctuation.

    Meant for autocompletion: ``"saint etienne"`` finds Saint-Étienne, ``"st"``
    expands to ``"saint"``, and a leading article may be omitted (``"havre"`` finds
    Le Havre). Text made of digits is matched as a postal-code prefix instead
    (``"350"``). Results: exact name matches first, then by decreasing population,
    then by name; at most ``limit`` (``limit <= 0`` means no limit).
    """
    query = fold(text)
    if not query:
        return []
    if query.replace(" ", "").isdigit():
        prefix = query.replace(" ", "")
        found = {c.insee: c for cp, cs in _postal_index().items() if cp.startswith(prefix) for c in cs}
        matches = list(found.values())
        exact: set[str] = set()
    else:
        query = _expand(query, last_word_complete=not text[-1].isalnum())
        keys, values = _name_index()
        found = {}
        exact = set()
        i = bisect_left(keys, query)
        while i < len(keys) and keys[i].startswith(query):
            c = values[i]
            found[c.insee] = c
            if keys[i] == query:
                exact.add(c.insee)
            i += 1
        matches = list(found.values())
    matches.sort(key=lambda c: (c.insee not in exact, -(c.population or 0), fold(c.name), c.insee))
    return matches if limit <= 0 else matches[:limit]


@cache
def _exact_indexes() -> tuple[dict[str, tuple[Commune, ...]], dict[str, tuple[Commune, ...]]]:
    full: dict[str, list[Commune]] = {}
    short: dict[str, list[Commune]] = {}
    for c in communes().values():
        keys = list(_name_keys(c.name))
        full.setdefault(keys[0], []).append(c)
        for key in keys[1:]:
            short.setdefault(key, []).append(c)
    return ({k: tuple(v) for k, v in full.items()}, {k: tuple(v) for k, v in short.items()})


def communes_named(text: str) -> list[Commune]:
    """Communes whose whole name is ``text``, ignoring case, accents, hyphens and "St"/"Ste".

    ``"st etienne"`` → Saint-Étienne; ``"havre"`` → Le Havre (the article may be left out,
    unless another commune's full name is exactly that). Several communes may share a name
    (``"saint denis"``): all are returned, by INSEE code.
    """
    key = _expand(fold(text), last_word_complete=True)
    full, short = _exact_indexes()
    return list(full.get(key) or short.get(key) or ())


@cache
def close_communes(text: str, limit: int = 5) -> tuple[Commune, ...]:
    """Communes whose name is close to ``text`` (for "did you mean…?"): by prefix, else by spelling."""
    import difflib

    key = _expand(fold(text), last_word_complete=True)
    if not key:
        return ()
    found = search_communes(key, limit=limit)
    if found:
        return tuple(found)
    full, _short = _exact_indexes()
    pool = [k for k in full if k[:1] == key[:1]]
    names = difflib.get_close_matches(key, pool, n=limit, cutoff=0.75)
    result = [c for name in names for c in full[name]]
    words = key.split(" ")
    for end in range(len(words) - 1, 0, -1):  # "poitiers sur mer" → Poitiers
        if result:
            break
        result = list(communes_named(" ".join(words[:end])))
    result.sort(key=lambda c: -(c.population or 0))
    return tuple(result[:limit])


# --------------------------------------------------------------------------- distances

Location = Commune | str | tuple[float, float]


def _lat_lon(value: Location) -> tuple[float, float]:
    if isinstance(value, Commune):
        c = value
    elif isinstance(value, str):
        c = commune(value)
    elif isinstance(value, tuple) and len(value) == 2:
        lat, lon = float(value[0]), float(value[1])
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ValueError(f"not a (lat, lon) pair in degrees: {value!r}")
        return lat, lon
    else:
        raise TypeError(f"expected a Commune, an INSEE code or a (lat, lon) pair, got {value!r}")
    if c.lat is None or c.lon is None:
        raise MissingCoordinates(c)
    return c.lat, c.lon


def distance_km(a: Location, b: Location) -> float:
    """Great-circle (haversine) distance in kilometres.

    ``a`` and ``b`` are each a :class:`Commune`, an INSEE code (``"69123"``) or a
    ``(lat, lon)`` pair in degrees. Raises :class:`UnknownCommune` for an unknown
    code and :class:`MissingCoordinates` for one of the 4 communes without
    coordinates.
    """
    lat1, lon1 = _lat_lon(a)
    lat2, lon2 = _lat_lon(b)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
