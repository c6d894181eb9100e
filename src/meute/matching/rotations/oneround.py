"""One more round, given who has already met: a tabu search on that round alone.

After the repeat-free rounds of a construction, the next round is a partition of the
people into tables (sizes fixed) that seats as few already-met pairs together as possible:
near-cliques of the "not yet met" graph. The generic search over all rounds spends most of
its work on the rounds that are already right; this one only moves people of the new round.

State: ``tab[a]`` (table of a), ``members[t, :size[t]]``, ``pos[a]``, and
``cnt[a, t]``: how many people of table t person a has already met (``met[a, b] >= 1``).
The cost is ``sum_a cnt[a, tab[a]] / 2``, the pairs of the round that meet again. The change
of cost of swapping a (table A) and b (table B) is O(1)::

    cnt[a, B] + cnt[b, A] - 2 met[a, b] - cnt[a, A] - cnt[b, B]

and a swap updates ``cnt`` in O(n). Each iteration evaluates every swap of a person who
meets someone again with a person of another table, applies the best one that is not tabu
(aspiration: it beats the best round), and forbids each of the two to return to the table
it left for a random tenure. After ``stall`` iterations without improving the best round,
the search restarts from the best round with a few random swaps.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from .kernels import rand_int


@njit(cache=True)
def _counts(tab, n_tables, met):
    n = tab.shape[0]
    cnt = np.zeros((n, n_tables), np.int64)
    for a in range(n):
        for b in range(n):
            if a != b and met[a, b] > 0:
                cnt[a, tab[b]] += 1
    return cnt


@njit(cache=True)
def _rebuild(tab, members, size, pos, cnt, met):
    n = tab.shape[0]
    size[:] = 0
    cnt[:, :] = 0
    for a in range(n):
        t = tab[a]
        members[t, size[t]] = a
        pos[a] = size[t]
        size[t] += 1
        for b in range(n):
            if a != b and met[a, b] > 0:
                cnt[b, t] += 1


@njit(cache=True)
def _swap(a, b, tab, members, pos, cnt, met):
    ta, tb = tab[a], tab[b]
    n = tab.shape[0]
    for z in range(n):
        ma = 1 if met[z, a] > 0 else 0
        mb = 1 if met[z, b] > 0 else 0
        if ma != mb:
            cnt[z, ta] += mb - ma
            cnt[z, tb] += ma - mb
    pa, pb = pos[a], pos[b]
    members[ta, pa] = b
    members[tb, pb] = a
    pos[a], pos[b] = pb, pa
    tab[a], tab[b] = tb, ta


@njit(cache=True)
def round_tabu(tab, members, size, pos, cnt, met, movable, tabu, rng, state, best_tab, iters,
               tenure_min, tenure_span, stall, kicks, floor):
    """Run up to ``iters`` iterations, or until the best cost is ``floor`` (a lower bound).

    ``state = [iteration, cost, best cost, last improvement]``; ``best_tab`` holds the best
    round. ``tabu[a, t] > iteration``: a may not move to table t.
    """
    n = tab.shape[0]
    for _ in range(iters):
        if state[2] <= floor:
            return
        it = state[0]
        state[0] += 1
        if it - state[3] > stall:  # restart from the best round, a few random swaps
            tab[:] = best_tab
            _rebuild(tab, members, size, pos, cnt, met)
            done = 0
            guard = 0
            while done < kicks and guard < 100 * kicks:
                guard += 1
                a = rand_int(rng, n)
                b = rand_int(rng, n)
                if movable[a] and movable[b] and tab[a] != tab[b]:
                    _swap(a, b, tab, members, pos, cnt, met)
                    done += 1
            cost = 0
            for a in range(n):
                cost += cnt[a, tab[a]]
            state[1] = cost // 2
            state[3] = it
            continue
        ba, bb, bd, ties = -1, -1, 1 << 30, 0
        for a in range(n):
            if not movable[a]:
                continue
            ta = tab[a]
            ca = cnt[a, ta]
            if ca == 0:
                continue
            for b in range(n):
                tb = tab[b]
                if tb == ta or not movable[b]:
                    continue
                m = 2 if met[a, b] > 0 else 0
                d = cnt[a, tb] + cnt[b, ta] - m - ca - cnt[b, tb]
                if d > bd:
                    continue
                if (tabu[a, tb] > it or tabu[b, ta] > it) and state[1] + d >= state[2]:
                    continue
                if d < bd:
                    ba, bb, bd, ties = a, b, d, 1
                else:
                    ties += 1
                    if rand_int(rng, ties) == 0:
                        ba, bb = a, b
        if ba < 0:
            continue
        ta, tb = tab[ba], tab[bb]
        _swap(ba, bb, tab, members, pos, cnt, met)
        tabu[ba, ta] = it + tenure_min + rand_int(rng, tenure_span)
        tabu[bb, tb] = it + tenure_min + rand_int(rng, tenure_span)
        state[1] += bd
        if state[1] < state[2]:
            state[2] = state[1]
            state[3] = it
            best_tab[:] = tab


@njit(cache=True)
def greedy_round(order, sizes, met, fixed):
    """Seat people in ``order``, each at the open table where they met the fewest
    (``fixed[a] >= 0``: a sits at that table). Returns ``tab``."""
    n = order.shape[0]
    T = sizes.shape[0]
    tab = np.full(n, -1, np.int64)
    fill = np.zeros(T, np.int64)
    seated = np.zeros((T, sizes.max()), np.int64)
    for a in range(n):
        if fixed[a] >= 0:
            t = fixed[a]
            tab[a] = t
            seated[t, fill[t]] = a
            fill[t] += 1
    for k in range(n):
        a = order[k]
        if tab[a] >= 0:
            continue
        bt, bc = -1, 1 << 30
        for t in range(T):
            if fill[t] >= sizes[t]:
                continue
            c = 0
            for s in range(fill[t]):
                if met[a, seated[t, s]] > 0:
                    c += 1
            # prefer fuller tables on ties: fewer half-empty tables left for the last people
            if c < bc or (c == bc and fill[t] > fill[bt]):
                bt, bc = t, c
        tab[a] = bt
        seated[bt, fill[bt]] = a
        fill[bt] += 1
    return tab


def seat_round(met: np.ndarray, sizes: np.ndarray, seed: int, deadline: float | None,
               max_iter: int = 20_000, fixed: np.ndarray | None = None,
               stall: int = 2000, kicks: int = 4) -> tuple[np.ndarray, int]:
    """(tab, cost): the best round found; ``tab[a]`` is a's table, ``cost`` the pairs of the
    round that met before (``met[a, b] >= 1``).

    ``sizes[t]`` are the table sizes (their sum is the number of people); ``fixed[a] >= 0``
    pins a to that table. Stops at the pairs bound (the round seats ``sum C(size, 2)`` pairs
    and at most the pairs not met yet are new: 0 when enough are left), after ``max_iter``
    iterations or at ``deadline`` (``time.perf_counter()``), whichever comes first.
    """
    n = met.shape[0]
    sizes = np.asarray(sizes, np.int64)
    if int(sizes.sum()) != n:
        raise ValueError("the table sizes must seat everyone.")
    fixed = np.full(n, -1, np.int64) if fixed is None else np.asarray(fixed, np.int64)
    rng_np = np.random.default_rng(seed)
    tab = greedy_round(rng_np.permutation(n).astype(np.int64), sizes, met, fixed)
    T = sizes.shape[0]
    members = np.zeros((T, int(sizes.max())), np.int64)
    fill = np.zeros(T, np.int64)
    pos = np.zeros(n, np.int64)
    for a in range(n):
        t = tab[a]
        members[t, fill[t]] = a
        pos[a] = fill[t]
        fill[t] += 1
    cnt = _counts(tab, T, met)
    cost = int(sum(cnt[a, tab[a]] for a in range(n))) // 2
    state = np.array([0, cost, cost, 0], np.int64)
    best = tab.copy()
    tabu = np.zeros((n, T), np.int64)
    rng = np.array([int(rng_np.integers(1, 2**63))], np.uint64)
    movable = fixed < 0
    tenure_min, tenure_span = 3, max(2, T)
    # a round seats sum C(size, 2) pairs and only the pairs not met yet are free
    free = int(np.count_nonzero(np.triu(met == 0, 1)))
    floor = max(0, int(sum(int(x) * (int(x) - 1) // 2 for x in sizes)) - free)
    chunk = 10  # iterations per kernel call, grown while a call takes under 10 ms
    while state[2] > floor and state[0] < max_iter:
        now = time.perf_counter()
        if deadline is not None and now >= deadline:
            break
        round_tabu(tab, members, fill, pos, cnt, met, movable, tabu, rng, state, best,
                   min(chunk, max_iter - int(state[0])), tenure_min, tenure_span, stall, kicks, floor)
        if time.perf_counter() - now < 0.01:
            chunk = min(2 * chunk, 1000)
    return best, int(state[2])
