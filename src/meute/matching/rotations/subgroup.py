"""One more round, invariant under a subgroup H of Z_g, after the cyclic rounds.

Players are ``(i, x)`` (player ``i * g + x``), row i < p, x in Z_g, as in :mod:`.cyclic`.
Let H be the subgroup of Z_g of order h (h divides g, 1 < h < g), and q = g / h. Each row
splits into q cosets of H (x mod q). The round is given by q *base tables*: each coset of
each row sends one representative to one base table, s = p per base table; the h
translates of base table k by H are the round's tables k * h .. k * h + h - 1. So a
table may hold several players of one row, which a cyclic round never does: that is the
freedom which seats a round the offsets over Z_g cannot.

Two players (i, x) and (j, y) of one base table meet, in the h translates, the pairs
((i, x + t), (j, y + t)) for t in H; the cost of the round is the number of those pairs
already met (``met``, players x players). A tabu search moves a representative inside
its coset or swaps two slots of different base tables; a slot's cost is recomputed in
O(p * h).
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from .kernels import rand_int


@njit(cache=True)
def _pair_cost(u, v, g, q, met):
    """Pairs already met among the H-translates of players u and v."""
    i, x = u // g, u % g
    j, y = v // g, v % g
    c = 0
    for t in range(0, g, q):
        c += met[i * g + (x + t) % g, j * g + (y + t) % g]
    return c


@njit(cache=True)
def _slot_cost(k, a, player, table, g, q, met):
    """Cost of player ``a`` with the other members of base table k."""
    c = 0
    for b in range(player.shape[0]):
        if b != a and table[b] == k:
            c += _pair_cost(player[a], player[b], g, q, met)
    return c


@njit(cache=True)
def subgroup_tabu(player, table, pinned, g, q, met, rng, iters, best_player, best_table, state):
    """``state = [iteration, cost, best cost]``; slot a holds ``player[a]`` at ``table[a]``."""
    n_slots = player.shape[0]
    h = g // q
    tabu = np.zeros(n_slots, np.int64)
    for _ in range(iters):
        if state[2] == 0:
            return
        it = state[0]
        state[0] += 1
        ba, bb, bv, bd, ties = -1, -1, -1, 1 << 30, 0
        for a in range(n_slots):
            own = _slot_cost(table[a], a, player, table, g, q, met)
            if own == 0:
                continue
            base = player[a] - player[a] % g
            x = player[a] % g
            for step in range(1, h):  # another representative of the coset
                old = player[a]
                player[a] = base + (x + step * q) % g
                d = _slot_cost(table[a], a, player, table, g, q, met) - own
                player[a] = old
                if tabu[a] > it and state[1] + d >= state[2]:
                    continue
                if d < bd:
                    ba, bb, bv, bd, ties = a, -1, base + (x + step * q) % g, d, 1
                elif d == bd:
                    ties += 1
                    if rand_int(rng, ties) == 0:
                        ba, bb, bv = a, -1, base + (x + step * q) % g
            if pinned[a]:
                continue
            for b in range(n_slots):  # swap base tables with a slot of another table
                if pinned[b] or table[b] == table[a]:
                    continue
                ka, kb = table[a], table[b]
                d = -own - _slot_cost(kb, b, player, table, g, q, met)
                table[a], table[b] = kb, ka
                d += _slot_cost(kb, a, player, table, g, q, met) + _slot_cost(ka, b, player, table, g, q, met)
                table[a], table[b] = ka, kb
                if (tabu[a] > it or tabu[b] > it) and state[1] + d >= state[2]:
                    continue
                if d < bd:
                    ba, bb, bv, bd, ties = a, b, -1, d, 1
                elif d == bd:
                    ties += 1
                    if rand_int(rng, ties) == 0:
                        ba, bb, bv = a, b, -1
        if ba < 0:
            continue
        if bb < 0:
            player[ba] = bv
        else:
            table[ba], table[bb] = table[bb], table[ba]
            tabu[bb] = it + 1 + rand_int(rng, 4)
        tabu[ba] = it + 1 + rand_int(rng, 4)
        state[1] += bd
        if state[1] < state[2]:
            state[2] = state[1]
            best_player[:] = player
            best_table[:] = table


def subgroup_round(g: int, p: int, h: int, met: np.ndarray, seed: int, ghosts: int, max_iter: int,
                   deadline: float | None) -> tuple[list[list[int]], int]:
    """(tables, repeated pairs) of the best H-invariant round found (h divides g)."""
    q = g // h
    rng_np = np.random.default_rng(seed)
    slots = [(i, rho) for i in range(p) for rho in range(q)]
    player = np.array([i * g + rho + q * int(rng_np.integers(h)) for i, rho in slots], np.int64)
    table = np.empty(len(slots), np.int64)
    pinned = np.array([ghosts > 0 and i == 0 for i, _ in slots], np.bool_)
    if ghosts:
        table[pinned] = np.arange(q)  # row 0 (the ghost seats) once per base table
    table[~pinned] = rng_np.permutation(np.repeat(np.arange(q), p - (1 if ghosts else 0)))
    cost = sum(_slot_cost(table[a], a, player, table, g, q, met) for a in range(len(slots))) // 2
    state = np.array([0, cost, cost], np.int64)
    best_player, best_table = player.copy(), table.copy()
    rng = np.array([int(rng_np.integers(1, 2**63))], np.uint64)
    while state[2] > 0 and state[0] < max_iter:
        if deadline is not None and time.perf_counter() >= deadline:
            break
        subgroup_tabu(player, table, pinned, g, q, met, rng, min(5, max_iter - int(state[0])),
                      best_player, best_table, state)
    tables: list[list[int]] = [[] for _ in range(g)]
    for u, k in zip(best_player, best_table, strict=True):
        i, x = divmod(int(u), g)
        for step in range(h):
            tables[int(k) * h + step].append(i * g + (x + step * q) % g)
    return [sorted(t) for t in tables], int(state[2])


def met_matrix(schedule: list[list[list[int]]], n: int) -> np.ndarray:
    """``met[u, v]``: how many rounds of ``schedule`` seat u and v together."""
    met = np.zeros((n, n), np.int64)
    for rnd in schedule:
        for t in rnd:
            idx = np.array(t, np.int64)
            met[np.ix_(idx, idx)] += 1
    np.fill_diagonal(met, 0)
    return met
