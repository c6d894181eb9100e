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
    farthest_km,
    meeting_place,
    pair_matrix,
    tag_matrix,
    violations,
)
from meute.matching.grouping.infeasibility import analyse
from meute.matching.grouping.problem import GroupingProblem, resolve_bounds
from meute.matching.grouping.reach import far_pairs, seatable
from meute.matching.grouping.result import Breakdown, Infeasibility, LeftOut, Result
from meute.matching.grouping.search import MemeticSearch, SearchParams, TabuSearch, load_kernels, lowest_weight
from meute.matching.grouping.zones import Zone, plan_zones
from meute.matching.stop import StoppingCriterion, deadline

Progress = Callable[[int, float], None]
Search = TabuSearch | MemeticSearch


def search_weights(problem: GroupingProblem, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The matrix the search maximises on candidates ``idx``: diversity, minus the pairwise
    locality surrogate, minus a dominating penalty on every conflict pair and every pair
    farther apart than the hard distance; the conflict pairs and the far pairs (not
    conflicts) in local indices."""
    w = pair_matrix(problem, idx).copy()
    rule = problem.locality
    if rule is not None and rule.weight > 0 and problem.located:
        size = float(np.mean(problem.bounds))
        km = km_matrix(*coordinates(problem, idx))
        w -= rule.weight / max(size - 1.0, 1.0) * np.maximum(km - rule.radius_km, 0.0)
    pairs = np.zeros((0, 2), dtype=np.int64)
    far = far_pairs(problem, idx)
    if problem.conflicts or len(far):
        penalty = 4.0 * max(hi for _, hi in problem.bounds) * (np.abs(w).max() + 1.0)
        if problem.conflicts:
            local = np.full(problem.n, -1, dtype=np.int64)
            local[idx] = np.arange(len(idx))
            both = local[problem.conflict_pairs]
            pairs = both[(both >= 0).all(axis=1)]
            np.subtract.at(w, (pairs[:, 0], pairs[:, 1]), penalty)
            np.subtract.at(w, (pairs[:, 1], pairs[:, 0]), penalty)
        if len(far):  # the hard distance: far pairs are conflicts too (once per pair)
            seen = np.zeros(w.shape, dtype=bool)
            seen[pairs[:, 0], pairs[:, 1]] = True
            far = far[~seen[far[:, 0], far[:, 1]]]
            w[far[:, 0], far[:, 1]] -= penalty
            w[far[:, 1], far[:, 0]] -= penalty
    np.fill_diagonal(w, 0.0)
    return w, pairs, far


def _zone_search(
    problem: GroupingProblem,
    zone: Zone,
    params: SearchParams,
    tags: np.ndarray,
    share: np.ndarray,
    until: float,
    first_depth: int | None = None,
) -> Search:
    cands, groups = zone
    local_group = {int(g): k for k, g in enumerate(groups)}
    locked = np.array(
        [local_group[problem.locks[i]] if i in problem.locks else -1 for i in cands.tolist()],
        dtype=np.int64,
    )
    bounds = np.array([problem.bounds[g] for g in groups], dtype=np.int64)
    wbal = problem.balance.weight if tags.shape[1] else 0.0
    w, pairs, far = search_weights(problem, cands)
    # Far pairs are left out of the separate conflict-pair scan (there may be many): a swap
    # of two members far from each other only is then missed by the pruned scan, never
    # mis-evaluated; the bound's lowest weight skips them too.
    wmin = lowest_weight(w, np.concatenate([pairs, far])) if len(far) else None
    if params.population > 1:
        return MemeticSearch(w, bounds, locked, tags[cands], share, wbal, params=params, cpairs=pairs, wmin=wmin,
                             deadline=until, first_depth=first_depth)
    return TabuSearch(w, bounds, locked, tags[cands], share, wbal, params, pairs, wmin=wmin, deadline=until,
                      first_depth=first_depth)


def _assemble(problem: GroupingProblem, zones: list[Zone], searches: list[Search]) -> list[list[int]]:
    groups: list[list[int]] = [[] for _ in range(problem.n_groups)]
    for (cands, gidx), search in zip(zones, searches, strict=True):
        for i, local in zip(cands.tolist(), search.best.tolist(), strict=True):
            groups[int(gidx[local])].append(i)
    return [sorted(g) for g in groups]


def _conflicts_left(problem: GroupingProblem, groups: list[list[int]]) -> Infeasibility | None:
    where = {i: g for g, members in enumerate(groups) for i in members}
    left = [c for c in problem.conflicts if where.get(c.a, -1) == where.get(c.b, -2)]
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
    """Group the candidates of ``problem``; ``progress(iteration, best)`` is called per round.

    Under a hard distance (``problem.locality.max_km``), candidates who cannot be seated
    within it are left out (``Result.left_out``) and the others are grouped.

    A wall-clock ``stop`` (:class:`~meute.matching.stop.MaxRuntime`) bounds the whole call:
    its clock starts here if it has not yet, every tabu phase (the first descents
    included) ends by its deadline less the time kept for the final checks
    (:func:`finish_reserve`)."""
    start = time.perf_counter()
    limit = deadline(stop)
    keep, left, counts = seatable(problem)
    bounds = _bounds_for(problem, len(keep), counts)
    if not left and bounds == problem.bounds:
        return _solve(problem, seed, stop, params, progress, start, limit)
    if not keep:
        return _nobody_seated(problem, left, start)
    sub = problem.subset(keep, bounds)
    return _lift(problem, keep, left, _solve(sub, seed, stop, params, progress, start, limit))


def finish_reserve(problem: GroupingProblem) -> float:
    """Seconds kept at the end of the budget for assembling and re-checking the grouping
    (linear in the number of candidates)."""
    return 0.02 + 4e-5 * problem.n


def _bounds_for(problem: GroupingProblem, n: int, counts: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    """Bounds for the ``n`` candidates kept: the problem's when they fit them and the group
    counts the hard distance allows (``counts``), else (uniform bounds, locks permitting)
    the count that fits best."""
    low = sum(lo for lo, _ in problem.bounds)
    high = sum(hi for _, hi in problem.bounds)
    fits = low <= n <= high and counts[0] <= problem.n_groups <= counts[1]
    if problem.max_km is None or fits or len(set(problem.bounds)) != 1:
        return problem.bounds
    k = len(resolve_bounds(n, problem.bounds[0]))
    k = min(max(k, counts[0]), counts[1])
    if problem.locks and max(problem.locks.values()) >= k:
        return problem.bounds
    return (problem.bounds[0],) * k


def _nobody_seated(problem: GroupingProblem, left: list[LeftOut], start: float) -> Result:
    radii = [x.nearest_km for x in left if x.nearest_km is not None]
    lo = min(lo for lo, _ in problem.bounds)
    nearest = f"; the nearest feasible radius is {min(radii):g} km" if radii else ""
    msg = f"no group of {lo} can meet within {problem.max_km:g} km of its meeting place{nearest}."
    found = Infeasibility("hard distance", msg, tuple(range(problem.n)))
    return Result([], 0.0, Breakdown(0.0), False, found, time.perf_counter() - start, 0, [], problem.conflicts,
                  tuple(left))


def _lift(problem: GroupingProblem, keep: list[int], left: list[LeftOut], sub: Result) -> Result:
    """The result of the sub-problem of the candidates ``keep``, in ``problem``'s indices."""
    up = np.asarray(keep, dtype=np.int64)
    found = sub.infeasibility
    if found is not None:
        found = Infeasibility(found.rule, found.message, tuple(int(up[i]) for i in found.candidates),
                              tuple((int(up[a]), int(up[b])) for a, b in found.pairs))
    more = tuple(LeftOut(int(up[x.index]), x.reason, x.nearest_km, x.kind, x.within) for x in sub.left_out)
    return Result(
        [sorted(int(up[i]) for i in g) for g in sub.groups],
        sub.objective,
        sub.breakdown,
        sub.feasible,
        found,
        sub.runtime,
        sub.iterations,
        [None if m is None else int(up[m]) for m in sub.meeting_places],
        problem.conflicts,
        tuple(sorted((*left, *more), key=lambda x: x.index)),
    )


def _solve(
    problem: GroupingProblem,
    seed: int,
    stop: StoppingCriterion,
    params: SearchParams | None,
    progress: Progress | None,
    start: float,
    limit: float,
) -> Result:
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
    load_kernels()
    kernels.seed_rng(int(seed) % (2**32))
    tags = tag_matrix(problem)
    share = tags.mean(axis=0) if tags.shape[1] else np.zeros(0)
    zones = plan_zones(problem, params.zone_groups, params.zone_threshold)
    until = limit - finish_reserve(problem)
    searches = []
    # With several zones, each first descent is short (``min_depth`` steps without gain):
    # every zone gets a grouping that separates its conflicts early, the rounds do the rest.
    first = params.min_depth if len(zones) > 1 else None
    for zone in zones:
        if (searches or len(zones) > 1) and time.perf_counter() >= until:
            return _out_of_time(problem, len(searches), len(zones), start)
        searches.append(_zone_search(problem, zone, params, tags, share, until, first))
    iterations = 0
    best = sum(s.best_f for s in searches)
    while time.perf_counter() < until and not stop(best):
        search = searches[iterations % len(searches)]
        before = search.best_f
        best += search.step() - before
        iterations += 1
        if progress is not None:
            progress(iterations, best)
    return _finish(problem, zones, searches, start, iterations)


def _out_of_time(problem: GroupingProblem, done: int, zones: int, start: float) -> Result:
    """The limit ended while the zones' first groupings were being built: no grouping."""
    msg = (f"the time limit ended after the first grouping of {done} of the {zones} zones "
           f"({problem.n} candidates); give more time.")
    found = Infeasibility("time limit", msg, ())
    return Result([], 0.0, Breakdown(0.0), False, found, time.perf_counter() - start, 0, [], problem.conflicts)


def _finish(
    problem: GroupingProblem,
    zones: list[Zone],
    searches: list[Search],
    start: float,
    iterations: int,
) -> Result:
    groups = _assemble(problem, zones, searches)
    groups, unseated = _repair_far(problem, groups)
    breakdown = evaluate(problem, groups)
    meets = [meeting_place(problem, g) for g in groups]
    problem_left = _conflicts_left(problem, groups)
    broken = violations(problem, groups, [x.index for x in unseated])
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
        tuple(unseated),
    )


