"""The peer-group formation problem: candidates, hard rules, soft penalties and weights.

A :class:`GroupingProblem` is frozen and validated on construction. It holds either an
explicit symmetric ``distances`` matrix (MDGPLIB instances) or a tuple of
:class:`Candidate` records from which the pairwise diversity is computed
(:mod:`meute.matching.grouping.distances`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np

from meute.matching.grouping.errors import GroupingInputError


@dataclass(frozen=True)
class Candidate:
    """One business leader. Every attribute but ``id`` is optional."""

    id: str
    naf: str | None = None
    lat: float | None = None
    lon: float | None = None
    headcount: int | None = None
    founded: int | None = None
    tags: frozenset[str] = frozenset()
    name: str = ""

    def __post_init__(self) -> None:
        if not str(self.id):
            raise GroupingInputError("A candidate needs a non-empty id.")
        if (self.lat is None) != (self.lon is None):
            raise GroupingInputError(f"Candidate {self.id}: give both lat and lon, or neither.")
        if self.lat is not None and not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise GroupingInputError(f"Candidate {self.id}: coordinates out of range.")
        if self.headcount is not None and self.headcount < 0:
            raise GroupingInputError(f"Candidate {self.id}: negative headcount.")
        object.__setattr__(self, "tags", frozenset(self.tags))

    @property
    def located(self) -> bool:
        return self.lat is not None


@dataclass(frozen=True)
class Conflict:
    """Two candidates (by index) that must never share a group, and why."""

    a: int
    b: int
    reason: str

    def __post_init__(self) -> None:
        if self.a == self.b:
            raise GroupingInputError(f"A candidate cannot conflict with itself ({self.a}).")
        if self.a > self.b:
            a, b = self.b, self.a
            object.__setattr__(self, "a", a)
            object.__setattr__(self, "b", b)


@dataclass(frozen=True)
class DiversityWeights:
    """Weights of the pairwise diversity between two candidates (each term in [0, 1]).

    The distance of a pair is ``scale * (naf*d_naf + size*d_size + seniority*d_age +
    tags*d_tags) / (naf + size + seniority + tags)``; see docs/algorithms/peer_groups.md.
    """

    naf: float = 0.5
    size: float = 0.2
    seniority: float = 0.15
    tags: float = 0.15
    scale: float = 100.0
    seniority_cap_years: float = 30.0

    def __post_init__(self) -> None:
        values = (self.naf, self.size, self.seniority, self.tags)
        if min(values) < 0 or sum(values) <= 0:
            raise GroupingInputError("Diversity weights must be non-negative with a positive sum.")
        if self.scale <= 0 or self.seniority_cap_years <= 0:
            raise GroupingInputError("Diversity scale and seniority cap must be positive.")


@dataclass(frozen=True)
class LocalityRule:
    """Distance to the group's meeting place: a soft preference and an optional hard maximum.

    Soft: each member farther than ``radius_km`` costs ``weight`` objective points per km
    beyond it. Hard (``max_km``, off when None): no member is ever farther than ``max_km``
    from the meeting place; candidates who cannot be seated within it are left out of the
    run (:attr:`Result.left_out`). The meeting place is the member location minimising the
    total distance (the medoid).
    """

    radius_km: float = 25.0
    weight: float = 2.0
    max_km: float | None = None

    def __post_init__(self) -> None:
        if self.radius_km < 0 or self.weight < 0:
            raise GroupingInputError("Locality radius and weight must be non-negative.")
        if self.max_km is not None and not (self.max_km > 0 and math.isfinite(self.max_km)):
            raise GroupingInputError("The hard maximum distance must be a positive number of km.")


@dataclass(frozen=True)
class BalanceRule:
    """Soft rule: spread candidates carrying each tag evenly across the groups.

    Penalty: ``weight * sum over tags and groups of (count - share * group size)^2``.
    """

    tags: tuple[str, ...] = ()
    weight: float = 10.0

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise GroupingInputError("Balance weight must be non-negative.")
        object.__setattr__(self, "tags", tuple(self.tags))


@dataclass(frozen=True)
class GroupingProblem:
    """Partition candidates into groups: hard bounds, conflicts and locks; soft penalties."""

    bounds: tuple[tuple[int, int], ...]
    distances: np.ndarray | None = field(default=None, repr=False, compare=False)
    candidates: tuple[Candidate, ...] | None = None
    conflicts: tuple[Conflict, ...] = ()
    locks: Mapping[int, int] = field(default_factory=dict)
    weights: DiversityWeights = field(default_factory=DiversityWeights)
    locality: LocalityRule | None = field(default_factory=LocalityRule)
    balance: BalanceRule = field(default_factory=BalanceRule)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bounds", tuple((int(a), int(b)) for a, b in self.bounds))
        object.__setattr__(self, "conflicts", tuple(self.conflicts))
        object.__setattr__(self, "locks", MappingProxyType(dict(self.locks)))
        self._check_source()
        self._check_bounds()
        self._check_conflicts_and_locks()

    def _check_source(self) -> None:
        if (self.distances is None) == (self.candidates is None):
            raise GroupingInputError("Give exactly one of a distance matrix or candidates.")
        if self.distances is not None:
            d = np.ascontiguousarray(self.distances, dtype=np.float64)
            if d.ndim != 2 or d.shape[0] != d.shape[1]:
                raise GroupingInputError("The distance matrix must be square.")
            if not np.all(np.isfinite(d)) or not np.allclose(d, d.T):
                raise GroupingInputError("The distance matrix must be finite and symmetric.")
            d = d.copy()
            np.fill_diagonal(d, 0.0)
            d.setflags(write=False)
            object.__setattr__(self, "distances", d)
        else:
            object.__setattr__(self, "candidates", tuple(self.candidates))
            ids = [c.id for c in self.candidates]
            if len(set(ids)) != len(ids):
                dup = sorted({i for i in ids if ids.count(i) > 1})[:5]
                raise GroupingInputError(f"Duplicated candidate ids: {', '.join(dup)}.")

    def _check_bounds(self) -> None:
        if not self.bounds:
            raise GroupingInputError("At least one group is needed.")
        for g, (lo, hi) in enumerate(self.bounds):
            if lo < 1 or hi < lo:
                raise GroupingInputError(f"Group {g}: size bounds {lo}-{hi} are not valid.")

    def _check_conflicts_and_locks(self) -> None:
        n = self.n
        for c in self.conflicts:
            if not (0 <= c.a < n and 0 <= c.b < n):
                raise GroupingInputError(f"Conflict ({c.a}, {c.b}) names an unknown candidate.")
        for i, g in self.locks.items():
            if not 0 <= i < n:
                raise GroupingInputError(f"Lock on unknown candidate index {i}.")
            if not 0 <= g < self.n_groups:
                raise GroupingInputError(
                    f"Candidate {self.label(i)} is locked to group {g}, "
                    f"but there are only {self.n_groups} groups (0-{self.n_groups - 1})."
                )

    @property
    def n(self) -> int:
        if self.distances is not None:
            return int(self.distances.shape[0])
        return len(self.candidates)

    @property
    def n_groups(self) -> int:
        return len(self.bounds)

    @cached_property
    def located(self) -> bool:
        """True when every candidate has coordinates (locality can be measured); computed once,
        since the evaluation asks per group."""
        return self.candidates is not None and all(c.located for c in self.candidates)

    @cached_property
    def features(self):
        """The candidates' attributes as arrays, for the diversity of any subset (read once)."""
        from meute.matching.grouping.distances import DiversityFeatures

        return DiversityFeatures(self.candidates or (), self.weights)

    @cached_property
    def conflict_pairs(self) -> np.ndarray:
        """The conflicts as an array of (a, b) index pairs, in the order of :attr:`conflicts`."""
        return np.array([(c.a, c.b) for c in self.conflicts], dtype=np.int64).reshape(-1, 2)

    @cached_property
    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of the candidates (NaN where unknown), read once."""
        cands = self.candidates or ()
        return (np.array([np.nan if c.lat is None else c.lat for c in cands], dtype=float),
                np.array([np.nan if c.lon is None else c.lon for c in cands], dtype=float))

    def label(self, i: int) -> str:
        """Human label of candidate ``i``: its id, or ``#i`` for matrix instances."""
        if self.candidates is not None:
            return self.candidates[i].id
        return f"#{i}"

    @property
    def max_km(self) -> float | None:
        """The hard maximum distance to the meeting place, when it applies (located candidates)."""
        rule = self.locality
        return rule.max_km if rule is not None and self.located else None

    def subset(self, keep: Sequence[int], bounds: Sequence[tuple[int, int]] | None = None) -> GroupingProblem:
        """The same problem restricted to candidates ``keep`` (conflicts and locks renumbered)."""
        if self.candidates is None:
            raise GroupingInputError("Only candidate problems can be restricted.")
        local = {int(i): k for k, i in enumerate(keep)}
        return GroupingProblem(
            bounds=tuple(bounds if bounds is not None else self.bounds),
            candidates=tuple(self.candidates[i] for i in keep),
            conflicts=tuple(Conflict(local[c.a], local[c.b], c.reason) for c in self.conflicts
                            if c.a in local and c.b in local),
            locks={local[i]: g for i, g in self.locks.items() if i in local},
            weights=self.weights,
            locality=self.locality,
            balance=self.balance,
        )

    @classmethod
    def from_matrix(cls, distances: np.ndarray, bounds: Sequence[tuple[int, int]], **kwargs: object) -> GroupingProblem:
        """A plain MDGP instance: maximise the within-group sum of ``distances``."""
        kwargs.setdefault("locality", None)
        return cls(bounds=tuple(bounds), distances=np.asarray(distances), **kwargs)


def resolve_bounds(n: int, size: tuple[int, int] = (10, 12), groups: int | None = None) -> tuple[tuple[int, int], ...]:
    """Per-group bounds for ``n`` candidates, sizes ``size`` and an optional group count.

    Without ``groups``, the count closest to ``n / mean(size)`` that can hold ``n`` is used;
    when none can, the nearest count is returned and :func:`solve` explains the failure.
    """
    lo, hi = size
    if lo < 1 or hi < lo:
        raise GroupingInputError(f"Size bounds {lo}-{hi} are not valid.")
    if groups is not None:
        if groups < 1:
            raise GroupingInputError("The number of groups must be positive.")
        return ((lo, hi),) * groups
    feasible = [k for k in range(max(1, n // hi), n // lo + 1) if k * lo <= n <= k * hi]
    target = n / ((lo + hi) / 2)
    k = min(feasible, key=lambda k: (abs(k - target), k)) if feasible else max(1, math.ceil(n / hi))
    return ((lo, hi),) * k
