"""Numba kernels of the grouping search: gain matrix, moves, swaps, tabu search, perturbation.

State of a solution (all arrays mutated in place):

* ``assign[i]``: group of element ``i``;
* ``gain[i, g]``: sum of ``w[i, j]`` over the members ``j`` of group ``g`` (the n x G
  matrix that makes every move and swap evaluation O(1));
* ``size[g]``: group sizes; ``cnt[g, t]``: number of members of ``g`` carrying balance tag ``t``.

``w`` is the search weight matrix: diversity, minus the pairwise locality surrogate, minus a
large penalty on conflict pairs. ``share[t]`` and ``wbal`` define the balance penalty
``wbal * sum_{g,t} (cnt[g,t] - share[t] * size[g])**2``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from meute.matching.clock import now

EPS = 1e-9


@njit(cache=True)
def seed_rng(seed: int) -> None:
    np.random.seed(seed)


@njit(cache=True)
def uniform() -> float:
    """A draw from the kernels' own generator (seeded by :func:`seed_rng`)."""
    return np.random.random()


@njit(cache=True)
def build_state(w, assign, n_groups, tagm):
    n = w.shape[0]
    gain = np.zeros((n, n_groups))
    size = np.zeros(n_groups, dtype=np.int64)
    cnt = np.zeros((n_groups, tagm.shape[1]))
    for j in range(n):
        g = assign[j]
        size[g] += 1
        for t in range(tagm.shape[1]):
            cnt[g, t] += tagm[j, t]
        for i in range(n):
            gain[i, g] += w[j, i]
    return gain, size, cnt


@njit(cache=True)
def score(w, assign, size, cnt, share, wbal):
    n = w.shape[0]
    total = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            if assign[i] == assign[j]:
                total += w[i, j]
    pen = 0.0
    for g in range(cnt.shape[0]):
        for t in range(cnt.shape[1]):
            dev = cnt[g, t] - share[t] * size[g]
            pen += dev * dev
    return total - wbal * pen


@njit(cache=True)
def random_assignment(n, lo, hi, locked, extreme, jitter):
    """Random assignment meeting the size bounds; ``locked[i] >= 0`` pins element i.
    With ``extreme``, the spare elements fill groups one by one up to their upper bound, a
    vertex of the size polytope: groups by decreasing ``lo + hi + jitter * U(0, 1)`` (the
    most pairs per element first); otherwise they are spread at random."""
    n_groups = lo.shape[0]
    assign = -np.ones(n, dtype=np.int64)
    size = np.zeros(n_groups, dtype=np.int64)
    for i in range(n):
        if locked[i] >= 0:
            assign[i] = locked[i]
            size[locked[i]] += 1
    free = np.random.permutation(np.where(locked < 0)[0])
    k = 0
    for g in range(n_groups):
        while size[g] < lo[g] and k < free.shape[0]:
            assign[free[k]] = g
            size[g] += 1
            k += 1
    fill_order = np.argsort(-(lo + hi + jitter * np.random.random(n_groups)))
    while k < free.shape[0]:
        open_groups = np.where(size < hi)[0]
        if open_groups.shape[0] == 0:
            open_groups = np.arange(n_groups)
        g = open_groups[np.random.randint(open_groups.shape[0])]
        if extreme:
            for h in fill_order:
                if size[h] < hi[h]:
                    g = h
                    break
        assign[free[k]] = g
        size[g] += 1
        k += 1
    return assign


@njit(cache=True)
def move(i, h, w, assign, gain, size, cnt, tagm):
    g = assign[i]
    for k in range(w.shape[0]):
        x = w[i, k]
        gain[k, g] -= x
        gain[k, h] += x
    size[g] -= 1
    size[h] += 1
    for t in range(tagm.shape[1]):
        cnt[g, t] -= tagm[i, t]
        cnt[h, t] += tagm[i, t]
    assign[i] = h


@njit(cache=True)
def restore(target, w, assign, gain, size, cnt, tagm):
    """Bring the state to assignment ``target`` by moving the elements that differ."""
    for i in range(assign.shape[0]):
        if assign[i] != target[i]:
            move(i, target[i], w, assign, gain, size, cnt, tagm)


@njit(cache=True)
def balance_move(i, g, h, size, cnt, tagm, share, wbal):
    d = 0.0
    for t in range(tagm.shape[1]):
        x, p = tagm[i, t], share[t]
        dg = cnt[g, t] - p * size[g]
        dh = cnt[h, t] - p * size[h]
        ng, nh = dg - x + p, dh + x - p
        d += ng * ng - dg * dg + nh * nh - dh * dh
    return -wbal * d


