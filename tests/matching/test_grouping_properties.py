"""Property tests of the peer-group engine on small random instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meute.matching.grouping import (
    BalanceRule,
    Candidate,
    Conflict,
    GroupingProblem,
    evaluate,
    solve,
    violations,
)
from meute.matching.grouping.search import SearchParams
from meute.matching.stop import MaxIterations

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAFS = ("62.01Z", "62.02A", "43.22A", "47.11B", "69.20Z", "56.10A")


@st.composite
def matrix_problems(draw: st.DrawFn) -> GroupingProblem:
    n = draw(st.integers(4, 18))
    k = draw(st.integers(1, 4))
    lo = draw(st.integers(1, max(1, n // k)))
    hi = draw(st.integers(lo, lo + 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    d = rng.uniform(0, 100, (n, n))
    d = np.triu(d, 1) + np.triu(d, 1).T
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=6))
    conflicts = tuple({(min(a, b), max(a, b)): Conflict(a, b, "declared") for a, b in pairs if a != b}.values())
    locks = draw(st.dictionaries(st.integers(0, n - 1), st.integers(0, k - 1), max_size=3))
    return GroupingProblem.from_matrix(d, [(lo, hi)] * k, conflicts=conflicts, locks=locks)


@st.composite
def candidate_problems(draw: st.DrawFn) -> GroupingProblem:
    n = draw(st.integers(6, 16))
    cands = tuple(
        Candidate(
            id=f"c{i}",
            naf=draw(st.sampled_from(NAFS)),
            lat=draw(st.floats(44.0, 46.0)),
            lon=draw(st.floats(3.0, 5.0)),
            headcount=draw(st.integers(0, 300)),
            founded=draw(st.integers(1950, 2025)),
            tags=frozenset(draw(st.sets(st.sampled_from(["women", "buyer"]), max_size=2))),
        )
        for i in range(n)
    )
    k = draw(st.integers(2, 3))
    return GroupingProblem(bounds=((n // k, n // k + 1),) * k, candidates=cands, balance=BalanceRule(tags=("women",)))


@SETTINGS
@given(matrix_problems())
def test_returned_groupings_satisfy_hard_rules(problem):
    """A grouping reported feasible breaks no hard rule; an infeasible one is explained."""
    r = solve(problem, seed=1, stop=MaxIterations(10))
    if r.feasible:
        assert violations(problem, r.groups) == [] and r.infeasibility is None
    else:
        assert r.infeasibility is not None and r.infeasibility.message


@SETTINGS
@given(matrix_problems())
def test_objective_matches_recomputation(problem):
    """The reported objective equals an independent recomputation."""
    r = solve(problem, seed=2, stop=MaxIterations(10))
    if r.groups:
        assert r.objective == pytest.approx(evaluate(problem, r.groups).objective, abs=1e-6)


@SETTINGS
@given(candidate_problems())
def test_candidate_objective_matches_recomputation(problem):
    """With locality and balance, the objective and its breakdown match a recomputation."""
    r = solve(problem, seed=3, stop=MaxIterations(10))
    assert r.feasible
    again = evaluate(problem, r.groups)
    got = (r.objective, r.breakdown.diversity, r.breakdown.locality_penalty, r.breakdown.balance_penalty)
    want = (again.objective, again.diversity, again.locality_penalty, again.balance_penalty)
    assert got == pytest.approx(want, abs=1e-6)


@SETTINGS
@given(matrix_problems(), st.integers(0, 1000))
def test_same_seed_same_grouping(problem, seed):
    """Two runs with the same seed and iteration budget return the same grouping."""
    a = solve(problem, seed=seed, stop=MaxIterations(8))
    b = solve(problem, seed=seed, stop=MaxIterations(8))
    assert a.groups == b.groups and a.objective == b.objective


@SETTINGS
@given(st.integers(2, 40), st.integers(1, 6), st.integers(0, 4))
def test_impossible_sizes_are_explained(n, lo, extra):
    """When no number of groups fits, the result names the size rule instead of a grouping."""
    hi = lo + extra
    k = n // lo + 1
    problem = GroupingProblem.from_matrix(np.ones((n, n)), [(lo, hi)] * k)
    r = solve(problem, seed=0, stop=MaxIterations(3))
    assert not r.feasible and r.infeasibility.rule == "group size bounds" and r.groups == []


@st.composite
def parent_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two random groupings of the same elements with the same per-group sizes and locks."""
    k = draw(st.integers(2, 5))
    sizes = np.array(draw(st.lists(st.integers(1, 6), min_size=k, max_size=k)), dtype=np.int64)
    n = int(sizes.sum())
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    d = rng.uniform(0, 100, (n, n))
    w = np.triu(d, 1) + np.triu(d, 1).T
    slots = np.repeat(np.arange(k), sizes)
    locked = -np.ones(n, dtype=np.int64)
    for i in draw(st.sets(st.integers(0, n - 1), max_size=3)):
        locked[i] = slots[i]
    movable = np.where(locked < 0)[0]

    def grouping() -> np.ndarray:
        a = slots.copy()
        a[movable] = rng.permutation(slots[movable])
        return a

    return grouping(), grouping(), w, sizes, locked


