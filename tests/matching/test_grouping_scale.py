"""The grouping engine at scale: deadlines kept by the kernels, competitors found through a
grid, diversity read once, kernels loaded from their cache after the warm-up."""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.matching import clock
from meute.matching.grouping import (
    Candidate,
    CompetitorRule,
    GroupingProblem,
    diversity_matrix,
    find_competitors,
    haversine_km,
    naf_levels,
    solve,
    violations,
)
from meute.matching.grouping.search import SearchParams, TabuSearch
from meute.matching.stop import MaxIterations, MaxRuntime, MultipleCriteria, deadline

CODES = ("62.01Z", "62.02A", "47.11F", "47.11D", "10.71C")


def _candidates(points: list[tuple[float, float, int]]) -> tuple[Candidate, ...]:
    return tuple(Candidate(id=f"c{k}", naf=CODES[code], lat=lat, lon=lon) for k, (lat, lon, code) in enumerate(points))


def _brute_force(cands: tuple[Candidate, ...], max_km: float) -> set[tuple[int, int]]:
    out = set()
    for i, j in itertools.combinations(range(len(cands)), 2):
        a, b = cands[i], cands[j]
        if naf_levels(a.naf).classe == naf_levels(b.naf).classe and \
                haversine_km(a.lat, a.lon, b.lat, b.lon) <= max_km:
            out.add((i, j))
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(41.0, 51.0), st.floats(-5.0, 9.0), st.integers(0, len(CODES) - 1)),
             min_size=0, max_size=60),
    st.floats(0.0, 400.0),
)
def test_grid_finds_exactly_the_close_pairs_of_a_classe(points, max_km):
    """The grid search for competitors returns exactly the pairs a comparison of every pair finds."""
    cands = _candidates(points)
    found = {(c.a, c.b) for c in find_competitors(cands, CompetitorRule(max_km=max_km))}
    assert found == _brute_force(cands, max_km)


def test_unlocated_candidates_compete_with_their_whole_classe():
    """Without a location, sharing the NAF classe is enough, whatever the distance."""
    cands = (Candidate(id="a", naf="62.01Z"), Candidate(id="b", naf="62.01Z", lat=48.0, lon=2.0),
             Candidate(id="c", naf="62.01Z", lat=43.0, lon=5.0), Candidate(id="d", naf="47.11F"))
    found = {(c.a, c.b): c.reason for c in find_competitors(cands, CompetitorRule(max_km=30))}
    assert set(found) == {(0, 1), (0, 2)} and "location unknown" in found[(0, 1)]


def test_diversity_of_a_subset_equals_the_matrix_of_that_subset():
    """The features read once give each subset the same matrix as computing it from its candidates."""
    rng = np.random.default_rng(3)
    cands = tuple(Candidate(id=str(i), naf=CODES[i % 5] if i % 7 else None, headcount=int(rng.integers(0, 900)),
                            founded=None if i % 5 == 0 else int(rng.integers(1950, 2025)),
                            tags=frozenset({"women"} if i % 2 else set()))
                  for i in range(30))
    problem = GroupingProblem(bounds=((5, 5),) * 6, candidates=cands)
    idx = [3, 7, 8, 20, 29, 0]
    assert np.allclose(problem.features.matrix(idx), diversity_matrix([cands[i] for i in idx], problem.weights))


def test_kernel_clock_reads_the_clock_of_perf_counter():
    """The kernels' clock and time.perf_counter() read the same clock."""
    assert abs(clock.check()) < 1.0


def test_a_passed_deadline_ends_the_first_descent_at_once():
    """A search whose deadline has passed makes no tabu step, even in its construction."""
    rng = np.random.default_rng(0)
    d = rng.uniform(0, 10, (40, 40))
    w = (d + d.T) / 2
    np.fill_diagonal(w, 0.0)
    bounds = np.array([[10, 10]] * 4)
    ts = TabuSearch(w, bounds, np.full(40, -1), np.zeros((40, 0)), np.zeros(0), 0.0, SearchParams(population=0),
                    deadline=time.perf_counter() - 1.0)
    assert ts.it == 0
    ts.step()
    assert ts.it == 0


def test_deadline_of_a_stopping_criterion():
    """A wall-clock limit gives its deadline (starting its clock); an iteration count has none."""
    before = time.perf_counter()
    assert before + 2.0 <= deadline(MaxRuntime(2.0)) <= time.perf_counter() + 2.0
    assert deadline(MaxIterations(5)) == math.inf
    assert deadline(MultipleCriteria([MaxIterations(5), MaxRuntime(1.0)])) < math.inf


def test_a_zero_budget_still_returns_groups_within_their_bounds():
    """With no time at all, the engine returns at once a partition that keeps the size bounds."""
    rng = np.random.default_rng(1)
    d = rng.uniform(0, 10, (60, 60))
    problem = GroupingProblem.from_matrix((d + d.T) / 2, [(10, 10)] * 6)
    result = solve(problem, seed=0, stop=MaxRuntime(0.0))
    assert result.iterations == 0 and not violations(problem, result.groups)


def test_kernels_are_loaded_from_the_cache_after_the_warm_up():
    """After ``meute warm-up``, a fresh process runs both engines without compiling a kernel."""
    env = dict(os.environ)
    subprocess.run([sys.executable, "-m", "meute.cli", "warm-up"], check=True, env=env, capture_output=True)
    code = ("import json; from meute.matching.warmup import warm_up, compiled_now, dispatchers; warm_up(); "
            "print(json.dumps([compiled_now(), sum(sum(d.stats.cache_hits.values()) for _, d in dispatchers())]))")
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True)
    compiled, hits = json.loads(out.stdout.strip().splitlines()[-1])
    assert compiled == [] and hits > 0
