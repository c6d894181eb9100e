"""Tabu search over swaps of two participants seated at different tables of one round.

In the spirit of Dotú & Van Hentenryck (2005): each iteration collects the (round,
participant) positions involved in a repeat, a conflict, shared attributes or an unmet
wish (plus two random ones), samples at most ``budget`` of them, and applies the best
swap of one of them with anyone at another table of the same round that is not tabu
(aspiration: a tabu swap is allowed when it beats the best plan). A participant who
leaves table t in round r may not return to it for a random tenure. After ``max_stable``
iterations without improvement the search restarts from the best plan with random
swaps (kicks).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .gains import build_gains, fast_delta, fast_swap
from .kernels import EPS, collect_candidates, inc_c, rand_int, rebuild, swap_rep_delta


@njit(cache=True)
def best_swap(cand, nc, budget, tab, n_tables, members, size, meet, wish, pen, w_rep, big, short,
              w_bal, movable, tabu, it, cur, best, rng, join, leave):
    """Best admissible swap among ``budget`` sampled candidates: (round, a, b, delta)."""
    _R, n = tab.shape
    if nc > budget:  # partial Fisher-Yates: the first `budget` entries become the sample
        for x in range(budget):
            y = x + rand_int(rng, nc - x)
            cand[x], cand[y] = cand[y], cand[x]
        nc = budget
    best_r, best_a, best_b, best_d, ties = -1, -1, -1, np.inf, 0
    for c in range(nc):
        r = cand[c] // n
        a = cand[c] % n
        ta = tab[r, a]
        for t in range(n_tables[r]):
            if t == ta:
                continue
            for k in range(size[r, t]):
                b = members[r, t, k]
                if not movable[r, b]:
                    continue
                # fast_delta, inlined: array arguments make calls costly in numba
                d = leave[r, a] + leave[r, b] + join[r, a, t] + join[r, b, ta]
                d -= 2.0 * inc_c(meet[a, b], wish[a, b], pen[a, b], w_rep)
                s = big[r, ta] - big[r, t]
                if s != 0 and w_bal > 0:
                    sa = short[a] + s
                    sb = short[b] - s
                    d += w_bal * (sa * sa - short[a] * short[a] + sb * sb - short[b] * short[b])
                if (tabu[r, a, t] > it or tabu[r, b, ta] > it) and cur + d >= best - EPS:
                    continue
                if d < best_d - EPS:
                    best_r, best_a, best_b, best_d, ties = r, a, b, d, 1
                elif d < best_d + EPS:
                    ties += 1
                    if rand_int(rng, ties) == 0:
                        best_r, best_a, best_b = r, a, b
    return best_r, best_a, best_b, best_d


@njit(cache=True)
def random_swap(tab, n_tables, members, size, movable, rng):
    """A random pair of movable participants at different tables of one round, or r = -1."""
    R, n = tab.shape
    for _ in range(50):
        r = rand_int(rng, R)
        a = rand_int(rng, n)
        b = rand_int(rng, n)
        if movable[r, a] and movable[r, b] and tab[r, a] != tab[r, b]:
            return r, a, b
    return -1, -1, -1


@njit(cache=True)
def tabu_search(tab, n_tables, members, size, pos, meet, base_meet, short, big, movable,
                wish, pen, w_rep, w_bal, wptr, wadj, tabu, rng, best_tab, fstate, istate, params, join, leave):
    """Run up to ``params[0]`` iterations of tabu search; state persists between calls.

    fstate = [current cost, best cost, lower bound];
    istate = [iteration, iterations since improvement, current repeats, best repeats,
              iterations done in this call];
    params = [iterations, candidate budget, tenure min, tenure max, max stable, kicks].
    """
    R, n = tab.shape
    n_iter, budget, tmin, tmax, max_stable, kicks = params
    cand = np.empty(R * n + 4, np.int64)
    done = 0
    for _ in range(n_iter):
        if fstate[1] <= fstate[2] + EPS:
            break
        done += 1
        it = istate[0]
        istate[0] += 1
        nc = collect_candidates(tab, n_tables, members, size, meet, pen, movable, wptr, wadj, cand, rng, 2)
        r, a, b, d = best_swap(cand, nc, budget, tab, n_tables, members, size, meet, wish, pen, w_rep,
                               big, short, w_bal, movable, tabu, it, fstate[0], fstate[1], rng, join, leave)
        if r >= 0:
            ta = tab[r, a]
            tb = tab[r, b]
            istate[2] += swap_rep_delta(r, a, b, tab, members, size, meet)
            fast_swap(r, a, b, tab, members, size, pos, meet, wish, pen, w_rep, big, short, join, leave)
            fstate[0] += d
            tabu[r, a, ta] = it + tmin + rand_int(rng, tmax - tmin + 1)
            tabu[r, b, tb] = it + tmin + rand_int(rng, tmax - tmin + 1)
        if fstate[0] < fstate[1] - EPS:
            fstate[1] = fstate[0]
            istate[3] = istate[2]
            best_tab[:, :] = tab
            istate[1] = 0
        else:
            istate[1] += 1
        if istate[1] > max_stable:
            perturb(tab, n_tables, members, size, pos, meet, base_meet, short, big, movable, wish, pen,
                    w_rep, w_bal, tabu, rng, best_tab, fstate, istate, kicks, join, leave)
    istate[4] = done


@njit(cache=True)
def perturb(tab, n_tables, members, size, pos, meet, base_meet, short, big, movable, wish, pen,
            w_rep, w_bal, tabu, rng, best_tab, fstate, istate, kicks, join, leave):
    """Restart from the best plan with ``kicks`` random swaps."""
    tab[:, :] = best_tab
    rebuild(tab, n_tables, base_meet, big, members, size, pos, meet, short)
    build_gains(tab, n_tables, members, size, meet, wish, pen, w_rep, join, leave)
    fstate[0] = fstate[1]
    istate[2] = istate[3]
    tabu[:, :, :] = 0
    for _ in range(kicks):
        r, a, b = random_swap(tab, n_tables, members, size, movable, rng)
        if r < 0:
            break
        d = fast_delta(r, a, b, tab, meet, wish, pen, w_rep, big, short, w_bal, join, leave)
        istate[2] += swap_rep_delta(r, a, b, tab, members, size, meet)
        fast_swap(r, a, b, tab, members, size, pos, meet, wish, pen, w_rep, big, short, join, leave)
        fstate[0] += d
    istate[1] = 0
