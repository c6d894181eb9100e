"""Realistic regional candidate files for trials and benchmarks (``meute groups generate``).

Reference data comes in as plain values: the communes of the region as
``(insee, lat, lon, population)`` and a NAF sampling mix as ``(code, probability)``.

* commune: drawn with probability proportional to population;
* NAF code: drawn from the mix;
* headcount: log-uniform-ish mix typical of small firms (most under 50);
* founding year: recent firms more frequent (1960-2025);
* tags: ``women`` (28 %), ``repreneur`` (12 %), ``export`` (15 %);
* about 1 % of the candidates declare one competitor of the same NAF division nearby.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from meute.matching.grouping.distances import haversine_km

COLUMNS = ("id", "name", "company", "naf", "commune", "headcount", "founded", "tags", "competitors")
_FIRST = ("Camille", "Claire", "Julien", "Sophie", "Nicolas", "Amandine", "Thomas", "Marion", "Karim", "Léa")
_LAST = ("Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Garcia", "Roux", "Fournier", "Girard")
_TAGS = (("women", 0.28), ("repreneur", 0.12), ("export", 0.15))


def _headcount(rng: random.Random) -> int:
    band = rng.choices(((0, 2), (3, 9), (10, 49), (50, 249), (250, 999)), weights=(25, 35, 28, 10, 2))[0]
    return rng.randint(*band)


def _founded(rng: random.Random) -> int:
    return 2025 - min(65, int(rng.expovariate(1 / 14)))


def generate_candidates(
    n: int, seed: int, communes: Sequence[tuple[str, float, float, int]], naf_mix: Sequence[tuple[str, float]]
) -> list[dict[str, str]]:
    """``n`` candidate rows (dicts keyed by :data:`COLUMNS`), reproducible from ``seed``."""
    if n < 1 or not communes or not naf_mix:
        raise ValueError("Need n >= 1, some communes and a NAF mix.")
    rng = random.Random(seed)
    places = rng.choices(communes, weights=[max(1, c[3]) for c in communes], k=n)
    codes = rng.choices([c for c, _ in naf_mix], weights=[p for _, p in naf_mix], k=n)
    rows = []
    for i in range(n):
        tags = [t for t, p in _TAGS if rng.random() < p]
        person = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        rows.append(
            {
                "id": f"C{i + 1:05d}",
                "name": person,
                "company": f"{person.split()[1]} {codes[i][:2]}-{i + 1}",
                "naf": codes[i],
                "commune": places[i][0],
                "headcount": str(_headcount(rng)),
                "founded": str(_founded(rng)),
                "tags": ";".join(tags),
                "competitors": "",
            }
        )
    _declare_competitors(rows, places, rng)
    return rows


def _declare_competitors(
    rows: list[dict[str, str]], places: Sequence[tuple[str, float, float, int]], rng: random.Random
) -> None:
    by_division: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_division[row["naf"][:2]].append(i)
    for i in rng.sample(range(len(rows)), k=len(rows) // 100):
        near = [
            j
            for j in by_division[rows[i]["naf"][:2]]
            if j != i and haversine_km(places[i][1], places[i][2], places[j][1], places[j][2]) < 40
        ]
        if near:
            rows[i]["competitors"] = rows[rng.choice(near)]["id"]
