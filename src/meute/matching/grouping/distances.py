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


def _level_keys(levels: list[NafLevels | None], attr: str) -> np.ndarray:
    vals = [getattr(lv, attr) if lv else None for lv in levels]
    ids = {v: k for k, v in enumerate(sorted({v for v in vals if v}))}
    return np.array([ids[v] if v else -1 for v in vals], dtype=np.int64)


def _naf_term(cands: Sequence[Candidate]) -> np.ndarray:
    levels = [naf_levels(c.naf) if c.naf else None for c in cands]
    out = np.zeros((len(cands), len(cands)))
    steps = (("sous_classe", 0.2), ("classe", 0.4), ("groupe", 0.6), ("division", 0.8))
    for attr, value in (*steps, ("section", 1.0)):
        key = _level_keys(levels, attr)
        out = np.maximum(out, value * (key[:, None] != key[None, :]))
    missing = np.array([lv is None for lv in levels])
    out[missing, :] = 0.5
    out[:, missing] = 0.5
    return out


def _numeric_term(values: list[float | None], cap: float) -> np.ndarray:
    x = np.array([np.nan if v is None else float(v) for v in values])
    out = np.minimum(np.abs(x[:, None] - x[None, :]) / cap, 1.0)
    return np.where(np.isnan(out), 0.5, out)


def _tags_term(cands: Sequence[Candidate]) -> np.ndarray:
    names = sorted({t for c in cands for t in c.tags})
    if not names:
        return np.zeros((len(cands), len(cands)))
    col = {t: k for k, t in enumerate(names)}
    x = np.zeros((len(cands), len(names)))
    for i, c in enumerate(cands):
        for t in c.tags:
            x[i, col[t]] = 1.0
    inter = x @ x.T
    union = x.sum(1)[:, None] + x.sum(1)[None, :] - inter
    return np.where(union > 0, 1.0 - inter / np.maximum(union, 1.0), 0.0)


def diversity_matrix(cands: Sequence[Candidate], weights: DiversityWeights) -> np.ndarray:
    """Pairwise diversity of ``cands`` (symmetric, zero diagonal, values in [0, scale])."""
    w = weights
    total = w.naf + w.size + w.seniority + w.tags
    bands = [headcount_band(c.headcount) if c.headcount is not None else None for c in cands]
    d = w.naf * _naf_term(cands)
    d += w.size * _numeric_term(bands, len(_HEADCOUNT_BANDS) - 1)
    d += w.seniority * _numeric_term([c.founded for c in cands], w.seniority_cap_years)
    d += w.tags * _tags_term(cands)
    d *= w.scale / total
    np.fill_diagonal(d, 0.0)
    return d


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
    """Conflict pairs produced by the competitor rule, with the reason for each."""
    if not rule.enabled:
        return []
    by_classe: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        if c.naf:
            by_classe[naf_levels(c.naf).classe].append(i)
    found = []
    for classe, members in by_classe.items():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                reason = _competitor_reason(cands[i], cands[j], classe, rule)
                if reason:
                    found.append(Conflict(i, j, reason))
    return found


def _competitor_reason(a: Candidate, b: Candidate, classe: str, rule: CompetitorRule) -> str:
    if not (a.located and b.located):
        return f"same NAF classe {classe}, location unknown"
    km = haversine_km(a.lat, a.lon, b.lat, b.lon)
    if km > rule.max_km:
        return ""
    return f"same NAF classe {classe} and {km:.0f} km apart"


def merge_conflicts(*lists: Iterable[Conflict]) -> tuple[Conflict, ...]:
    """One conflict per pair; reasons of duplicates are joined with '; '."""
    reasons: dict[tuple[int, int], list[str]] = {}
    for conflicts in lists:
        for c in conflicts:
            found = reasons.setdefault((c.a, c.b), [])
            if c.reason not in found:
                found.append(c.reason)
    return tuple(Conflict(a, b, "; ".join(r)) for (a, b), r in sorted(reasons.items()))