@njit(cache=True)
def balance_swap(i, j, g, h, size, cnt, tagm, share, wbal):
    d = 0.0
    for t in range(tagm.shape[1]):
        y = tagm[j, t] - tagm[i, t]
        if y != 0.0:
            dg = cnt[g, t] - share[t] * size[g]
            dh = cnt[h, t] - share[t] * size[h]
            d += (dg + y) ** 2 - dg * dg + (dh - y) ** 2 - dh * dh
    return -wbal * d


@njit(cache=True)
def _best_move(it, f, best_f, w, lo, hi, movable, assign, gain, size, cnt, tagm, share, wbal, tabu):
    n, n_groups = gain.shape
    has_tags = tagm.shape[1] > 0
    bd, bi, bh, ties = -np.inf, -1, -1, 0
    for i in range(n):
        g = assign[i]
        if not movable[i] or size[g] <= lo[g]:
            continue
        for h in range(n_groups):
            if h == g or size[h] >= hi[h]:
                continue
            d = gain[i, h] - gain[i, g]
            if has_tags:  # balance_move, written inline
                acc = 0.0
                for t in range(tagm.shape[1]):
                    x, p = tagm[i, t], share[t]
                    dg = cnt[g, t] - p * size[g]
                    dh = cnt[h, t] - p * size[h]
                    acc += (dg - x + p) ** 2 - dg * dg + (dh + x - p) ** 2 - dh * dh
                d -= wbal * acc
            if tabu[i, h] > it and f + d <= best_f + EPS:
                continue
            if d > bd + EPS:
                bd, bi, bh, ties = d, i, h, 1
            elif d > bd - EPS:
                ties += 1
                if np.random.randint(ties) == 0:
                    bi, bh = i, h
    return bd, bi, bh


@njit(cache=True)
def _balance_bound(size, cnt, share, wbal):
    """Upper bound of the balance gain of any swap: 2 * wbal * sum_t (spread_t - 1)+."""
    bound = 0.0
    for t in range(cnt.shape[1]):
        lo_dev, hi_dev = np.inf, -np.inf
        for g in range(cnt.shape[0]):
            dev = cnt[g, t] - share[t] * size[g]
            lo_dev, hi_dev = min(lo_dev, dev), max(hi_dev, dev)
        bound += max(0.0, 2.0 * wbal * (hi_dev - lo_dev - 1.0))
    return bound


@njit(cache=True)
def _swap_delta(i, j, w, assign, gain, size, cnt, tagm, share, wbal):
    g, h = assign[i], assign[j]
    d = gain[i, h] - gain[i, g] + gain[j, g] - gain[j, h] - 2.0 * w[i, j]
    if tagm.shape[1] > 0:
        d += balance_swap(i, j, g, h, size, cnt, tagm, share, wbal)
    return d


@njit(cache=True)
def _members(movable, assign, n_groups):
    """Movable elements grouped by group: ``order[start[g]:start[g + 1]]``."""
    start = np.zeros(n_groups + 1, dtype=np.int64)
    for i in range(assign.shape[0]):
        if movable[i]:
            start[assign[i] + 1] += 1
    for g in range(n_groups):
        start[g + 1] += start[g]
    fill = start[:-1].copy()
    order = np.empty(start[n_groups], dtype=np.int64)
    for i in range(assign.shape[0]):
        if movable[i]:
            order[fill[assign[i]]] = i
            fill[assign[i]] += 1
    return order, start


@njit(cache=True)
def _group_gains(movable, assign, gain):
    """``top[g, h]``: the best gain of moving one movable member of g to h."""
    n, n_groups = gain.shape
    top = np.full((n_groups, n_groups), -np.inf)
    for i in range(n):
        if movable[i]:
            g = assign[i]
            for h in range(n_groups):
                v = gain[i, h] - gain[i, g]
                if v > top[g, h]:
                    top[g, h] = v
    return top


