"""When zero repeats is impossible, and how many repeats at least.

Only mathematical facts are used (no schedules): the counting bound, the pigeonhole
argument for more seats per table than tables, and published non-existence results:
the maxima T(4,3) = 4, T(5,4) = 5, T(6,5) = 6 and T(6,6) = 3 (OEIS A107431; 6-6-4 would
need two orthogonal Latin squares of order 6), T(10,10) <= 9 and the Bruck-Ryser theorem
for q-q-q.

q tables of q over w rounds without a repeat are w - 2 mutually orthogonal Latin squares
of order q (rounds 1 and 2 are the rows and columns of a grid, every later round a Latin
square orthogonal to the others). A set of q - 2 of them always completes to q - 1 (a net
of deficiency one: the pairs that never meet form the missing parallel class), i.e. to an
affine plane of order q. So q-q-q is impossible whenever the affine plane is: for q = 10
(no projective plane of order 10, Lam et al. 1989) and when Bruck-Ryser rules it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import comb, isqrt

from .problem import RotationProblem

KNOWN_MAX_ROUNDS = {
    (4, 3): (4, "no resolvable design exists: T(4,3) = 4 (OEIS A107431)"),
    (5, 4): (5, "T(5,4) = 5 (OEIS A107431)"),
    (6, 5): (6, "T(6,5) = 6 (OEIS A107431)"),
    (6, 6): (3, "6-6-4 needs two orthogonal Latin squares of order 6, which do not exist (Tarry 1900)"),
    (10, 10): (9, "10-10-10 needs 8 mutually orthogonal Latin squares of order 10, which would complete to 9 "
                  "(a set of n - 2 always does) and so to a projective plane of order 10, which does not exist "
                  "(Lam et al. 1989)"),
}


@dataclass(frozen=True)
class Bound:
    """Verdict on zero repeats: ``possible`` is False (proven impossible) or None (no proof)."""

    possible: bool | None
    explanation: str
    min_repeats: int
    # Which argument decided, and its numbers, so that an interface can word it in its own
    # language: "pigeonhole" (seats, tables), "counting" (new, others, rounds), "known" and
    # "affine_plane" (tables, seats, rounds), "person" (needed, left), "pairs" (floor); "" when nothing is proven.
    reason: str = ""
    values: dict[str, int] = field(default_factory=dict)


def _sum_two_squares(n: int) -> bool:
    return any(isqrt(n - a * a) ** 2 == n - a * a for a in range(isqrt(n) + 1))


def uniform_bound(g: int, p: int, w: int) -> Bound:
    """Bound for g tables of p for w rounds, everyone present."""
    n = g * p
    pairs_needed = w * g * comb(p, 2) - comb(n, 2)
    floor_repeats = max(0, pairs_needed)
    if p >= 2 and w >= 2 and p > g:
        spread = [p // g + (1 if t < p % g else 0) for t in range(g)]
        pigeon = g * sum(comb(c, 2) for c in spread) if w == 2 else 1
        return Bound(False, (
            f"{p} seats per table but only {g} tables: in round 2 two people of the same "
            f"round-1 table must sit together again, so at most 1 round is repeat-free"
        ), max(floor_repeats, pigeon, 1), "pigeonhole", {"seats": p, "tables": g})
    if p >= 2 and w > (n - 1) // (p - 1):
        return Bound(False, (
            f"counting bound: each round a person meets {p - 1} new people, and only {n - 1} "
            f"others exist, so at most {(n - 1) // (p - 1)} rounds are repeat-free"
        ), max(floor_repeats, 1), "counting", {"new": p - 1, "others": n - 1, "rounds": (n - 1) // (p - 1)})
    known = KNOWN_MAX_ROUNDS.get((g, p))
    if known and w > known[0]:
        return Bound(False, f"{known[1]}: at most {known[0]} rounds are repeat-free", 1, "known",
                     {"tables": g, "seats": p, "rounds": known[0]})
    if g == p and w >= g and g % 4 in (1, 2) and not _sum_two_squares(g):
        return Bound(False, (
            f"{g}-{g}-{g} is {g - 2} mutually orthogonal Latin squares of order {g}, which would complete to "
            f"an affine plane of order {g}, ruled out by the Bruck-Ryser theorem"
        ), 1, "affine_plane", {"tables": g, "seats": p, "rounds": g - 1})
    return Bound(None, "no known bound rules out zero repeats", floor_repeats)


def counting_repeats(problem: RotationProblem) -> int:
    """Fewest repeats any plan has, by counting (history included).

    * all pairs: the plan seats ``M`` meetings (sum of C(size, 2) over tables and rounds,
      plus the history's), and only C(n, 2) pairs exist, so at least ``M - C(n, 2)``
      meetings repeat one;
    * per person: i meets at least ``m_i`` people in total (the history's tablemates plus
      the smallest table of each round i attends, minus one), but only n - 1 distinct
      ones, so i has at least ``m_i - (n - 1)`` repeated meetings; each repeat involves two
      people, so at least half their sum repeat.
    """
    n = problem.n
    index = problem._index  # type: ignore[attr-defined]
    met = [0] * n
    total = 0
    for rnd in problem.history:
        for table in rnd:
            idx = [index[x] for x in table if x in index]
            total += comb(len(idx), 2)
            for i in idx:
                met[i] += len(idx) - 1
    for r in range(problem.rounds):
        sizes = problem.sizes(r)
        total += sum(comb(x, 2) for x in sizes)
        for i in problem.present(r):
            met[i] += min(sizes) - 1
    excess = sum(max(0, m - (n - 1)) for m in met)
    return max(0, total - comb(n, 2), -(-excess // 2))


def problem_bound(problem: RotationProblem) -> Bound:
    """Bound for any problem: the uniform results, else a per-person counting argument."""
    if problem.is_uniform():
        p = problem.table_size
        assert isinstance(p, int)
        return uniform_bound(problem.n // p, p, problem.rounds)
    floor = counting_repeats(problem)
    met_before = [0] * problem.n
    for rnd in problem.history:
        for table in rnd:
            idx = [problem._index[x] for x in table if x in problem._index]  # type: ignore[attr-defined]
            for i in idx:
                met_before[i] += len(idx) - 1
    needed = [0] * problem.n
    for r in range(problem.rounds):
        smallest = min(problem.sizes(r))
        for i in problem.present(r):
            needed[i] += smallest - 1
    for i in range(problem.n):
        if needed[i] + met_before[i] > problem.n - 1:
            who = problem.participants[i]
            return Bound(False, (
                f"counting bound: {who!r} must meet at least {needed[i]} people in the rounds "
                f"planned, but only {problem.n - 1 - met_before[i]} are left to meet"
            ), max(1, floor), "person", {"needed": needed[i], "left": problem.n - 1 - met_before[i]})
    if floor > 0:
        return Bound(False, (
            f"counting bound: the tables seat more meetings than there are pairs, so at least "
            f"{floor} meetings repeat"), floor, "pairs", {"floor": floor})
    return Bound(None, "no known bound rules out zero repeats", 0)
