"""Rotational schedules: one searched base round, the others its translates.

Players are ``(x, i)`` with x in Z_m and row ``i < k``, plus ``f`` fixed players
(n = m*k + f). Round r is the base round with every x shifted by r (fixed players stay).
A pair of the base round reappears shifted in each round, so the w rounds are
repeat-free exactly when the base round's pairs lie in distinct *pair orbits* under
Z_m, none of them a short orbit (difference m/2 inside a row) and no two fixed players
together. The base round (g tables of p) is found by a tabu search on swaps whose cost
counts orbit collisions. With m = w, this is the classical 1-rotational construction
(e.g. a nearly Kirkman triple system NKTS(18) for 6-3-8: m = 8, k = 2, f = 2).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .kernels import rand_int


def orbit_ids(m: int, k: int, f: int) -> np.ndarray:
    """Orbit index of every pair (-1: forbidden), players x*k + i then fixed ones."""
    n = m * k + f
    ids: dict[tuple, int] = {}
    out = np.full((n, n), -1, np.int64)
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            key = _orbit(a, b, m, k)
            if key is not None:
                out[a, b] = ids.setdefault(key, len(ids))
    return out


def _orbit(a: int, b: int, m: int, k: int) -> tuple | None:
    fixed_a, fixed_b = a >= m * k, b >= m * k
    if fixed_a and fixed_b:
        return None
    if fixed_a or fixed_b:
        fx, other = (a, b) if fixed_a else (b, a)
        return ("fixed", fx, other % k)
    (xa, ia), (xb, ib) = divmod(a, k), divmod(b, k)
    if ia == ib:
        d = (xb - xa) % m
        d = min(d, m - d)
        return None if 2 * d == m else ("row", ia, d)
    if ia > ib:
        xa, ia, xb, ib = xb, ib, xa, ia
    return ("cross", ia, ib, (xb - xa) % m)


@njit(cache=True)
def _move_cost(table, members, size, a, b, orbit, cnt):
    """Collision change when a and b swap tables (state restored afterwards)."""
    ta, tb = table[a], table[b]
    d = 0
    for step in range(2):
        sign = -1 if step == 0 else 1
        for side in range(2):
            p, t, other = (a, ta, b) if side == 0 else (b, tb, a)
            q = other if step == 1 else p
            for s in range(size[t]):
                x = members[t, s]
                if x == p:
                    continue
                o = orbit[q, x]
                if o < 0:
                    d += sign
                else:
                    if sign < 0:
                        cnt[o] -= 1
                        d -= cnt[o]
                    else:
                        d += cnt[o]
                        cnt[o] += 1
    for side in range(2):  # undo the increments, then the decrements
        p, t, other = (a, ta, b) if side == 0 else (b, tb, a)
        for s in range(size[t]):
            x = members[t, s]
            if x != p:
                if orbit[other, x] >= 0:
                    cnt[orbit[other, x]] -= 1
                if orbit[p, x] >= 0:
                    cnt[orbit[p, x]] += 1
    return d


@njit(cache=True)
def _search(table, members, size, pos, movable, orbit, n_orbits, rng, max_iter):
    n = table.shape[0]
    cnt = np.zeros(n_orbits, np.int64)
    cost = 0
    for t in range(size.shape[0]):
        for s in range(size[t]):
            for s2 in range(s + 1, size[t]):
                o = orbit[members[t, s], members[t, s2]]
                if o < 0:
                    cost += 1
                else:
                    cost += cnt[o]
                    cnt[o] += 1
    tabu = np.zeros((n, n), np.int64)
    for it in range(max_iter):
        if cost == 0:
            return 0
        bad = np.empty(n, np.int64)
        nb = 0
        for a in range(n):
            if movable[a]:
                for s in range(size[table[a]]):
                    x = members[table[a], s]
                    if x != a and (orbit[a, x] < 0 or cnt[orbit[a, x]] > 1):
                        bad[nb] = a
                        nb += 1
                        break
        if nb == 0:
            return cost
        a = bad[rand_int(rng, nb)]
        best_b, best_d, ties = -1, 1 << 30, 0
        for b in range(n):
            if not movable[b] or table[b] == table[a]:
                continue
            d = _move_cost(table, members, size, a, b, orbit, cnt)
            if tabu[a, b] > it and cost + d > 0:
                continue
            if d < best_d:
                best_b, best_d, ties = b, d, 1
            elif d == best_d:
                ties += 1
                if rand_int(rng, ties) == 0:
                    best_b = b
        if best_b < 0:
            continue
        b = best_b
        ta, tb = table[a], table[b]
        for side in range(2):
            p, t, other = (a, ta, b) if side == 0 else (b, tb, a)
            for s in range(size[t]):
                x = members[t, s]
                if x != p:
                    if orbit[p, x] >= 0:
                        cnt[orbit[p, x]] -= 1
                    if orbit[other, x] >= 0:
                        cnt[orbit[other, x]] += 1
        members[ta, pos[a]] = b
        members[tb, pos[b]] = a
        pos[a], pos[b] = pos[b], pos[a]
        table[a], table[b] = tb, ta
        cost += best_d
        tabu[a, b] = tabu[b, a] = it + 3 + rand_int(rng, 8)
    return cost


def base_round(g: int, p: int, m: int, k: int, f: int, seed: int, max_iter: int) -> np.ndarray | None:
    """Table of each player in a base round with no orbit collision, or None."""
    n = m * k + f
    if n != g * p or f > g:
        return None
    orbit = orbit_ids(m, k, f)
    rng_np = np.random.default_rng(seed)
    order = rng_np.permutation(m * k)
    table = np.empty(n, np.int64)
    members = np.empty((g, p), np.int64)
    size = np.zeros(g, np.int64)
    pos = np.empty(n, np.int64)
    seats = [t for t in range(g) for _ in range(p)]
    fixed_seats = list(range(f))
    for t in fixed_seats:
        seats.remove(t)
    for player, t in zip([*order, *range(m * k, n)], [*seats, *fixed_seats], strict=True):
        table[player], pos[player] = t, size[t]
        members[t, size[t]] = player
        size[t] += 1
    movable = np.arange(n) < m * k
    rng = np.array([int(rng_np.integers(1, 2**63))], np.uint64)
    cost = _search(table, members, size, pos, movable, orbit, int(orbit.max()) + 1, rng, max_iter)
    return table if cost == 0 else None


def rotational_schedule(g: int, p: int, w: int, seed: int = 0, max_iter: int = 20000,
                        restarts: int = 5) -> list[list[list[int]]] | None:
    """w rounds of g tables of p by translating a searched base round (m = w)."""
    n = g * p
    m = w
    k, f = divmod(n, m)
    if k == 0 or f > g:
        return None
    for attempt in range(restarts):
        table = base_round(g, p, m, k, f, seed * 1000 + attempt, max_iter)
        if table is not None:
            return [_translate(table, g, m, k, r) for r in range(w)]
    return None


def _translate(table: np.ndarray, g: int, m: int, k: int, r: int) -> list[list[int]]:
    tables: list[list[int]] = [[] for _ in range(g)]
    for player, t in enumerate(table):
        if player < m * k:
            x, i = divmod(player, k)
            player = ((x + r) % m) * k + i
        tables[int(t)].append(int(player))
    return [sorted(t) for t in tables]
