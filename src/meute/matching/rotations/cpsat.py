"""A CP-SAT model of the pure instance g-p-w, for comparison in the benchmark.

Booleans ``x[r, i, t]`` (player i at table t in round r) and ``meet[r, i, j]``; each
player sits once per round, each table seats p, ``meet`` is forced by two players at a
table, and ``sum_r meet[r, i, j] <= 1`` (feasibility form),
or, with ``minimise``,
``rep[i, j] >= sum_r meet[r, i, j] - 1`` and the total of ``rep`` minimised (for
instances where repeats are unavoidable). Symmetry breaking: round 0 is fixed, and
player 0 sits at table 0 in every round.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import combinations

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class CpsatOutcome:
    """Best repeats found (None when no plan), solver status and wall time."""

    repeats: int | None
    status: str
    seconds: float


def cpsat_solve(
    g: int, p: int, w: int, *, seconds: float, workers: int = 2, seed: int = 0, minimise: bool = False
) -> CpsatOutcome:
    """Find a repeat-free plan (``minimise``: the fewest repeats) within ``seconds``."""
    n = g * p
    model = cp_model.CpModel()
    x = {(r, i, t): model.NewBoolVar(f"x{r}_{i}_{t}") for r in range(w) for i in range(n) for t in range(g)}
    for r in range(w):
        for i in range(n):
            model.AddExactlyOne(x[r, i, t] for t in range(g))
        for t in range(g):
            model.Add(sum(x[r, i, t] for i in range(n)) == p)
        model.Add(x[r, 0, 0] == 1)
    for i in range(n):
        model.Add(x[0, i, i // p] == 1)
    reps = []
    for i, j in combinations(range(n), 2):
        meets = []
        for r in range(w):
            m = model.NewBoolVar("")
            for t in range(g):
                model.AddBoolOr([x[r, i, t].Not(), x[r, j, t].Not(), m])
            meets.append(m)
        if minimise:
            rep = model.NewIntVar(0, w - 1, "")
            model.Add(rep >= sum(meets) - 1)
            reps.append(rep)
        else:
            model.Add(sum(meets) <= 1)
    if minimise:
        model.Minimize(sum(reps))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    start = time.perf_counter()
    status = solver.Solve(model)
    elapsed = time.perf_counter() - start
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    repeats = (int(solver.ObjectiveValue()) if minimise else 0) if found else None
    return CpsatOutcome(repeats, solver.StatusName(status), elapsed)
