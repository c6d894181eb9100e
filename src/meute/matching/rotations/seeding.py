"""Initial plans: constructions (exact or for the first rounds), then greedy seating."""

from __future__ import annotations

import math

import numpy as np

from . import kernels as K
from .constructions import affine_columns, construct, denniston, denniston_shape
from .cyclic import cyclic_schedule, share
from .gf import prime_power
from .oneround import seat_round
from .problem import RotationProblem
from .subgroup import met_matrix, subgroup_round

Schedule = list[list[list[int]]]


def _slots(problem: RotationProblem) -> tuple[int, int, int] | None:
    """(g, p, ghosts) when a slot-based construction may apply, else None."""
    size = problem.table_size
    if not isinstance(size, int) or problem.absent_any() or problem.fixed_seats or problem.history:
        return None
    g = math.ceil(problem.n / size)
    ghosts = g * size - problem.n
    return (g, size, ghosts) if ghosts <= g else None


def construction_seed(problem: RotationProblem, seed: int, deadline: float | None = None
                      ) -> tuple[str, Schedule, int, bool]:
    """(name, schedule on g*p slots, ghosts, complete) of the best construction found.

    ``complete`` is False when the schedule covers only the first rounds or has repeats
    (an offset matrix with collisions): the local search then finishes or repairs it.
    ``deadline`` (``time.perf_counter()``) bounds the offset search; without it the search
    has a fixed number of iterations, so a seed fixes the result.
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
    q = denniston_shape(g, p)
    if q is not None:  # q or q + 1 rounds: more than any offset matrix over Z_g gives
        schedule = denniston(q, p)[:w]
        schedule = schedule[: _apart(schedule, ghosts)]  # ghosts 0..p-1 meet in round q + 1 only
        return _seat_last(f"Denniston maximal arc of degree {p} in PG(2,{q})", schedule, g, p, w, ghosts,
                          seed, deadline)
    if 2 <= p < g and prime_power(g):
        schedule = affine_columns(g, p)[:w]
        kept = _apart(schedule, ghosts)
        if kept == w:
            return f"AG(2,{g}) restricted to {p} columns", schedule, ghosts, True
    schedule, collisions = cyclic_schedule(g, p, w, seed, deadline=share(deadline, 0.6))
    kept = _apart(schedule, ghosts)
    name = f"cyclic offsets over Z_{g}"
    if collisions:
        name += f" ({collisions} collisions)"
    if kept < 1:
        return "", [], 0, False
    schedule = schedule[:kept]
    if kept < w and not collisions:
        added = _extend(schedule, g, p, w, ghosts, seed, share(deadline, 0.5))
        if added:
            name += f" ({kept} rounds) + {added} round{'s' if added > 1 else ''} invariant under a subgroup"
    if collisions:
        return name, schedule, ghosts, False
    return _seat_last(name, schedule, g, p, w, ghosts, seed, deadline)


SEATED_ROUNDS = 2  # rounds after a repeat-free construction seated by the one-round search


def _seat_last(name: str, schedule: Schedule, g: int, p: int, w: int, ghosts: int, seed: int,
               deadline: float | None) -> tuple[str, Schedule, int, bool]:
    """The result of a repeat-free construction of ``len(schedule)`` rounds: when at most
    ``SEATED_ROUNDS`` are left, they are seated by the one-round search."""
    covered = len(schedule)
    if covered == w:
        return name, schedule, ghosts, True
    if covered == 0 or w - covered > SEATED_ROUNDS:
        return name, schedule, ghosts, False
    repeats = _seat_rest(schedule, g, p, w, ghosts, seed, deadline)
    extra = w - covered
    name += f" ({covered} rounds) + {extra} round{'s' if extra > 1 else ''} seated by a one-round search"
    return name, schedule, ghosts, repeats == 0


def _seat_rest(schedule: Schedule, g: int, p: int, w: int, ghosts: int, seed: int,
               deadline: float | None) -> int:
    """Append the rounds after ``schedule`` seated one at a time by :func:`.oneround.seat_round`
    (ghost slots pinned to different tables); return the repeated meetings they add."""
    n = g * p
    met = met_matrix(schedule, n)
    met[:ghosts, :] = 0
    met[:, :ghosts] = 0
    fixed = np.full(n, -1, np.int64)
    fixed[:ghosts] = np.arange(ghosts)
    sizes = np.full(g, p, np.int64)
    repeats = 0
    while len(schedule) < w:
        until = share(deadline, 1.0 / (w - len(schedule)))
        tab, cost = seat_round(met, sizes, seed + len(schedule), until, ONE_ROUND_ITERATIONS, fixed)
        tables = [sorted(int(a) for a in np.flatnonzero(tab == t)) for t in range(g)]
        schedule.append(tables)
        for t in tables:
            idx = np.array(t, np.int64)
            met[np.ix_(idx, idx)] += 1
        np.fill_diagonal(met, 0)
        met[:ghosts, :] = 0
        met[:, :ghosts] = 0
        repeats += cost
    return repeats


ONE_ROUND_ITERATIONS = 20_000  # per round when no deadline is given


SUBGROUP_ITERATIONS = 3000  # per subgroup and round when no deadline is given


def _extend(schedule: Schedule, g: int, p: int, w: int, ghosts: int, seed: int,
            deadline: float | None) -> int:
    """Append repeat-free rounds invariant under a subgroup of Z_g while some are found.

    For each round, the proper subgroups are tried largest first, each with half of the
    time left divided by the subgroups still to try; the first round without repeats is
    kept, and a round that no subgroup seats without repeats ends the extension. Returns how many rounds
    were added.
    """
    orders = [h for h in range(g - 1, 1, -1) if g % h == 0]
    if not orders:
        return 0
    met = met_matrix(schedule, g * p)
    added = 0
    while len(schedule) < w:
        for k, h in enumerate(orders):
            until = share(deadline, 0.5 / (len(orders) - k))
            tables, cost = subgroup_round(g, p, h, met, seed + len(schedule), ghosts, SUBGROUP_ITERATIONS,
                                          until)
            if cost == 0:
                break
        if cost:
            return added
        schedule.append(tables)
        for t in tables:
            idx = np.array(t, np.int64)
            met[np.ix_(idx, idx)] += 1
        np.fill_diagonal(met, 0)
        added += 1
    return added


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