@njit(cache=True)
def _best_swap(it, f, best_f, bd, w, movable, assign, gain, size, cnt, tagm, share, wbal, tabu, wmin, cpairs):
    """Best admissible swap. A swap of i (in g) and j (in h) gains at most
    ``a_i[h] + a_j[g] - 2 * wmin`` (+ the balance bound) where ``a_i[h]`` is the gain of
    moving i alone, so group pairs and elements that cannot beat ``bd`` are skipped in O(1).
    Conflict pairs (whose weight is below ``wmin``) are evaluated separately."""
    n_groups = gain.shape[1]
    order, start = _members(movable, assign, n_groups)
    top = _group_gains(movable, assign, gain)
    extra = -2.0 * wmin + (_balance_bound(size, cnt, share, wbal) if tagm.shape[1] > 0 else 0.0)
    has_tags = tagm.shape[1] > 0
    bi, bj, ties = -1, -1, 1
    for g in range(n_groups):
        for h in range(g + 1, n_groups):
            if top[g, h] + top[h, g] + extra < bd - EPS:
                continue
            for p in range(start[g], start[g + 1]):
                i = order[p]
                ai = gain[i, h] - gain[i, g]
                if ai + top[h, g] + extra < bd - EPS:
                    continue
                for q in range(start[h], start[h + 1]):
                    j = order[q]
                    aj = gain[j, g] - gain[j, h]
                    if ai + aj + extra < bd - EPS:
                        continue
                    d = ai + aj - 2.0 * w[i, j]
                    if has_tags:  # balance_swap, written inline (a call costs more than the scan)
                        acc = 0.0
                        for t in range(tagm.shape[1]):
                            y = tagm[j, t] - tagm[i, t]
                            if y != 0.0:
                                dg = cnt[g, t] - share[t] * size[g]
                                dh = cnt[h, t] - share[t] * size[h]
                                acc += 2.0 * y * (dg - dh) + 2.0 * y * y
                        d -= wbal * acc
                    if d < bd - EPS or ((tabu[i, h] > it or tabu[j, g] > it) and f + d <= best_f + EPS):
                        continue
                    if d > bd + EPS:
                        bd, bi, bj, ties = d, i, j, 1
                    else:
                        ties += 1
                        if np.random.randint(ties) == 0:
                            bi, bj = i, j
    for k in range(cpairs.shape[0]):
        i, j = cpairs[k, 0], cpairs[k, 1]
        if not (movable[i] and movable[j]) or assign[i] == assign[j]:
            continue
        d = _swap_delta(i, j, w, assign, gain, size, cnt, tagm, share, wbal)
        if d > bd + EPS and not ((tabu[i, assign[j]] > it or tabu[j, assign[i]] > it) and f + d <= best_f + EPS):
            bd, bi, bj = d, i, j
    return bd, bi, bj


@njit(cache=True)
def tabu_search(
    f,
    depth,
    tenure,
    tenure_rand,
    it,
    w,
    lo,
    hi,
    movable,
    assign,
    gain,
    size,
    cnt,
    tagm,
    share,
    wbal,
    tabu,
    best_assign,
    wmin,
    cpairs,
    deadline,
):
    """Best-improvement tabu search over moves and swaps, stopped after ``depth`` steps
    without improving its best or at ``deadline`` (:func:`meute.matching.clock.now`);
    ends on its best solution. Returns (f, iteration counter)."""
    best_f = f
    best_assign[:] = assign
    stall = 0
    while stall < depth and now() < deadline:
        md, mi, mh = _best_move(
            it,
            f,
            best_f,
            w,
            lo,
            hi,
            movable,
            assign,
            gain,
            size,
            cnt,
            tagm,
            share,
            wbal,
            tabu,
        )
        sd, si, sj = _best_swap(
            it,
            f,
            best_f,
            md,
            w,
            movable,
            assign,
            gain,
            size,
            cnt,
            tagm,
            share,
            wbal,
            tabu,
            wmin,
            cpairs,
        )
        if si >= 0:
            g, h = assign[si], assign[sj]
            move(si, h, w, assign, gain, size, cnt, tagm)
            move(sj, g, w, assign, gain, size, cnt, tagm)
            tabu[si, g] = it + tenure + np.random.randint(tenure_rand + 1)
            tabu[sj, h] = it + tenure + np.random.randint(tenure_rand + 1)
            f += sd
        elif mi >= 0:
            g = assign[mi]
            move(mi, mh, w, assign, gain, size, cnt, tagm)
            tabu[mi, g] = it + tenure + np.random.randint(tenure_rand + 1)
            f += md
        else:
            break
        it += 1
        if f > best_f + EPS:
            best_f = f
            best_assign[:] = assign
            stall = 0
        else:
            stall += 1
    restore(best_assign, w, assign, gain, size, cnt, tagm)
    return best_f, it


