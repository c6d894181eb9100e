"""Cached move gains: each swap is evaluated in O(1) instead of O(table size).

``join[r, z, t] = sum(inc_c(z, y) for y at table t of round r, y != z)`` and
``leave[r, z] = sum(dec_c(z, x) for x at z's table in round r, x != z)``. Swapping a
(table A) and b (table B) in round r changes the cost by
``leave[r, a] + leave[r, b] + join[r, a, B] - inc(a, b) + join[r, b, A] - inc(b, a)``
(plus the balance term). After a swap, the caches are updated in O(R * p + n).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .kernels import apply_swap, dec_c, inc_c


@njit(cache=True)
def build_gains(tab, n_tables, members, size, meet, wish, pen, w_rep, join, leave):
    R, n = tab.shape
    join[:, :, :] = 0.0
    leave[:, :] = 0.0
    for r in range(R):
        for t in range(n_tables[r]):
            for k in range(size[r, t]):
                y = members[r, t, k]
                for z in range(n):
                    if z != y and tab[r, z] >= 0:
                        join[r, z, t] += inc_c(meet[z, y], wish[z, y], pen[z, y], w_rep)
                        if tab[r, z] == t:
                            leave[r, z] += dec_c(meet[z, y], wish[z, y], pen[z, y], w_rep)


@njit(cache=True, inline="always")
def fast_delta(r, a, b, tab, meet, wish, pen, w_rep, big, short, w_bal, join, leave):
    ta = tab[r, a]
    tb = tab[r, b]
    d = leave[r, a] + leave[r, b]
    d += join[r, a, tb] - inc_c(meet[a, b], wish[a, b], pen[a, b], w_rep)
    d += join[r, b, ta] - inc_c(meet[b, a], wish[b, a], pen[b, a], w_rep)
    s = big[r, ta] - big[r, tb]
    if s != 0 and w_bal > 0:
        sa = short[a] + s
        sb = short[b] - s
        d += w_bal * (sa * sa - short[a] * short[a] + sb * sb - short[b] * short[b])
    return d


@njit(cache=True)
def _pair_changed(u, v, old_inc_uv, old_dec_uv, old_inc_vu, old_dec_vu, tab, meet, wish, pen, w_rep,
                  join, leave, r):
    """Propagate the new meet[u, v] to the caches of every round.

    In round r (the swap's), u's own contribution to the caches of others is redone by
    the caller, so only v's contribution to u's join is updated there.
    """
    R = tab.shape[0]
    di_uv = inc_c(meet[u, v], wish[u, v], pen[u, v], w_rep) - old_inc_uv
    dd_uv = dec_c(meet[u, v], wish[u, v], pen[u, v], w_rep) - old_dec_uv
    di_vu = inc_c(meet[v, u], wish[v, u], pen[v, u], w_rep) - old_inc_vu
    dd_vu = dec_c(meet[v, u], wish[v, u], pen[v, u], w_rep) - old_dec_vu
    for q in range(R):
        tu = tab[q, u]
        tv = tab[q, v]
        if tu < 0 or tv < 0:
            continue
        join[q, u, tv] += di_uv
        if q == r:
            continue
        join[q, v, tu] += di_vu
        if tu == tv:
            leave[q, u] += dd_uv
            leave[q, v] += dd_vu


@njit(cache=True)
def fast_swap(r, a, b, tab, members, size, pos, meet, wish, pen, w_rep, big, short, join, leave):
    """Swap a and b in round r and update meet, short and the caches."""
    ta = tab[r, a]
    tb = tab[r, b]
    n = tab.shape[1]
    # pairs whose meet count changes: (a, x), (b, x) for x in A; (b, y), (a, y) for y in B
    p_max = size[r, ta] + size[r, tb]
    us = np.empty(4 * p_max, np.int64)
    vs = np.empty(4 * p_max, np.int64)
    olds = np.empty((4 * p_max, 4))
    k = 0
    for side in range(2):
        t = ta if side == 0 else tb
        for s in range(size[r, t]):
            x = members[r, t, s]
            if x in (a, b):
                continue
            for u in (a, b):
                us[k] = u
                vs[k] = x
                olds[k, 0] = inc_c(meet[u, x], wish[u, x], pen[u, x], w_rep)
                olds[k, 1] = dec_c(meet[u, x], wish[u, x], pen[u, x], w_rep)
                olds[k, 2] = inc_c(meet[x, u], wish[x, u], pen[x, u], w_rep)
                olds[k, 3] = dec_c(meet[x, u], wish[x, u], pen[x, u], w_rep)
                k += 1
    # remove old memberships of a and b from the join caches of round r
    for z in range(n):
        if tab[r, z] >= 0:
            if z != a:
                join[r, z, ta] -= inc_c(meet[z, a], wish[z, a], pen[z, a], w_rep)
            if z != b:
                join[r, z, tb] -= inc_c(meet[z, b], wish[z, b], pen[z, b], w_rep)
    apply_swap(r, a, b, tab, members, size, pos, meet, big, short)
    # the pairs changed: tab already holds the new seats, so fix round r by hand afterwards
    for e in range(k):
        _pair_changed(us[e], vs[e], olds[e, 0], olds[e, 1], olds[e, 2], olds[e, 3], tab, meet, wish, pen,
                      w_rep, join, leave, r)
    for z in range(n):
        if tab[r, z] >= 0:
            if z != b:
                join[r, z, ta] += inc_c(meet[z, b], wish[z, b], pen[z, b], w_rep)
            if z != a:
                join[r, z, tb] += inc_c(meet[z, a], wish[z, a], pen[z, a], w_rep)
    for t in (ta, tb):
        for s in range(size[r, t]):
            z = members[r, t, s]
            total = 0.0
            for s2 in range(size[r, t]):
                y = members[r, t, s2]
                if y != z:
                    total += dec_c(meet[z, y], wish[z, y], pen[z, y], w_rep)
            leave[r, z] = total
