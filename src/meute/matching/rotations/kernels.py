"""Numba kernels of the local search: state rebuild, greedy seating, tabu swaps.

State of a plan with R rounds and n participants:

* ``tab[r, i]``: table of i in round r (-1 when absent);
* ``members[r, t, :size[r, t]]`` and ``pos[r, i]``: who sits at each table;
* ``meet[i, j]``: how many times i and j share a table (history included);
* ``short[i]``: rounds i spends at a table smaller than the round's largest.

Pair cost for ``m = meet[i, j]``:
``w_rep * max(0, m - 1) - wish[i, j] * (m >= 1) + pen[i, j] * m``, where ``wish`` holds
weighted wish rewards and ``pen`` conflict and mixing penalties per shared round. Balance
adds ``w_bal * short[i]**2``. A move swaps two movable participants seated at different
tables of the same round (table sizes never change). Random numbers come from an
xorshift generator whose state lives in ``rng[0]``, so a seed fixes the run.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPS = 1e-9


@njit(cache=True, inline="always")
def rand_u64(rng):
    x = rng[0]
    x ^= (x << np.uint64(13)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    x ^= x >> np.uint64(7)
    x ^= (x << np.uint64(17)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    rng[0] = x
    return x


@njit(cache=True, inline="always")
def rand_int(rng, k):
    return np.int64(rand_u64(rng) % np.uint64(k))


@njit(cache=True, inline="always")
def rand_unit(rng):
    return (rand_u64(rng) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def rebuild(tab, n_tables, base_meet, big, members, size, pos, meet, short):
    """Fill members/size/pos/meet/short from ``tab`` (``big[r, t]``: t is a full table)."""
    R, n = tab.shape
    size[:, :] = 0
    meet[:, :] = base_meet
    short[:] = 0
    for r in range(R):
        for i in range(n):
            t = tab[r, i]
            if t >= 0:
                pos[r, i] = size[r, t]
                members[r, t, size[r, t]] = i
                size[r, t] += 1
                if big[r, t] == 0:
                    short[i] += 1
        for t in range(n_tables[r]):
            for k in range(size[r, t]):
                a = members[r, t, k]
                for k2 in range(k + 1, size[r, t]):
                    b = members[r, t, k2]
                    meet[a, b] += 1
                    meet[b, a] += 1


@njit(cache=True)
def total_cost(meet, base_meet, wish, pen, w_rep, short, w_bal):
    """Objective of a state (history pairs count, constant pen offsets excluded)."""
    n = meet.shape[0]
    cost = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            m = meet[i, j]
            if m > 1:
                cost += w_rep * (m - 1)
            if m >= 1:
                cost -= wish[i, j]
            cost += pen[i, j] * (m - base_meet[i, j])
        cost += w_bal * short[i] * short[i]
    return cost


@njit(cache=True)
def inc_c(m, wish_ij, pen_ij, w_rep):
    """Cost change when a pair that met m times meets once more."""
    c = pen_ij
    if m >= 1:
        c += w_rep
    else:
        c -= wish_ij
    return c


@njit(cache=True)
def dec_c(m, wish_ij, pen_ij, w_rep):
    """Cost change when a pair that met m times meets once less."""
    c = -pen_ij
    if m >= 2:
        c -= w_rep
    elif m == 1:
        c += wish_ij
    return c


@njit(cache=True, inline="always")
def swap_delta(r, a, b, tab, members, size, meet, wish, pen, w_rep, big, short, w_bal):
    """Change of cost when a and b (different tables of round r) swap seats."""
    ta = tab[r, a]
    tb = tab[r, b]
    d = 0.0
    for k in range(size[r, ta]):
        x = members[r, ta, k]
        if x != a:
            d += dec_c(meet[a, x], wish[a, x], pen[a, x], w_rep) + inc_c(meet[b, x], wish[b, x], pen[b, x], w_rep)
    for k in range(size[r, tb]):
        y = members[r, tb, k]
        if y != b:
            d += dec_c(meet[b, y], wish[b, y], pen[b, y], w_rep) + inc_c(meet[a, y], wish[a, y], pen[a, y], w_rep)
    s = big[r, ta] - big[r, tb]  # +1: a leaves a full table for a short one
    if s != 0 and w_bal > 0:
        sa = short[a] + s
        sb = short[b] - s
        d += w_bal * (sa * sa - short[a] * short[a] + sb * sb - short[b] * short[b])
    return d


@njit(cache=True)
def apply_swap(r, a, b, tab, members, size, pos, meet, big, short):
    ta = tab[r, a]
    tb = tab[r, b]
    for k in range(size[r, ta]):
        x = members[r, ta, k]
        if x != a:
            meet[a, x] -= 1
            meet[x, a] -= 1
            meet[b, x] += 1
            meet[x, b] += 1
    for k in range(size[r, tb]):
        y = members[r, tb, k]
        if y != b:
            meet[b, y] -= 1
            meet[y, b] -= 1
            meet[a, y] += 1
            meet[y, a] += 1
    pa = pos[r, a]
    pb = pos[r, b]
    members[r, ta, pa] = b
    members[r, tb, pb] = a
    pos[r, a] = pb
    pos[r, b] = pa
    tab[r, a] = tb
    tab[r, b] = ta
    s = big[r, ta] - big[r, tb]
    short[a] += s
    short[b] -= s


@njit(cache=True)
def greedy_seat(tab, target, n_tables, movable, present, todo, meet, wish, pen, w_rep, rng):
    """Seat the movable participants of rounds ``todo``, each at the cheapest open table.

    ``tab`` already holds fixed seats (and -1 elsewhere); ``meet`` is updated in place
    and must already count the rounds not to do.
    """
    R, n = tab.shape
    T = target.shape[1]
    for r in range(R):
        if not todo[r]:
            continue
        fill = np.zeros(T, np.int64)
        seated = np.full((T, n), -1, np.int64)
        for i in range(n):
            if present[r, i] and not movable[r, i]:
                t = tab[r, i]
                seated[t, fill[t]] = i
                fill[t] += 1
        order = np.empty(n, np.int64)
        k = 0
        for i in range(n):
            if present[r, i] and movable[r, i]:
                order[k] = i
                k += 1
        for x in range(k - 1, 0, -1):
            y = rand_int(rng, x + 1)
            order[x], order[y] = order[y], order[x]
        for idx in range(k):
            a = order[idx]
            best_t, best_c, ties = -1, 0.0, 0
            for t in range(n_tables[r]):
                if fill[t] >= target[r, t]:
                    continue
                c = 0.0
                for s in range(fill[t]):
                    c += inc_c(meet[a, seated[t, s]], wish[a, seated[t, s]], pen[a, seated[t, s]], w_rep)
                if best_t < 0 or c < best_c - EPS:
                    best_t, best_c, ties = t, c, 1
                elif c < best_c + EPS:
                    ties += 1
                    if rand_int(rng, ties) == 0:
                        best_t = t
            for s in range(fill[best_t]):
                b = seated[best_t, s]
                meet[a, b] += 1
                meet[b, a] += 1
            seated[best_t, fill[best_t]] = a
            fill[best_t] += 1
            tab[r, a] = best_t


@njit(cache=True)
def swap_rep_delta(r, a, b, tab, members, size, meet):
    """Change of the repeat count when a and b swap seats in round r."""
    d = 0
    ta = tab[r, a]
    tb = tab[r, b]
    for k in range(size[r, ta]):
        x = members[r, ta, k]
        if x != a:
            d -= 1 if meet[a, x] >= 2 else 0
            d += 1 if meet[b, x] >= 1 else 0
    for k in range(size[r, tb]):
        y = members[r, tb, k]
        if y != b:
            d -= 1 if meet[b, y] >= 2 else 0
            d += 1 if meet[a, y] >= 1 else 0
    return d


@njit(cache=True)
def collect_candidates(tab, n_tables, members, size, meet, pen, movable, wptr, wadj, cand, rng, extra):
    """Fill ``cand`` with (round, participant) codes r * n + i worth moving; return count."""
    R, n = tab.shape
    unmet = np.zeros(n, np.bool_)
    for i in range(n):
        for e in range(wptr[i], wptr[i + 1]):
            if meet[i, wadj[e]] == 0:
                unmet[i] = True
    nc = 0
    for r in range(R):
        if n_tables[r] < 2:
            continue
        for i in range(n):
            if not movable[r, i]:
                continue
            bad = unmet[i]
            if not bad:
                t = tab[r, i]
                for k in range(size[r, t]):
                    x = members[r, t, k]
                    if x != i and (meet[i, x] >= 2 or pen[i, x] > 0):
                        bad = True
                        break
            if bad:
                cand[nc] = r * n + i
                nc += 1
    for _ in range(extra):
        r = rand_int(rng, R)
        i = rand_int(rng, n)
        if movable[r, i] and n_tables[r] >= 2:
            cand[nc] = r * n + i
            nc += 1
    return nc