@njit(cache=True)
def perturb(strength, w, lo, hi, movable, assign, gain, size, cnt, tagm, share, wbal):
    """Apply ``strength`` random swaps (and, with bounds that allow it, random moves);
    returns the change of the objective."""
    n_groups = gain.shape[1]
    mov = np.where(movable)[0]
    delta = 0.0
    if mov.shape[0] < 2:
        return delta
    for _ in range(strength):
        i = mov[np.random.randint(mov.shape[0])]
        g = assign[i]
        if np.random.random() < 0.5:
            h = np.random.randint(n_groups)
            if h != g and size[g] > lo[g] and size[h] < hi[h]:
                delta += gain[i, h] - gain[i, g] + balance_move(i, g, h, size, cnt, tagm, share, wbal)
                move(i, h, w, assign, gain, size, cnt, tagm)
                continue
        for _try in range(20):
            j = mov[np.random.randint(mov.shape[0])]
            h = assign[j]
            if h != g:
                delta += gain[i, h] - gain[i, g] + gain[j, g] - gain[j, h] - 2.0 * w[i, j]
                delta += balance_swap(i, j, g, h, size, cnt, tagm, share, wbal)
                move(i, h, w, assign, gain, size, cnt, tagm)
                move(j, g, w, assign, gain, size, cnt, tagm)
                break
    return delta


@njit(cache=True)
def its_round(
    f,
    cur_f,
    strength,
    depth,
    tenure,
    tenure_rand,
    it,
    w,
    lo,
    hi,
    movable,
    assign,
    gain,
    size,
    cnt,
    tagm,
    share,
    wbal,
    tabu,
    cur_assign,
    scratch,
    wmin,
    cpairs,
    deadline,
):
    """One iterated-tabu round: perturb the current local optimum, run the tabu search
    (until ``deadline`` at the latest), keep the result if it is not worse than the current
    one, else go back.
    Returns (f, current f, iteration counter); the state holds the kept solution."""
    f += perturb(strength, w, lo, hi, movable, assign, gain, size, cnt, tagm, share, wbal)
    f, it = tabu_search(
        f,
        depth,
        tenure,
        tenure_rand,
        it,
        w,
        lo,
        hi,
        movable,
        assign,
        gain,
        size,
        cnt,
        tagm,
        share,
        wbal,
        tabu,
        scratch,
        wmin,
        cpairs,
        deadline,
    )
    if f >= cur_f - EPS:
        cur_assign[:] = assign
        cur_f = f
    else:
        restore(cur_assign, w, assign, gain, size, cnt, tagm)
        f = cur_f
    return f, cur_f, it


@njit(cache=True)
def _group_diversity(w, parent, taken, n_groups):
    """``div[g]``: the sum of ``w`` over the pairs of not-yet-taken members of group g."""
    div = np.zeros(n_groups)
    n = parent.shape[0]
    for i in range(n):
        if taken[i]:
            continue
        for j in range(i + 1, n):
            if not taken[j] and parent[j] == parent[i]:
                div[parent[i]] += w[i, j]
    return div


@njit(cache=True)
def _take(x, w, parents, divs, taken):
    """Mark element x taken and remove its pairs from both parents' group diversities."""
    taken[x] = True
    for p in range(2):
        g = parents[p, x]
        for j in range(parents.shape[1]):
            if not taken[j] and parents[p, j] == g:
                divs[p, g] -= w[x, j]


@njit(cache=True)
def _pick_group(p, parents, divs, taken, slot_used, locked, sizes, child_size):
    """The group of parent p with the largest remaining diversity that some free slot can
    hold; returns (group, slot) or (-1, -1). A group holding members locked to slot g
    can only go to slot g; otherwise its own index is preferred, then the free slot with
    the most room."""
    n, n_groups = parents.shape[1], sizes.shape[0]
    free = np.zeros(n_groups, dtype=np.int64)
    pinned = -np.ones(n_groups, dtype=np.int64)
    for i in range(n):
        g = parents[p, i]
        if locked[i] >= 0:
            pinned[g] = locked[i]
        elif not taken[i]:
            free[g] += 1
    best_g, best_slot, best_div = -1, -1, -np.inf
    for g in range(n_groups):
        if free[g] == 0 or divs[p, g] <= best_div:
            continue
        slot = -1
        if pinned[g] >= 0:
            if not slot_used[pinned[g]]:
                slot = pinned[g]
        elif not slot_used[g] and child_size[g] + free[g] <= sizes[g]:
            slot = g
        else:
            room = -1
            for t in range(n_groups):
                if not slot_used[t] and sizes[t] - child_size[t] > room:
                    room, slot = sizes[t] - child_size[t], t
        if slot >= 0:
            best_g, best_slot, best_div = g, slot, divs[p, g]
    return best_g, best_slot


