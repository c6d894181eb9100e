"""The hard maximum distance: who can be seated, and the pairs that may never share a group.

The engine keeps every member within ``max_km`` of the meeting place through a sufficient
pairwise condition: two candidates farther apart than ``max_km`` never share a group
("far pairs", searched like conflict pairs). Every member is then within ``max_km`` of
every other member, in particular of the medoid, the group's meeting place.

Before the search, candidates who cannot be seated are left out: a group holds at least
``lo`` members, so a candidate needs ``lo - 1`` others within ``max_km`` who can be seated
themselves (the ``(lo - 1)``-core of the "within ``max_km``" graph, computed by repeated
pruning). Then, since a group lies inside one connected component of that graph, a
component of ``m`` candidates holds at most ``floor(m / lo)`` groups, hence at most
``floor(m / lo) * hi`` members: the surplus (the candidates with the fewest neighbours)
is left out too, and the number of groups stays within
``[sum ceil(m / hi), sum floor(m / lo)]``. Locked candidates are never left out.
"""

from __future__ import annotations

import math

import numpy as np

from meute.matching.grouping.distances import km_matrix
from meute.matching.grouping.evaluate import coordinates
from meute.matching.grouping.problem import GroupingProblem
from meute.matching.grouping.result import LeftOut


def far_pairs(problem: GroupingProblem, idx: np.ndarray) -> np.ndarray:
    """Pairs (local indices into ``idx``) farther apart than the hard distance."""
    limit = problem.max_km
    if limit is None or len(idx) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    km = km_matrix(*coordinates(problem, idx))
    a, b = np.nonzero(np.triu(km > limit, 1))
    return np.column_stack([a, b]).astype(np.int64)


def nearest_radius(km_row: np.ndarray, km: np.ndarray, i: int, size: int) -> float | None:
    """The widest distance inside the group of ``i`` and its ``size - 1`` nearest candidates."""
    if len(km_row) < size:
        return None
    near = np.argsort(km_row, kind="stable")[:size]
    if i not in near:
        near = np.concatenate([[i], near[: size - 1]])
    return float(math.ceil(km[np.ix_(near, near)].max()))


def _components(near: np.ndarray, alive: np.ndarray) -> list[list[int]]:
    seen = ~alive.copy()
    out = []
    for s in np.nonzero(alive)[0].tolist():
        if seen[s]:
            continue
        comp, stack = [], [s]
        seen[s] = True
        while stack:
            v = stack.pop()
            comp.append(v)
            for u in np.nonzero(near[v] & ~seen)[0].tolist():
                seen[u] = True
                stack.append(u)
        out.append(sorted(comp))
    return out


def _one_group(problem: GroupingProblem, comp: list[int], clash: dict[int, set[int]], lo: int,
               alive: np.ndarray, left: list[LeftOut], limit: float) -> list[int]:
    """A component that holds one group only, with conflicts inside: keep a conflict-free
    set (greedy, fewest conflicts first, locked candidates first); the others wait. When
    fewer than ``lo`` are compatible, nobody of the component can be seated."""
    inside = set(comp)
    order = sorted(comp, key=lambda i: (i not in problem.locks, len(clash.get(i, set()) & inside), i))
    chosen: list[int] = []
    for i in order:
        if not clash.get(i, set()) & set(chosen):
            chosen.append(i)
    keep = chosen if len(chosen) >= lo else [i for i in comp if i in problem.locks]
    for i in comp:
        if i in keep or i in problem.locks:
            continue
        alive[i] = False
        if len(chosen) >= lo:
            other = next(iter(clash.get(i, set()) & set(chosen)), None)
            why = (f"conflicts with {problem.label(other)}, and the only group within {limit:g} km of them "
                   "cannot hold both") if other is not None else "no room in the only group within reach"
        else:
            why = (f"only {len(chosen)} of the {len(comp)} candidates within reach of each other can sit together "
                   f"(conflicts); a group needs {lo}")
        left.append(LeftOut(i, why, None, "conflict", len(comp) - 1))
    return sorted(keep)


def seatable(problem: GroupingProblem) -> tuple[list[int], list[LeftOut], tuple[int, int]]:
    """Candidates who can be seated within the hard distance, those left out (with why),
    and the range of group counts the kept candidates allow."""
    limit = problem.max_km
    if limit is None:
        return list(range(problem.n)), [], (1, problem.n)
    lo = min(lo for lo, _ in problem.bounds)
    everyone = np.arange(problem.n)
    km = km_matrix(*coordinates(problem, everyone))
    near = km <= limit
    np.fill_diagonal(near, False)
    alive = np.ones(problem.n, dtype=bool)
    degree = near.sum(axis=1)
    queue = [i for i in range(problem.n) if degree[i] < lo - 1 and i not in problem.locks]
    while queue:
        i = queue.pop()
        if not alive[i]:
            continue
        alive[i] = False
        for j in np.nonzero(near[i] & alive)[0].tolist():
            degree[j] -= 1
            if degree[j] < lo - 1 and j not in problem.locks:
                queue.append(j)
    left = []
    for i in np.nonzero(~alive)[0].tolist():
        within = int(near[i].sum())
        seated = int((near[i] & alive).sum())
        if seated == within:
            why = f"only {within} other candidate(s) within {limit:g} km; a group needs {lo}"
        else:
            why = (f"{within} other candidate(s) within {limit:g} km, of whom only {seated} can be seated; "
                   f"a group needs {lo}")
        left.append(LeftOut(i, why, nearest_radius(km[i], km, i, lo), "isolated", within))
    hi = min(hi for _, hi in problem.bounds)
    kmin = kmax = 0
    clash: dict[int, set[int]] = {}
    for c in problem.conflicts:
        clash.setdefault(c.a, set()).add(c.b)
        clash.setdefault(c.b, set()).add(c.a)
    for comp in _components(near, alive):
        if len(comp) // lo == 1 and any(clash.get(i, set()) & set(comp) for i in comp):
            comp = _one_group(problem, comp, clash, lo, alive, left, limit)
        m = len(comp)
        room = (m // lo) * hi
        if m > room:
            inner = near[np.ix_(comp, comp)].sum(axis=1)
            order = [comp[k] for k in np.argsort(inner, kind="stable") if comp[k] not in problem.locks]
            for i in order[: m - room]:
                alive[i] = False
                left.append(LeftOut(i, f"{m} candidates live within reach of each other around "
                                       f"{problem.label(comp[int(np.argmax(inner))])}, and groups of {lo}-{hi} "
                                       f"within {limit:g} km hold at most {room} of them",
                                       None, "surplus", int(inner.max())))
            m = min(m, room) if len(order) >= m - room else m
        kmin += -(-m // hi)
        kmax += m // lo
    return np.nonzero(alive)[0].tolist(), sorted(left, key=lambda x: x.index), (max(1, kmin), max(1, kmax))
