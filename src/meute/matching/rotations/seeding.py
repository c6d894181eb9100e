"""Initial plans: constructions (exact or for the first rounds), then greedy seating."""

from __future__ import annotations

import math

import numpy as np

from . import kernels as K
from .bounds import problem_bound
from .constructions import affine_columns, construct
from .cyclic import cyclic_schedule
from .gf import prime_power
from .problem import RotationProblem

Schedule = list[list[list[int]]]


def _slots(problem: RotationProblem) -> tuple[int, int, int] | None:
    """(g, p, ghosts) when a slot-based construction may apply, else None."""
    size = problem.table_size
    if not isinstance(size, int) or problem.absent_any() or problem.fixed_seats or problem.history:
        return None
    g = math.ceil(problem.n / size)
    ghosts = g * size - problem.n
    return (g, size, ghosts) if ghosts <= g else None


EXACT_SECONDS = 2.0  # budget of the exact offset search for the full plan when min-conflicts fails


def _with_ghosts(g: int, p: int, w: int, seed: int, restarts: int, exact_seconds: float = 0.0
                 ) -> tuple[str, Schedule] | None:
    """Schedules in which players 0..g-1 never meet (they may be ghost seats)."""
    if 2 <= p < g and prime_power(g) and w <= g + (1 if g % p == 0 else 0):
        return f"AG(2,{g}) restricted to {p} columns", affine_columns(g, p)[:w]
    schedule = cyclic_schedule(g, p, w, seed, restarts, exact_seconds)
    if schedule is not None:
        return f"cyclic offsets over Z_{g}", schedule
    return None


def construction_seed(problem: RotationProblem, seed: int) -> tuple[str, Schedule, int, bool]:
    """(name, schedule on g*p slots, ghosts, complete) for the longest construction found.

    ``complete`` is False when the schedule covers only the first rounds.
    """
    shape = _slots(problem)
    if shape is None:
        return "", [], 0, False
    g, p, ghosts = shape
    w = problem.rounds
    if ghosts == 0:
        built = construct(g, p, w)
        if built is not None:
            return built[0], built[1], 0, True
    hopeless = problem_bound(problem).possible is False  # no exact search for a proven-impossible plan
    for rounds in range(w, 1, -1):
        full = rounds == w and not hopeless
        built = _with_ghosts(g, p, rounds, seed, 3 if full else 2, EXACT_SECONDS if full else 0.0)
        if built is not None:
            kept = _apart(built[1], ghosts)
            if kept >= 2:
                return built[0], built[1][:kept], ghosts, kept == w
    return "", [], 0, False


def _apart(schedule: Schedule, ghosts: int) -> int:
    """How many first rounds keep the ghost slots 0..ghosts-1 at different tables (a complete
    resolution, e.g. the columns round of AG(2,q), puts them together: a table would be short
    by two while another is full)."""
    for r, rnd in enumerate(schedule):
        if any(sum(s < ghosts for s in table) > 1 for table in rnd):
            return r
    return len(schedule)


def place(problem: RotationProblem, tab: np.ndarray, schedule: Schedule, ghosts: int, seed: int) -> None:
    """Write ``schedule`` into ``tab``: slots ghosts.. map to participants, tables by size."""
    perm = np.arange(problem.n)
    if problem.has_soft_terms():
        perm = np.random.default_rng(seed).permutation(problem.n)
    for r, rnd in enumerate(schedule):
        tables = [[perm[s - ghosts] for s in table if s >= ghosts] for table in rnd]
        tables.sort(key=len, reverse=True)
        for t, table in enumerate(tables):
            tab[r, table] = t


def greedy(state, tab: np.ndarray, todo: np.ndarray, seed: int) -> None:
    """Greedy seating of the rounds in ``todo`` given the rounds already in ``tab``."""
    meet = state.base_meet.copy()
    R = tab.shape[0]
    for r in range(R):
        if todo[r]:
            continue
        for t in range(int(state.n_tables[r])):
            idx = np.flatnonzero(tab[r] == t)
            meet[np.ix_(idx, idx)] += 1
    np.fill_diagonal(meet, 0)
    rng = np.array([(seed * 0x9E3779B97F4A7C15 + 7) % 2**64 or 1], np.uint64)
    K.greedy_seat(tab, state.target, state.n_tables, state.movable, state.present, todo, meet,
                  state.wish, state.pen, state.w_rep, rng)