def _repair_far(problem: GroupingProblem, groups: list[list[int]]) -> tuple[list[list[int]], list[LeftOut]]:
    """Members whom the search left beyond the hard distance of a group member: each is moved
    to a group that holds them within it, else left out, as long as the groups keep their
    lower bounds (otherwise the pairs stay and the result reports them)."""
    limit = problem.max_km
    if limit is None:
        return groups, []
    groups = [list(g) for g in groups]
    everyone = np.arange(problem.n)
    far = np.zeros((problem.n, problem.n), dtype=bool)
    pairs = far_pairs(problem, everyone)
    if len(pairs):
        far[pairs[:, 0], pairs[:, 1]] = far[pairs[:, 1], pairs[:, 0]] = True
    conflict = {(c.a, c.b) for c in problem.conflicts}
    locks = problem.locks
    unseated: list[LeftOut] = []
    for g, members in enumerate(groups):
        while True:
            widest = farthest_km(problem, members, meeting_place(problem, members))
            if widest is None or widest <= limit:
                break
            sub = far[np.ix_(members, members)]
            counts = sub.sum(axis=1)
            order = [members[k] for k in np.argsort(-counts, kind="stable") if members[k] not in locks]
            if not order or len(members) <= problem.bounds[g][0]:
                break
            x = order[0]
            members.remove(x)
            target = next((h for h, other in enumerate(groups)
                           if h != g and len(other) < problem.bounds[h][1] and not far[x, other].any()
                           and not any((min(x, y), max(x, y)) in conflict for y in other)), None)
            if target is not None:
                groups[target].append(x)
            else:
                unseated.append(LeftOut(x, f"could not be seated within {limit:g} km in the time given",
                                        kind="unseated", within=int((~far[x]).sum()) - 1))
        _separate_conflicts(problem, groups, g, far, conflict, unseated)
    return [sorted(g) for g in groups], unseated


