"""Algebraic constructions of zero-repeat schedules, computed on demand (no stored tables).

A schedule is a list of rounds; a round is a list of tables; a table is a list of player
indices ``0..g*p-1``. :func:`construct` returns the first construction that covers
``g`` tables of ``p`` players for ``w`` rounds, or None.

* round-robin (circle method), p = 2: 2g-1 rounds;
* lines of the affine geometry AG(k, q), q a prime power, p = q, g = q**(k-1):
  (q**k - 1)/(q - 1) rounds (AG(2, q): the affine plane; AG(3, 3): KTS(27));
* affine plane restricted to p of its q columns, p < g = q: q rounds, plus one more
  (columns cut into q/p tables) when p divides q;
* Kirkman triple systems KTS(3q), q = 6t + 1 a prime power: (3q - 1)/2 rounds;
* KTS(15) from the lines of PG(3, 2) and the resolvable 2-(28, 4, 1) design of the
  Hermitian unital in PG(2, 9), each resolved by exact cover (:mod:`.resolve`);
* Denniston maximal arcs of degree n = 2**h in PG(2, q), q = 2**m > n: p = n,
  g = q - q/n + 1 (e.g. 15 tables of 8, 13 of 4, 25 of 4): q + 1 rounds, every pair once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from .gf import field_of, prime_power
from .resolve import resolve

Schedule = list[list[list[int]]]


def round_robin(g: int) -> Schedule:
    """Circle method: 2g players in g pairs for 2g-1 rounds, every pair once."""
    n = 2 * g
    rounds = []
    for r in range(n - 1):
        ring = [n - 1] + [(r + i) % (n - 1) for i in range(n - 1)]
        rounds.append([sorted((ring[i], ring[n - 1 - i])) for i in range(g)])
    return rounds


def affine_geometry(q: int, k: int) -> Schedule:
    """Parallel classes of the lines of AG(k, q): q**(k-1) tables of q per round."""
    F = field_of(q)
    points = list(itertools.product(range(q), repeat=k))
    index = {pt: i for i, pt in enumerate(points)}
    directions = [d for d in points if any(d) and d[next(i for i, c in enumerate(d) if c)] == 1]
    rounds = []
    for d in directions:
        seen: set[int] = set()
        tables = []
        for pt in points:
            if index[pt] in seen:
                continue
            line = [
                index[tuple(int(F.add[pt[i], F.mul[lam, d[i]]]) for i in range(k))]
                for lam in range(q)
            ]
            seen.update(line)
            tables.append(sorted(line))
        rounds.append(tables)
    return rounds


def affine_columns(q: int, p: int) -> Schedule:
    """AG(2, q) restricted to p columns: q tables of p; one more round if p divides q."""
    F = field_of(q)
    index = {(x, y): x * q + y for x in range(p) for y in range(q)}
    rounds = []
    for slope in range(q):
        tables = [[] for _ in range(q)]
        for x in range(p):
            for c in range(q):
                y = int(F.add[F.mul[slope, x], c])
                tables[c].append(index[(x, y)])
        rounds.append([sorted(t) for t in tables])
    if q % p == 0:
        rounds.append([[index[(x, y)] for y in range(c, c + p)] for x in range(p) for c in range(0, q, p)])
    return rounds


def kirkman_3q(q: int) -> Schedule:
    """KTS(3q) for q = 6t + 1 a prime power: q tables of 3 for (3q - 1)/2 rounds."""
    F = field_of(q)
    t = (q - 1) // 6
    g = F.primitive()

    def pt(x: int, j: int) -> int:
        return 3 * x + j

    def A(i: int) -> list[tuple[int, int]]:
        return [(F.power(g, i), 0), (F.power(g, i + 2 * t), 1), (F.power(g, i + 4 * t), 2)]

    base = [[(0, 0), (0, 1), (0, 2)]]
    base += [[(F.power(g, i + 2 * t * e), j) for e in range(3)] for i in range(t) for j in range(3)]
    base += [A(i) for i in range(6 * t) if (i // t) % 2 == 1]

    def shift(block: list[tuple[int, int]], s: int) -> list[int]:
        return sorted(pt(int(F.add[x, s]), j) for x, j in block)

    rounds = [[shift(b, s) for b in base] for s in range(q)]
    rounds += [[shift(A(i), s) for s in range(q)] for i in range(6 * t) if (i // t) % 2 == 0]
    return rounds


def kirkman_15() -> Schedule | None:
    """KTS(15): the 35 lines of PG(3, 2) (triples a, b, a xor b) resolved into 7 spreads."""
    blocks = sorted({frozenset((a, b, a ^ b)) for a in range(1, 16) for b in range(1, 16) if a != b}, key=sorted)
    blocks = [frozenset(x - 1 for x in b) for b in blocks]
    return resolve(15, blocks, 7)


def hermitian_unital_28() -> Schedule | None:
    """Resolvable 2-(28, 4, 1): the Hermitian unital x^4 + y^4 + z^4 = 0 of PG(2, 9)."""
    F = field_of(9)

    def pw(x: int, e: int) -> int:
        out = 1
        for _ in range(e):
            out = int(F.mul[out, x])
        return out

    points = []
    for v in itertools.product(range(9), repeat=3):
        lead = next((c for c in v if c), 0)
        if lead == 1 and F.add[F.add[pw(v[0], 4), pw(v[1], 4)], pw(v[2], 4)] == 0:
            points.append(v)

    def dot(u: tuple[int, ...], w: tuple[int, ...]) -> int:
        return int(F.add[F.add[F.mul[u[0], w[0]], F.mul[u[1], w[1]]], F.mul[u[2], w[2]]])

    blocks = set()
    for a, b in itertools.combinations(points, 2):
        # The line through a and b has coordinates a x b; keep the unital points on it.
        neg = F.neg
        line = (
            int(F.add[F.mul[a[1], b[2]], neg(int(F.mul[a[2], b[1]]))]),
            int(F.add[F.mul[a[2], b[0]], neg(int(F.mul[a[0], b[2]]))]),
            int(F.add[F.mul[a[0], b[1]], neg(int(F.mul[a[1], b[0]]))]),
        )
        blocks.add(frozenset(i for i, c in enumerate(points) if dot(line, c) == 0))
    return resolve(len(points), sorted(blocks, key=sorted), 9)


def denniston(q: int, n: int) -> Schedule | None:
    """Resolvable 2-((n-1)q+n, n, 1) design of a Denniston maximal arc of degree n in PG(2, q).

    q = 2**m, n = 2**h, 1 < n < q. With x^2 + b x + 1 irreducible over GF(q) and A the
    additive subgroup of GF(q) of the n elements below n (polynomials of degree < h), the
    points (x, y) of AG(2, q) with x^2 + b x y + y^2 in A form a maximal arc: every line
    meets it in 0 or n points (Denniston 1969). The line at infinity misses it, so the
    affine lines of one direction that meet it cut it into g = q - q/n + 1 tables of n:
    each of the q + 1 directions is a round, and two points share exactly one line.
    Points are numbered so that 0..n-1 form a table of the last round only (ghost seats
    there stay apart in the first q rounds). None when the parameters do not apply.
    """
    if prime_power(q) is None or q & (q - 1) or n & (n - 1) or not 1 < n < q:
        return None
    F = field_of(q)
    add, mul = F.add, F.mul
    b = next((b for b in range(1, q) if all(add[add[mul[x, x], mul[b, x]], 1] != 0 for x in range(q))), None)
    if b is None:
        return None
    x, y = (a.ravel() for a in np.meshgrid(np.arange(q), np.arange(q), indexing="ij"))
    inside = add[add[mul[x, x], mul[b, mul[x, y]]], mul[y, y]] < n
    x, y = x[inside], y[inside]
    keys = [x] + [add[y, mul[m, x]] for m in range(q)]  # x = c, then y = m x + c
    # points numbered so that the first table of the last direction comes first
    last = keys[-1]
    first = np.flatnonzero(last == last[0])
    order = np.concatenate([first, np.setdiff1d(np.arange(len(x)), first)])
    label = np.empty(len(x), np.int64)
    label[order] = np.arange(len(x))
    rounds = []
    for key in keys:
        if set(np.bincount(key, minlength=q).tolist()) - {0, n}:
            return None  # not a maximal arc (cannot happen for the parameters above)
        tables = np.sort(label[np.argsort(key, kind="stable")].reshape(-1, n), axis=1)
        rounds.append(tables[np.argsort(tables[:, 0])].tolist())
    return rounds


DENNISTON_MAX_Q = 64  # GF(128) takes 0.4 s to build, GF(256) 2 s: beyond 64 the offsets are used


def denniston_shape(g: int, p: int) -> int | None:
    """q when a Denniston arc of degree p in PG(2, q) seats g tables of p, else None."""
    if p < 4 or p & (p - 1):
        return None
    q = (g - 1) * p // (p - 1)  # g = q - q/p + 1
    if q * (p - 1) != (g - 1) * p or q <= p or q & (q - 1) or q > DENNISTON_MAX_Q:
        return None
    return q


def _candidates(g: int, p: int) -> list[tuple[str, Callable[[], Schedule | None]]]:
    out: list[tuple[str, Callable[[], Schedule | None]]] = []
    if p == 2:
        out.append(("round-robin (circle method)", lambda: round_robin(g)))
    if prime_power(p) is not None:
        k, size = 2, p
        while size < g:
            size *= p
            k += 1
        if size == g:
            out.append((f"lines of AG({k},{p})", lambda: affine_geometry(p, k)))
    if 2 <= p < g and prime_power(g) is not None:
        out.append((f"AG(2,{g}) restricted to {p} columns", lambda: affine_columns(g, p)))
    if p == 3 and g % 6 == 1 and prime_power(g) is not None:
        out.append((f"Kirkman triple system KTS({3 * g})", lambda: kirkman_3q(g)))
    if (g, p) == (5, 3):
        out.append(("Kirkman triple system KTS(15) from PG(3,2)", kirkman_15))
    if (g, p) == (7, 4):
        out.append(("resolvable 2-(28,4,1) design (Hermitian unital)", hermitian_unital_28))
    q = denniston_shape(g, p)
    if q is not None:
        out.append((f"Denniston maximal arc of degree {p} in PG(2,{q})", lambda: denniston(q, p)))
    return out


def construct(g: int, p: int, w: int) -> tuple[str, Schedule] | None:
    """``(name, schedule)`` with ``w`` zero-repeat rounds of g tables of p, or None."""
    if g < 1 or p < 1 or w < 1:
        return None
    if p == 1 or w == 1:
        return ("any partition", [[[t * p + i for i in range(p)] for t in range(g)]] * w)
    for name, build in _candidates(g, p):
        schedule = build()
        if schedule is not None and len(schedule) >= w:
            return name, [[list(t) for t in rnd] for rnd in schedule[:w]]
    return None


def max_constructed_rounds(g: int, p: int) -> int:
    """Most rounds any construction here gives for g tables of p (0 when none applies)."""
    best = 0
    for _, build in _candidates(g, p):
        schedule = build()
        if schedule is not None:
            best = max(best, len(schedule))
    return best
