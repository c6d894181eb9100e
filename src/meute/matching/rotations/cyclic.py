"""Cyclic schedules from a searched offset matrix (a partial difference matrix).

Players are ``(i, x)`` with row ``i < p`` and ``x`` in Z_g. Round r seats at table t the
players ``(i, t + c[r, i] mod g)``, one per row. Players (i, x) and (j, y) meet in round r
exactly when ``x - y = c[r, i] - c[r, j]``, so the schedule has no repeat if, for every
pair of rows, the w differences ``c[r, i] - c[r, j]`` are distinct. Players of one row
never meet, so when p divides g one more round seats each row as g/p tables. The matrix
(w rows, p columns over Z_g; needs w <= g) is found by the tabu search of :mod:`.offsets`
and, when that stops short and time is left, by a seeded depth-first search over the same
constraints.
Members of one row never share a table, which lets up to g "ghost" seats sit in row 0:
removing them leaves tables of p and p - 1 (real events with P not a multiple of p).
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from .offsets import search_offsets

ITERATIONS = 20_000  # offset search iterations when no deadline is given (a seed fixes the result)


def _exact_with_restarts(g: int, p: int, w: int, seed: int, seconds: float) -> np.ndarray | None:
    """Backtracking in seeded restarts of bounded size until ``seconds`` have passed."""
    deadline = time.perf_counter() + seconds
    attempt = 0
    while time.perf_counter() < deadline:
        found = exact_offsets(g, p, w, seed + attempt, deadline, node_limit=300_000)
        if found is not None:
            return found
        attempt += 1
    return None


@njit(cache=True)
def _dfs(g, p, w, orders, node_limit):
    """Iterative depth-first search over the cells (i >= 1, r >= 1) of the p x w offsets."""
    cells = (p - 1) * (w - 1)
    c = np.zeros((p, w), np.int64)
    used = np.ones((p, p), np.int64)  # bit d of used[i, j]: difference d taken by rows i and j
    pos = np.zeros(cells + 1, np.int64)  # next candidate to try in each cell
    k, nodes = 0, 0
    while 0 <= k < cells:
        i, r = 1 + k // (w - 1), 1 + k % (w - 1)
        if pos[k] > 0:  # back in this cell: take its value out
            for j in range(i):
                used[i, j] &= ~(1 << ((c[i, r] - c[j, r]) % g))
        placed = False
        while pos[k] < g - 1 and not placed:
            v = orders[k, pos[k]]
            pos[k] += 1
            if i == 1 and r > 1 and v <= c[1, r - 1]:  # rounds are interchangeable: row 1 increases
                continue
            placed = True
            for j in range(i):
                if (used[i, j] >> ((v - c[j, r]) % g)) & 1:
                    placed = False
                    break
            if placed:
                for j in range(i):
                    used[i, j] |= 1 << ((v - c[j, r]) % g)
                c[i, r] = v
        nodes += 1
        if nodes > node_limit:
            return c, False
        if placed:
            k += 1
            pos[k] = 0
        else:
            pos[k] = 0
            k -= 1
    return c, k == cells


def exact_offsets(g: int, p: int, w: int, seed: int, deadline: float, node_limit: int = 2_000_000
                  ) -> np.ndarray | None:
    """Depth-first search for the offset matrix (None when the attempt gives up).

    Row 0 and round 0 are zero; the second row's offsets increase (rounds are
    interchangeable); other values are tried in a seeded random order per cell; a bitmask
    per pair of rows holds the differences already used.
    """
    if p == 1 or w == 1:
        return np.zeros((w, p), np.int64)
    if g > 62 or time.perf_counter() > deadline:
        return None
    rng = np.random.default_rng(seed)
    cells = (p - 1) * (w - 1)
    orders = np.empty((cells, g - 1), np.int64)
    for k in range(cells):
        orders[k] = np.arange(1, g) if k < w - 1 else rng.permutation(np.arange(1, g))
    c, found = _dfs(g, p, w, orders, node_limit)
    return c.T.copy() if found else None


def cyclic_rounds(g: int, p: int, c: np.ndarray, extra: bool) -> list[list[list[int]]]:
    """The schedule seated by offsets ``c`` (player i*g + x), plus the rows round if ``extra``."""
    rounds = [
        [sorted(i * g + (t + int(c[r, i])) % g for i in range(p)) for t in range(g)]
        for r in range(c.shape[0])
    ]
    if extra:
        rounds.append([[i * g + x for x in range(s, s + p)] for i in range(p) for s in range(0, g, p)])
    return rounds


def cyclic_schedule(
    g: int, p: int, w: int, seed: int = 0, max_iter: int = ITERATIONS, deadline: float | None = None
) -> tuple[list[list[list[int]]], int]:
    """(schedule, collisions): g tables of p for up to w rounds; player i*g + x.

    When p divides g, the last round seats each row as g/p tables and the offsets cover
    the others (at most g). The offsets of all rounds are searched first (tabu search of
    :mod:`.offsets`, a fifth of the budget); when collisions remain, the rows in
    collisions are dropped (most-colliding first) and the collision-free matrix grows
    again one row at a time (a random row added, the tabu search, then for g <= 12 the
    depth-first search; after a failure, once more from a random matrix) until two
    attempts fail or the budget ends. The longest collision-free schedule is returned (the
    local search seats the other rounds) if it covers half the rounds, else the full one
    with its collisions (each is g repeated pairs).
    """
    extra = g % p == 0 and w >= 2
    rows = min(w - 1 if extra else w, g)
    if rows == g and g % 2 == 0 and p >= 3:
        rows -= 1  # g rows over Z_g, g even, would be a complete mapping (none exist, Hall-Paige)
    first, left = search_offsets(g, p, rows, seed, max_iter, share(deadline, 0.2))
    clean = first if left == 0 else without_collisions(first, g)
    rng = np.random.default_rng(seed)
    failed = 0
    while clean.shape[0] < rows and failed < 2 and (deadline is None or time.perf_counter() < deadline):
        k = clean.shape[0] + 1
        start = np.vstack([clean, rng.integers(0, g, size=(1, p))]) if not failed else None
        c, k_left = search_offsets(g, p, k, seed + k + failed, max_iter, share(deadline, 0.4), start)
        if k_left and deadline is not None and g <= 12:
            exact = _exact_with_restarts(g, p, k, seed, share(deadline, 0.5) - time.perf_counter())
            if exact is not None:
                c, k_left = exact, 0
        if k_left:
            failed += 1  # a second try starts afresh
            continue
        clean, failed = c, 0
    if clean.shape[0] * 2 >= w or left == 0:
        return cyclic_rounds(g, p, clean, extra), 0
    return cyclic_rounds(g, p, first, extra), left


def _row_load(c: np.ndarray, g: int, keep: list[int]) -> dict[int, int]:
    """Collisions each row of ``keep`` takes part in."""
    load: dict[int, int] = {}
    for i in range(c.shape[1]):
        for j in range(i + 1, c.shape[1]):
            seen: dict[int, list[int]] = {}
            for r in keep:
                seen.setdefault(int(c[r, i] - c[r, j]) % g, []).append(r)
            for same in seen.values():
                if len(same) > 1:
                    for r in same:
                        load[r] = load.get(r, 0) + 1
    return load


def without_collisions(c: np.ndarray, g: int) -> np.ndarray:
    """The rows of ``c`` left after dropping, one at a time, the row in most collisions."""
    keep = list(range(c.shape[0]))
    while load := _row_load(c, g, keep):
        keep.remove(max(sorted(load), key=load.__getitem__))
    return c[keep]


def share(deadline: float | None, fraction: float) -> float | None:
    """A deadline ``fraction`` of the time left before ``deadline`` (None stays None)."""
    if deadline is None:
        return None
    now = time.perf_counter()
    return now + max(0.0, deadline - now) * fraction
