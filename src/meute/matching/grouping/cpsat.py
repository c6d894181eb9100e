"""An OR-Tools CP-SAT model of the same MDGP, for comparison on small instances.

Binary ``x[i,g]`` (element i in group g) and ``y[i,j,g]`` (i and j both in g, linearised
with ``y <= x[i,g]``, ``y <= x[j,g]``); maximise ``sum d_ij * y[i,j,g]`` with distances
scaled to integers (x1000). Equal bounds let element 0 sit in group 0 (symmetry).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from meute.matching.grouping.problem import GroupingProblem


@dataclass(frozen=True)
class CpSatOutcome:
    objective: float
    groups: list[list[int]]
    status: str
    runtime: float


def solve_cpsat(problem: GroupingProblem, seconds: float, workers: int = 1) -> CpSatOutcome:
    """Solve a matrix instance with CP-SAT (no conflicts/locks/soft terms)."""
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    d = problem.distances
    n, k = problem.n, problem.n_groups
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{i}_{g}") for g in range(k)] for i in range(n)]
    for i in range(n):
        model.add_exactly_one(x[i])
    for g, (lo, hi) in enumerate(problem.bounds):
        model.add_linear_constraint(sum(x[i][g] for i in range(n)), lo, hi)
    if len(set(problem.bounds)) == 1:
        model.add(x[0][0] == 1)
    terms = []
    for i in range(n):
        for j in range(i + 1, n):
            w = round(1000 * d[i, j])
            for g in range(k):
                y = model.new_bool_var("")
                model.add_implication(y, x[i][g])
                model.add_implication(y, x[j][g])
                terms.append(w * y)
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(seconds)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CpSatOutcome(float("nan"), [], solver.status_name(status), time.perf_counter() - start)
    groups = [[i for i in range(n) if solver.value(x[i][g])] for g in range(k)]
    obj = sum(float(np.triu(d[np.ix_(m, m)], 1).sum()) for m in groups if m)
    return CpSatOutcome(obj, groups, solver.status_name(status), time.perf_counter() - start)