@njit(cache=True)
def _greedy_fill(w, child, child_size, cap):
    """Place the unplaced elements (child == -1) one at a time, each step the (element,
    slot) pair of largest gain among slots with ``child_size < cap``; stops when no slot
    has room or nothing is left."""
    n, n_groups = child.shape[0], cap.shape[0]
    rest = np.where(child < 0)[0]
    if rest.shape[0] == 0:
        return
    gain = np.zeros((rest.shape[0], n_groups))
    for a in range(rest.shape[0]):
        x = rest[a]
        for j in range(n):
            if child[j] >= 0:
                gain[a, child[j]] += w[x, j]
    done = np.zeros(rest.shape[0], dtype=np.bool_)
    for _ in range(rest.shape[0]):
        ba, bt, bv = -1, -1, -np.inf
        for a in range(rest.shape[0]):
            if done[a]:
                continue
            for t in range(n_groups):
                if child_size[t] < cap[t] and gain[a, t] > bv:
                    ba, bt, bv = a, t, gain[a, t]
        if ba < 0:
            return
        x = rest[ba]
        child[x] = bt
        child_size[bt] += 1
        done[ba] = True
        for a in range(rest.shape[0]):
            if not done[a]:
                gain[a, bt] += w[rest[a], x]


@njit(cache=True)
def crossover(pa, pb, w, sizes, locked):
    """Group-based crossover of two groupings (after the greedy partition crossover of
    graph colouring): G times, take from a random parent its group of largest remaining
    diversity and give its members not yet placed to a free slot, up to the slot's size;
    locked elements stay; the elements left over fill the slots to ``sizes``, each time
    the (element, slot) pair of largest gain. The child has exactly ``sizes`` members per
    group (``sizes`` sums to n and covers the locks)."""
    n, n_groups = pa.shape[0], sizes.shape[0]
    parents = np.empty((2, n), dtype=np.int64)
    parents[0], parents[1] = pa, pb
    child = -np.ones(n, dtype=np.int64)
    child_size = np.zeros(n_groups, dtype=np.int64)
    taken = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        if locked[i] >= 0:
            child[i] = locked[i]
            child_size[locked[i]] += 1
            taken[i] = True
    divs = np.empty((2, n_groups))
    divs[0] = _group_diversity(w, pa, taken, n_groups)
    divs[1] = _group_diversity(w, pb, taken, n_groups)
    slot_used = np.zeros(n_groups, dtype=np.bool_)
    for _ in range(n_groups):
        p = np.random.randint(2)
        g, slot = _pick_group(p, parents, divs, taken, slot_used, locked, sizes, child_size)
        if g < 0:
            p = 1 - p
            g, slot = _pick_group(p, parents, divs, taken, slot_used, locked, sizes, child_size)
            if g < 0:
                break
        members = np.where((parents[p] == g) & ~taken)[0]
        members = members[np.random.permutation(members.shape[0])]
        room = sizes[slot] - child_size[slot]
        for k in range(min(room, members.shape[0])):
            x = members[k]
            child[x] = slot
            child_size[slot] += 1
            _take(x, w, parents, divs, taken)
        slot_used[slot] = True
    _greedy_fill(w, child, child_size, sizes)
    return child


@njit(cache=True)
def pair_sizes(n, lo, hi):
    """Group sizes within the bounds, summing to ``n``, with the most within-group pairs
    (sum of s * (s - 1) / 2), by dynamic programming over the groups; ``lo`` is returned
    when the bounds cannot hold ``n``."""
    n_groups = lo.shape[0]
    extra = n - lo.sum()
    if extra < 0 or n > hi.sum():
        return lo.copy()
    dp = np.full((n_groups + 1, extra + 1), -np.inf)
    pick = np.zeros((n_groups, extra + 1), dtype=np.int64)
    dp[0, 0] = 0.0
    for g in range(n_groups):
        for e in range(extra + 1):
            if dp[g, e] == -np.inf:
                continue
            for s in range(lo[g], hi[g] + 1):
                e2 = e + s - lo[g]
                if e2 > extra:
                    break
                v = dp[g, e] + s * (s - 1) / 2.0
                if v > dp[g + 1, e2]:
                    dp[g + 1, e2] = v
                    pick[g, e2] = s
    sizes = np.empty(n_groups, dtype=np.int64)
    e = extra
    for g in range(n_groups - 1, -1, -1):
        sizes[g] = pick[g, e]
        e -= sizes[g] - lo[g]
    return sizes
