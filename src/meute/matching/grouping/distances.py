"""Pairwise diversity of candidates, great-circle distances and the competitor rule.

The diversity of two candidates combines four terms, each in [0, 1]:

* NAF activity: 1 for different sections, 0.8 same section but different division, 0.6
  same division, 0.4 same groupe, 0.2 same classe, 0 same sous-classe;
* company size: distance between INSEE headcount bands, divided by the number of bands;
* seniority: difference of founding years divided by a cap (30 years), at most 1;
* tags: Jaccard distance of the tag sets.

A missing attribute makes its term 0.5 (neutral).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from meute.matching.grouping.errors import GroupingInputError
from meute.matching.grouping.problem import Candidate, Conflict, DiversityWeights

EARTH_RADIUS_KM = 6371.0088

# NAF rev. 2 sections by division ranges (first two digits).
_SECTIONS = (
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
)
# INSEE headcount bands (lower bounds): 0, 1-2, 3-5, 6-9, 10-19, 20-49, ... 5000+.
_HEADCOUNT_BANDS = (0, 1, 3, 6, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000)


@dataclass(frozen=True)
class NafLevels:
    """The NAF hierarchy of a code such as ``62.01Z``."""

    section: str
    division: str
    groupe: str
    classe: str
    sous_classe: str


def naf_levels(code: str) -> NafLevels:
    """Split a NAF code ``DD.DDL`` into its levels; raises GroupingInputError if malformed."""
    c = code.strip().upper()
    if len(c) != 6 or c[2] != "." or not (c[:2] + c[3:5]).isdigit() or not c[5].isalpha():
        raise GroupingInputError(f"NAF code {code!r} is not of the form 62.01Z.")
    div = int(c[:2])
    section = next((s for s, a, b in _SECTIONS if a <= div <= b), None)
    if section is None:
        raise GroupingInputError(f"NAF code {code!r}: division {c[:2]} does not exist.")
    return NafLevels(section, c[:2], c[:4], c[:5], c)


def headcount_band(headcount: int) -> int:
    """Index of the INSEE headcount band holding ``headcount`` employees."""
    band = 0
    for k, low in enumerate(_HEADCOUNT_BANDS):
        if headcount >= low:
            band = k
    return band


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def km_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """All pairwise great-circle distances in km (haversine)."""
    p, lam = np.radians(lat)[:, None], np.radians(lon)[:, None]
    dp, dl = p - p.T, lam - lam.T
    h = np.sin(dp / 2) ** 2 + np.cos(p) * np.cos(p.T) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


_NAF_STEPS = (("sous_classe", 0.2), ("classe", 0.4), ("groupe", 0.6), ("division", 0.8), ("section", 1.0))


def _level_keys(levels: list[NafLevels | None], attr: str) -> np.ndarray:
    vals = [getattr(lv, attr) if lv else None for lv in levels]
    ids = {v: k for k, v in enumerate(sorted({v for v in vals if v}))}
    return np.array([ids[v] if v else -1 for v in vals], dtype=np.int64)


def _numeric_term(x: np.ndarray, cap: float) -> np.ndarray:
    out = np.minimum(np.abs(x[:, None] - x[None, :]) / cap, 1.0)
    return np.where(np.isnan(out), 0.5, out)


class DiversityFeatures:
    """The candidates' attributes as arrays, read once: the diversity of any subset is then
    a few vectorised operations (:meth:`matrix`), whatever the number of candidates."""

    def __init__(self, cands: Sequence[Candidate], weights: DiversityWeights) -> None:
        self.weights = weights
        levels = [naf_levels(c.naf) if c.naf else None for c in cands]
        self.naf = np.column_stack([_level_keys(levels, attr) for attr, _ in _NAF_STEPS]) if cands else \
            np.zeros((0, len(_NAF_STEPS)), dtype=np.int64)
        self.naf_missing = np.array([lv is None for lv in levels], dtype=bool)
        self.band = np.array([np.nan if c.headcount is None else float(headcount_band(c.headcount)) for c in cands])
        self.founded = np.array([np.nan if c.founded is None else float(c.founded) for c in cands])
        names = sorted({t for c in cands for t in c.tags})
        col = {t: k for k, t in enumerate(names)}
        self.tags = np.zeros((len(cands), len(names)))
        for i, c in enumerate(cands):
            for t in c.tags:
                self.tags[i, col[t]] = 1.0

    def matrix(self, idx: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """Pairwise diversity of the candidates ``idx`` (all when None)."""
        idx = np.arange(len(self.band)) if idx is None else np.asarray(idx, dtype=np.int64)
        w = self.weights
        naf = np.zeros((len(idx), len(idx)))
        keys = self.naf[idx]
        for k, (_attr, value) in enumerate(_NAF_STEPS):
            np.maximum(naf, value * (keys[:, k, None] != keys[None, :, k]), out=naf)
        missing = self.naf_missing[idx]
        naf[missing, :] = 0.5
        naf[:, missing] = 0.5
        d = w.naf * naf
        d += w.size * _numeric_term(self.band[idx], len(_HEADCOUNT_BANDS) - 1)
        d += w.seniority * _numeric_term(self.founded[idx], w.seniority_cap_years)
        d += w.tags * self._tags_term(idx)
        d *= w.scale / (w.naf + w.size + w.seniority + w.tags)
        np.fill_diagonal(d, 0.0)
        return d

    def _tags_term(self, idx: np.ndarray) -> np.ndarray:
        x = self.tags[idx]
        if x.shape[1] == 0:
            return np.zeros((len(idx), len(idx)))
        inter = x @ x.T
        count = x.sum(1)
        union = count[:, None] + count[None, :] - inter
        return np.where(union > 0, 1.0 - inter / np.maximum(union, 1.0), 0.0)


def diversity_matrix(cands: Sequence[Candidate], weights: DiversityWeights) -> np.ndarray:
    """Pairwise diversity of ``cands`` (symmetric, zero diagonal, values in [0, scale])."""
    return DiversityFeatures(cands, weights).matrix()


@dataclass(frozen=True)
class CompetitorRule:
    """Two companies compete when they share a NAF classe and are at most ``max_km`` apart.

    Without coordinates for one of them, sharing the classe is enough.
    """

    max_km: float = 30.0
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.max_km < 0:
            raise GroupingInputError("The competitor distance must be non-negative.")


def find_competitors(cands: Sequence[Candidate], rule: CompetitorRule) -> list[Conflict]:
    """Conflict pairs produced by the competitor rule, with the reason for each.

    Candidates are bucketed by NAF classe, then each classe's located candidates by a grid
    of cells at least ``max_km`` wide: only the pairs of neighbouring cells are measured, so
    the work grows with the pairs that are close, not with the square of the candidates."""
    if not rule.enabled:
        return []
    by_classe: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        if c.naf:
            by_classe[naf_levels(c.naf).classe].append(i)
    found = []
    for classe, members in by_classe.items():
        located = [i for i in members if cands[i].located]
        unknown = [i for i in members if not cands[i].located]
        for x, i in enumerate(unknown):  # without a location, sharing the classe is enough
            for j in (*unknown[x + 1:], *located):
                found.append(Conflict(i, j, f"same NAF classe {classe}, location unknown"))
        for i, j, km in _close_pairs(cands, located, rule.max_km):
            found.append(Conflict(i, j, f"same NAF classe {classe} and {km:.0f} km apart"))
    return found


def _close_pairs(cands: Sequence[Candidate], members: list[int], max_km: float) -> list[tuple[int, int, float]]:
    """The pairs of ``members`` (located) at most ``max_km`` apart, with their distance."""
    if len(members) < 2:
        return []
    lat = np.array([cands[i].lat for i in members])
    lon = np.array([cands[i].lon for i in members])
    # A cell of this many degrees is at least max_km wide (north-south and east-west).
    dlat = max(max_km, 1e-3) / (math.pi * EARTH_RADIUS_KM / 180.0)
    widest = min(89.0, float(np.abs(lat).max()) + dlat)
    dlon = min(360.0, dlat / math.cos(math.radians(widest)))
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, key in enumerate(zip((lat // dlat).astype(int).tolist(), (lon // dlon).astype(int).tolist(), strict=True)):
        cells[key].append(k)
    out = []
    for (cy, cx), inside in cells.items():
        near = [k for dy in (-1, 0, 1) for dx in (-1, 0, 1) for k in cells.get((cy + dy, cx + dx), ())]
        a = np.array(inside)[:, None]
        b = np.array(near)[None, :]
        km = _haversine_arrays(lat[a], lon[a], lat[b], lon[b])
        ia, ib = np.nonzero((a < b) & (km <= max_km))
        for x, y in zip(ia.tolist(), ib.tolist(), strict=True):
            i, j = members[inside[x]], members[near[y]]
            out.append((min(i, j), max(i, j), float(km[x, y])))
    return out


def _haversine_arrays(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def merge_conflicts(*lists: Iterable[Conflict]) -> tuple[Conflict, ...]:
    """One conflict per pair; reasons of duplicates are joined with '; '."""
    first: dict[tuple[int, int], str] = {}
    more: dict[tuple[int, int], list[str]] = {}
    for conflicts in lists:
        for c in conflicts:
            key = (c.a, c.b)
            if key not in first:
                first[key] = c.reason
            elif c.reason != first[key] and c.reason not in more.get(key, ()):
                more.setdefault(key, []).append(c.reason)
    return tuple(Conflict(a, b, "; ".join([r, *more.get((a, b), ())]) if more else r)
                 for (a, b), r in sorted(first.items()))
