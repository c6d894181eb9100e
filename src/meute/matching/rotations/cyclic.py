"""Cyclic schedules from a searched offset matrix (a partial difference matrix).

Players are ``(i, x)`` with row ``i < p`` and ``x`` in Z_g. Round r seats at table t the
players ``(i, t + c[r, i] mod g)``, one per row. Players (i, x) and (j, y) meet in round r
exactly when ``x - y = c[r, i] - c[r, j]``, so the schedule has no repeat if, for every
pair of rows, the w differences ``c[r, i] - c[r, j]`` are distinct. Players of one row
never meet, so when p divides g one more round seats each row as g/p tables. The matrix
(w rows, p columns over Z_g; needs w <= g) is found by a small min-conflicts search and,
when that fails, by a seeded depth-first search over the same constraints (a few seconds at
most; e.g. 8 rounds of 10 tables of 6, where min-conflicts stalls).
Members of one row never share a table, which lets up to g "ghost" seats sit in row 0:
removing them leaves tables of p and p - 1 (real events with P not a multiple of p).
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from .kernels import rand_int


@njit(cache=True)
def _conflicts(c, g):
    w, p = c.shape
    total = 0
    for i in range(p):
        for j in range(i + 1, p):
            seen = np.zeros(g, np.int64)
            for r in range(w):
                d = (c[r, i] - c[r, j]) % g
                total += seen[d]
                seen[d] += 1
    return total


@njit(cache=True)
def _search(c, g, rng, max_iter):
    """Min-conflicts with random walk on entries c[r, i], r >= 1, i >= 1."""
    w, p = c.shape
    cnt = np.zeros((p, p, g), np.int64)
    for i in range(p):
        for j in range(p):
            if i != j:
                for r in range(w):
                    cnt[i, j, (c[r, i] - c[r, j]) % g] += 1
    cost = _conflicts(c, g)
    for _ in range(max_iter):
        if cost == 0:
            return 0
        r = 1 + rand_int(rng, w - 1)
        i = 1 + rand_int(rng, p - 1)
        best_v, best_d, ties = c[r, i], 1 << 30, 0
        for v in range(g):
            d = 0
            for j in range(p):
                if j != i:
                    old = (c[r, i] - c[r, j]) % g
                    new = (v - c[r, j]) % g
                    if old != new:
                        d += cnt[i, j, new] - (cnt[i, j, old] - 1)
            if d < best_d:
                best_v, best_d, ties = v, d, 1
            elif d == best_d:
                ties += 1
                if rand_int(rng, ties) == 0:
                    best_v = v
        if best_d > 0 and rand_int(rng, 10) == 0:
            best_v = rand_int(rng, g)
            best_d = 0
            for j in range(p):
                if j != i:
                    old = (c[r, i] - c[r, j]) % g
                    new = (best_v - c[r, j]) % g
                    if old != new:
                        best_d += cnt[i, j, new] - (cnt[i, j, old] - 1)
        for j in range(p):
            if j != i:
                cnt[i, j, (c[r, i] - c[r, j]) % g] -= 1
                cnt[j, i, (c[r, j] - c[r, i]) % g] -= 1
                cnt[i, j, (best_v - c[r, j]) % g] += 1
                cnt[j, i, (c[r, j] - best_v) % g] += 1
        c[r, i] = best_v
        cost += best_d
    return cost


def offsets(
    g: int, p: int, w: int, seed: int = 0, max_iter: int = 20000, restarts: int = 20, exact_seconds: float = 0.0
) -> np.ndarray | None:
    """A w x p offset matrix over Z_g with distinct row differences per column pair."""
    if w > g or p < 2 or w < 1:
        return None
    rng_np = np.random.default_rng(seed)
    for _ in range(restarts):
        c = rng_np.integers(0, g, size=(w, p)).astype(np.int64)
        c[0, :] = 0
        c[:, 0] = 0
        rng = np.array([int(rng_np.integers(1, 2**63))], np.uint64)
        if w == 1 or _search(c, g, rng, max_iter) == 0:
            return c
    return _exact_with_restarts(g, p, w, seed, exact_seconds) if exact_seconds > 0 else None


def _exact_with_restarts(g: int, p: int, w: int, seed: int, seconds: float) -> np.ndarray | None:
    """Backtracking in seeded restarts of bounded size until ``seconds`` have passed."""
    deadline = time.perf_counter() + seconds
    attempt = 0
    while time.perf_counter() < deadline:
        found = exact_offsets(g, p, w, seed + attempt, deadline)
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


def cyclic_schedule(
    g: int, p: int, w: int, seed: int = 0, restarts: int = 20, exact_seconds: float = 0.0
) -> list[list[list[int]]] | None:
    """g tables of p for w rounds (w <= g, or g + 1 when p divides g); player i*g + x."""
    extra = w == g + 1 and g % p == 0
    c = offsets(g, p, w - 1 if extra else w, seed, restarts=restarts, exact_seconds=exact_seconds)
    if c is None:
        return None
    rounds = [
        [sorted(i * g + (t + int(c[r, i])) % g for i in range(p)) for t in range(g)]
        for r in range(c.shape[0])
    ]
    if extra:
        rounds.append([[i * g + x for x in range(s, s + p)] for i in range(p) for s in range(0, g, p)])
    return rounds
