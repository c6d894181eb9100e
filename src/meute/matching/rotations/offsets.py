"""Tabu search for offset matrices over Z_g (see :mod:`.cyclic` for what they seat).

A w x p matrix ``c`` over Z_g is *good* when, for every pair of columns (i, j), the w
differences ``c[r, i] - c[r, j]`` are distinct. Its cost is the number of collisions,
``sum over column pairs and differences d of max(0, count(d) - 1)``; each collision is
g repeated pairs of the schedule it seats. Row 0 and column 0 stay zero (adding a
constant to a column or to a row keeps the differences distinct).

Each iteration looks at every cell of a collision and every value of Z_g, and applies the
best move that is not tabu (aspiration: a tabu move that beats the best matrix is
allowed; ties at random). A cell that leaves value v may not take v again for a random
tenure. ``cnt[i, j, d]`` holds how many rows have difference d on the ordered column pair
(i, j), so a move is evaluated in O(p).
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from .kernels import rand_int


@njit(cache=True)
def counts(c, g):
    """``cnt[i, j, d]``: rows whose difference on columns (i, j) is d."""
    w, p = c.shape
    cnt = np.zeros((p, p, g), np.int64)
    for i in range(p):
        for j in range(p):
            if i != j:
                for r in range(w):
                    cnt[i, j, (c[r, i] - c[r, j]) % g] += 1
    return cnt


@njit(cache=True)
def collisions(cnt):
    """Cost of a matrix from its counts (0: every column pair has distinct differences)."""
    p, _, g = cnt.shape
    total = 0
    for i in range(p):
        for j in range(i + 1, p):
            for d in range(g):
                if cnt[i, j, d] > 1:
                    total += cnt[i, j, d] - 1
    return total


@njit(cache=True)
def _delta(c, cnt, g, r, i, v):
    p = c.shape[1]
    d = 0
    for j in range(p):
        if j != i:
            old = (c[r, i] - c[r, j]) % g
            new = (v - c[r, j]) % g
            if cnt[i, j, old] >= 2:
                d -= 1
            if cnt[i, j, new] >= 1:
                d += 1
    return d


@njit(cache=True)
def _apply(c, cnt, g, r, i, v):
    p = c.shape[1]
    for j in range(p):
        if j != i:
            old = (c[r, i] - c[r, j]) % g
            new = (v - c[r, j]) % g
            cnt[i, j, old] -= 1
            cnt[j, i, (g - old) % g] -= 1
            cnt[i, j, new] += 1
            cnt[j, i, (g - new) % g] += 1
    c[r, i] = v


@njit(cache=True)
def _in_collision(c, cnt, g, r, i):
    found = False
    for j in range(c.shape[1]):
        if j != i and cnt[i, j, (c[r, i] - c[r, j]) % g] >= 2:
            found = True
            break
    return found


@njit(cache=True)
def offset_tabu(c, cnt, g, rng, tabu, state, best_c, iters):
    """Run up to ``iters`` iterations; ``state = [iteration, cost, best cost]``."""
    w, p = c.shape
    for _ in range(iters):
        if state[2] == 0:
            return
        it = state[0]
        state[0] += 1
        best_r, best_i, best_v, best_d, ties, bad = -1, -1, -1, 1 << 30, 0, 0
        for r in range(1, w):
            for i in range(1, p):
                if not _in_collision(c, cnt, g, r, i):
                    continue
                bad += 1
                for v in range(g):
                    if v == c[r, i]:
                        continue
                    d = _delta(c, cnt, g, r, i, v)
                    if tabu[r, i, v] > it and state[1] + d >= state[2]:
                        continue
                    if d < best_d:
                        best_r, best_i, best_v, best_d, ties = r, i, v, d, 1
                    elif d == best_d:
                        ties += 1
                        if rand_int(rng, ties) == 0:
                            best_r, best_i, best_v = r, i, v
        if best_r < 0:
            continue
        tabu[best_r, best_i, c[best_r, best_i]] = it + 2 + rand_int(rng, 1 + bad // 2 + g // 2)
        _apply(c, cnt, g, best_r, best_i, best_v)
        state[1] += best_d
        if state[1] < state[2]:
            state[2] = state[1]
            best_c[:, :] = c


def search_offsets(g: int, p: int, w: int, seed: int, max_iter: int, deadline: float | None,
                   start: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """(matrix, collisions) of the best w x p offset matrix over Z_g found.

    Starts from ``start`` (w x p) when given, else at random. Stops at zero collisions,
    after ``max_iter`` iterations (so a seed fixes the result when no deadline is given)
    or at ``deadline`` (``time.perf_counter()``), whichever comes first.
    """
    rng_np = np.random.default_rng(seed)
    c = rng_np.integers(0, g, size=(w, p)).astype(np.int64) if start is None else start.astype(np.int64)
    c = (c - c[0, :]) % g  # a constant per column, then per row, keeps the differences distinct
    c = (c - c[:, :1]) % g
    if w < 2 or p < 2:
        return c, 0
    cnt = counts(c, g)
    cost = collisions(cnt)
    state = np.array([0, cost, cost], np.int64)
    best_c = c.copy()
    tabu = np.zeros((w, p, g), np.int64)
    rng = np.array([int(rng_np.integers(1, 2**63))], np.uint64)
    chunk = 100
    while state[2] > 0 and state[0] < max_iter:
        if deadline is not None and time.perf_counter() >= deadline:
            break
        offset_tabu(c, cnt, g, rng, tabu, state, best_c, min(chunk, max_iter - int(state[0])))
    return best_c, int(state[2])
