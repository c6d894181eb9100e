"""``solve(problem, seed=..., stop=...)``: iterated tabu search with hard-rule guarantees."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from meute.matching.grouping import kernels
from meute.matching.grouping.distances import km_matrix
from meute.matching.grouping.evaluate import (
    coordinates,
    evaluate,
    meeting_place,
    pair_matrix,
    tag_matrix,
    violations,
)
from meute.matching.grouping.infeasibility import analyse
from meute.matching.grouping.problem import GroupingProblem
from meute.matching.grouping.result import Breakdown, Infeasibility, Result
from meute.matching.grouping.search import MemeticSearch, SearchParams, TabuSearch
from meute.matching.grouping.zones import Zone, plan_zones
from meute.matching.stop import StoppingCriterion

Progress = Callable[[int, float], None]
Search = TabuSearch | MemeticSearch


def search_weights(problem: GroupingProblem, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The matrix the search maximises on candidates ``idx``: diversity, minus the pairwise
    locality surrogate, minus a dominating penalty on every conflict pair; and the conflict
    pairs in local indices."""
    w = pair_matrix(problem, idx).copy()
    rule = problem.locality
    if rule is not None and rule.weight > 0 and problem.located:
        size = float(np.mean(problem.bounds))
        km = km_matrix(*coordinates(problem, idx))
        w -= rule.weight / max(size - 1.0, 1.0) * np.maximum(km - rule.radius_km, 0.0)
    pairs = []
    if problem.conflicts:
        local = {int(c): k for k, c in enumerate(idx)}
        penalty = 4.0 * max(hi for _, hi in problem.bounds) * (np.abs(w).max() + 1.0)
        for c in problem.conflicts:
            if c.a in local and c.b in local:
                a, b = local[c.a], local[c.b]
                w[a, b] = w[b, a] = w[a, b] - penalty
                pairs.append((a, b))
    np.fill_diagonal(w, 0.0)
    return w, np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _zone_search(
    problem: GroupingProblem,
    zone: Zone,
    params: SearchParams,
    tags: np.ndarray,
    share: np.ndarray,
) -> Search:
    cands, groups = zone
    local_group = {int(g): k for k, g in enumerate(groups)}
    locked = np.array(
        [local_group[problem.locks[i]] if i in problem.locks else -1 for i in cands.tolist()],
        dtype=np.int64,
    )
    bounds = np.array([problem.bounds[g] for g in groups], dtype=np.int64)
    wbal = problem.balance.weight if tags.shape[1] else 0.0
    w, pairs = search_weights(problem, cands)
    if params.population > 1:
        return MemeticSearch(w, bounds, locked, tags[cands], share, wbal, params=params, cpairs=pairs)
    return TabuSearch(w, bounds, locked, tags[cands], share, wbal, params, pairs)


def _assemble(problem: GroupingProblem, zones: list[Zone], searches: list[Search]) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(problem.n_groups)]
    for (cands, gidx), search in zip(zones, searches, strict=True):
        for i, local in zip(cands.tolist(), search.best.tolist(), strict=True):
            groups[int(gidx[local])].append(i)
    return [sorted(g) for g in groups]


def _conflicts_left(problem: GroupingProblem, groups: list[list[int]]) -> Infeasibility | None:
    where = {i: g for g, members in enumerate(groups) for i in members}
    left = [c for c in problem.conflicts if where[c.a] == where[c.b]]
    if not left:
        return None
    shown = "; ".join(f"{problem.label(c.a)} and {problem.label(c.b)} ({c.reason})" for c in left[:20])
    msg = (
        f"the search did not separate {len(left)} conflict pair(s) in the time given "
        f"(try more time or fewer conflicts): {shown}."
    )
    who = tuple(sorted({i for c in left for i in (c.a, c.b)}))
    return Infeasibility("conflicts", msg, who, tuple((c.a, c.b) for c in left))


def solve(
    problem: GroupingProblem,
    *,
    seed: int,
    stop: StoppingCriterion,
    params: SearchParams | None = None,
    progress: Progress | None = None,
) -> Result:
    """Group the candidates of ``problem``; ``progress(iteration, best)`` is called per round."""
    start = time.perf_counter()
    params = params or SearchParams()
    found = analyse(problem)
    if found is not None:
        return Result(
            [],
            0.0,
            Breakdown(0.0),
            False,
            found,
            time.perf_counter() - start,
            0,
            [],
            problem.conflicts,
        )
    kernels.seed_rng(int(seed) % (2**32))
    tags = tag_matrix(problem)
    share = tags.mean(axis=0) if tags.shape[1] else np.zeros(0)
    zones = plan_zones(problem, params.zone_groups, params.zone_threshold)
    searches = [_zone_search(problem, z, params, tags, share) for z in zones]
    iterations = 0
    best = sum(s.best_f for s in searches)
    while not stop(best):
        search = searches[iterations % len(searches)]
        before = search.best_f
        best += search.step() - before
        iterations += 1
        if progress is not None:
            progress(iterations, best)
    return _finish(problem, zones, searches, start, iterations)


def _finish(
    problem: GroupingProblem,
    zones: list[Zone],
    searches: list[Search],
    start: float,
    iterations: int,
) -> Result:
    groups = _assemble(problem, zones, searches)
    breakdown = evaluate(problem, groups)
    meets = [meeting_place(problem, g) for g in groups]
    problem_left = _conflicts_left(problem, groups)
    broken = violations(problem, groups)
    if problem_left is None and broken:  # defensive: never return a broken grouping as valid
        problem_left = Infeasibility("hard rules", "; ".join(broken[:20]) + ".")
    return Result(
        groups,
        breakdown.objective,
        breakdown,
        problem_left is None,
        problem_left,
        time.perf_counter() - start,
        iterations,
        meets,
        problem.conflicts,
    )