@SETTINGS
@given(parent_pairs(), st.integers(0, 2**31))
def test_crossover_child_keeps_sizes_and_locks(parents, seed):
    """A crossover child has exactly the target sizes and keeps every locked element."""
    from meute.matching.grouping import kernels

    a, b, w, sizes, locked = parents
    kernels.seed_rng(seed)
    child = kernels.crossover(a, b, w, sizes, locked)
    assert np.array_equal(np.bincount(child, minlength=len(sizes)), sizes)
    assert np.array_equal(child[locked >= 0], locked[locked >= 0])


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), min_size=1, max_size=4), st.integers(0, 30))
def test_pair_sizes_is_the_most_pairs(spans, n):
    """The size vector chosen for unequal bounds holds n and has the most pairs of any."""
    import itertools

    from meute.matching.grouping import kernels

    lo = np.array([a for a, _ in spans], dtype=np.int64)
    hi = lo + np.array([e for _, e in spans], dtype=np.int64)
    sizes = kernels.pair_sizes(n, lo, hi)
    vectors = [v for v in itertools.product(*(range(a, b + 1) for a, b in zip(lo, hi, strict=True))) if sum(v) == n]
    if not vectors:
        assert np.array_equal(sizes, lo)
        return
    assert sizes.sum() == n and np.all(lo <= sizes) and np.all(sizes <= hi)
    assert sum(s * (s - 1) // 2 for s in sizes) == max(sum(s * (s - 1) // 2 for s in v) for v in vectors)


RECOMBINING = SearchParams(population=3, restart=2)


@SETTINGS
@given(matrix_problems(), st.integers(0, 1000))
def test_recombining_search_keeps_hard_rules(problem, seed):
    """Long enough to breed children from crossovers, the search still breaks no hard rule
    and reports the objective of the grouping it returns."""
    r = solve(problem, seed=seed, stop=MaxIterations(40), params=RECOMBINING)
    if r.feasible:
        assert violations(problem, r.groups) == []
        assert r.objective == pytest.approx(evaluate(problem, r.groups).objective, abs=1e-6)
    else:
        assert r.infeasibility is not None and r.infeasibility.message


@SETTINGS
@given(matrix_problems(), st.integers(0, 1000))
def test_recombining_search_is_reproducible(problem, seed):
    """The same seed gives the same grouping once crossovers take part."""
    a = solve(problem, seed=seed, stop=MaxIterations(30), params=RECOMBINING)
    b = solve(problem, seed=seed, stop=MaxIterations(30), params=RECOMBINING)
    assert a.groups == b.groups and a.objective == b.objective