def _fits(x: int, group: list[int], far: np.ndarray, conflict: set[tuple[int, int]]) -> bool:
    return not far[x, group].any() and not any((min(x, y), max(x, y)) in conflict for y in group)


def _swap_out(problem: GroupingProblem, groups: list[list[int]], g: int, movable: list[int], far: np.ndarray,
              conflict: set[tuple[int, int]]) -> None:
    """Swap one of ``movable`` (in group ``g``, at its lower bound) with a member of another
    group, when both then sit within the hard distance and without conflict."""
    for x in movable:
        rest = [y for y in groups[g] if y != x]
        for h, other in enumerate(groups):
            if h == g:
                continue
            for y in other:
                if y in problem.locks:
                    continue
                there = [z for z in other if z != y]
                if _fits(x, there, far, conflict) and _fits(y, rest, far, conflict):
                    groups[g].remove(x)
                    groups[g].append(y)
                    other.remove(y)
                    other.append(x)
                    return


def _separate_conflicts(problem: GroupingProblem, groups: list[list[int]], g: int, far: np.ndarray,
                        conflict: set[tuple[int, int]], unseated: list[LeftOut]) -> None:
    """Under a hard distance, a conflict pair the search left in group ``g`` (a town that
    holds one group only): one of the two moves to a group within reach, else waits."""
    members = groups[g]
    for c in problem.conflicts:
        if c.a not in members or c.b not in members:
            continue
        movable = [x for x in (c.b, c.a) if x not in problem.locks]
        if not movable:
            continue
        if len(members) <= problem.bounds[g][0]:
            _swap_out(problem, groups, g, movable, far, conflict)
            continue
        x = movable[0]
        members.remove(x)
        target = next((h for h, other in enumerate(groups)
                       if h != g and len(other) < problem.bounds[h][1] and not far[x, other].any()
                       and not any((min(x, y), max(x, y)) in conflict for y in other)), None)
        if target is not None:
            groups[target].append(x)
        else:
            other = c.a if x == c.b else c.b
            unseated.append(LeftOut(x, f"conflicts with {problem.label(other)} ({c.reason}) and no other group "
                                       f"within {problem.max_km:g} km has room", kind="conflict",
                                    within=int((~far[x]).sum()) - 1))
