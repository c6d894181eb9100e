"""Compile every numba kernel of the engines once, at install time (``meute warm-up``).

The kernels are decorated with ``cache=True``: numba writes the machine code beside the
sources (``__pycache__`` of ``matching/grouping`` and ``matching/rotations``) when that
folder is writable, which is the case for an editable install and for a virtualenv owned by
the user who runs meute; otherwise, or when ``NUMBA_CACHE_DIR`` is set, in that folder
(run the warm-up with the same ``NUMBA_CACHE_DIR`` as the server). The warm-up runs both
engines on small problems that take every code path with the argument types of real runs
(matrix and located instances, zones, conflicts, locks, balance tags, the hard distance,
the population and the plain search; plain and constrained speed meetings, a constructed
plan, a re-plan), so that the first formation run and the first plan after installing
load the kernels instead of compiling them (20-40 s).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import ModuleType

import numpy as np

from meute.matching.stop import MaxIterations


def _grouping() -> None:
    from meute.matching.grouping import BalanceRule, Candidate, Conflict, GroupingProblem, LocalityRule, solve
    from meute.matching.grouping.search import SearchParams

    rng = np.random.default_rng(0)
    d = rng.uniform(0, 10, (24, 24))
    matrix = GroupingProblem.from_matrix((d + d.T) / 2, [(5, 7)] * 4)
    # A population of 2 that restarts after one round fills at once: crossovers run too.
    for params in (SearchParams(), SearchParams(population=0), SearchParams(population=2, restart=1),
                   SearchParams(population=0, restart=1, fresh=0.0)):
        solve(matrix, seed=0, stop=MaxIterations(30), params=params)
    codes = ("62.01Z", "62.02A", "47.11F", "10.71C", "43.21A", "69.20Z", "86.21Z", "56.10A")
    cands = tuple(
        Candidate(id=f"c{i}", naf=codes[i % len(codes)], lat=45.0 + 0.05 * (i % 7), lon=4.0 + 0.05 * (i // 7),
                  headcount=int(rng.integers(0, 200)), founded=int(rng.integers(1960, 2025)),
                  tags=frozenset({"women"} if i % 3 == 0 else set()))
        for i in range(48)
    )
    located = GroupingProblem(
        bounds=((5, 7),) * 8, candidates=cands, conflicts=(Conflict(0, 1, "declared"),), locks={2: 0},
        locality=LocalityRule(max_km=40.0), balance=BalanceRule(tags=("women",)),
    )
    for params in (SearchParams(zone_groups=3, zone_threshold=10), SearchParams(population=0),
                   SearchParams(population=2, restart=1)):
        solve(located, seed=0, stop=MaxIterations(30), params=params)


def _rotations() -> None:
    from meute.matching.rotations import RotationProblem, replan, solve

    stop = MaxIterations
    plain = RotationProblem(participants=24, table_size=4, rounds=5)
    solve(plain, seed=0, stop=stop(50))
    people = list(range(30))
    rich = RotationProblem(
        participants=people, table_size=[6, 6, 6, 6, 6], rounds=4, wishes=[(0, 1), (2, 3, 2.0)],
        conflicts=[(4, 5)], fixed_seats={6: 0}, absent={7: [1]}, attributes={i: i % 3 for i in people},
    )
    result = solve(rich, seed=0, stop=stop(50))
    replan(rich, result.rounds[:1], present=people[:-2], seed=0, stop=stop(50))
    solve(RotationProblem(participants=60, table_size=6, rounds=8), seed=0, stop=stop(50))
    from meute.matching.rotations.oneround import seat_round
    from meute.matching.rotations.subgroup import subgroup_round

    met = np.ones((12, 12), np.int64)  # the searches after the cyclic rounds, on a tiny case
    subgroup_round(4, 3, 2, met, 0, 0, 5, None)
    seat_round(met, np.array([3, 3, 3, 3], np.int64), 0, None, 5, np.full(12, -1, np.int64))


def kernel_modules() -> list[ModuleType]:
    """The modules that hold numba kernels."""
    import importlib

    names = ("meute.matching.clock", "meute.matching.grouping.kernels", "meute.matching.rotations.kernels",
             "meute.matching.rotations.tabu", "meute.matching.rotations.gains", "meute.matching.rotations.cyclic",
             "meute.matching.rotations.offsets", "meute.matching.rotations.subgroup",
             "meute.matching.rotations.oneround")
    return [importlib.import_module(name) for name in names]


def dispatchers() -> Iterator[tuple[str, object]]:
    """Every numba dispatcher of :func:`kernel_modules`, with its qualified name."""
    from numba.core.registry import CPUDispatcher

    for module in kernel_modules():
        for name, value in vars(module).items():
            if isinstance(value, CPUDispatcher) and value.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", value


def compiled_now() -> list[str]:
    """The kernels compiled (not loaded from the cache) in this process so far."""
    return sorted(name for name, d in dispatchers() if sum(d.stats.cache_misses.values()))


def warm_up() -> dict[str, float]:
    """Run both engines on small problems; seconds per engine."""
    timings = {}
    for label, run in (("grouping", _grouping), ("rotations", _rotations)):
        start = time.perf_counter()
        run()
        timings[label] = time.perf_counter() - start
    return timings
