"""``solve``: constructions when they apply, else greedy seating plus tabu search.

Pseudocode (see docs/algorithms/rotations.md)::

    limit <- seconds, else the MaxRuntime in stop (its clock starts now)
    bound <- known bound on repeats (counting, pigeonhole, non-existence results)
    plan <- constructions within half the limit (algebraic; offsets over Z_g and rounds
            invariant under a subgroup, searched): all rounds, or the first ones
    if the construction covers every round without repeats and no soft terms: return plan
    at most two rounds left: seated by the one-round search (construction phase);
    else greedy seating of the rounds not covered, cheapest open table first
    repeat until stop, the limit or cost = lower bound:
        tabu search batch (swap two people of one round, best admissible swap;
                           a shorter batch near the limit)
    return best plan, recounted
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..stop import MaxRuntime, MultipleCriteria, StoppingCriterion
from . import kernels as K
from .bounds import problem_bound
from .gains import build_gains
from .problem import RotationProblem
from .result import RotationResult, evaluate
from .seeding import construction_seed, greedy, place
from .tabu import tabu_search


@dataclass(frozen=True)
class SearchParams:
    """Tuning of the tabu search (defaults suit 10 to 300 participants)."""

    batch: int = 200  # iterations between two calls of the stopping criterion
    budget: int = 60000  # swap evaluations per iteration, bounds the candidates sampled
    tenure_min: int = 4
    tenure_max: int = 20
    max_stable: int = 3000  # iterations without improvement before a kick
    kicks: int = 6  # random swaps applied to the best plan at a kick
    constructions: bool = True  # False: greedy seating and tabu search only
    construction_share: float = 0.5  # of the time limit, for the offset search at most

    def __post_init__(self) -> None:
        if min(self.batch, self.budget, self.tenure_min, self.max_stable) < 1:
            raise ValueError("search parameters must be positive.")
        if self.tenure_max < self.tenure_min:
            raise ValueError("tenure_max must be at least tenure_min.")


@dataclass
class _State:
    """Arrays shared with the kernels."""

    tab: np.ndarray
    n_tables: np.ndarray
    target: np.ndarray
    big: np.ndarray
    present: np.ndarray
    movable: np.ndarray
    base_meet: np.ndarray
    wish: np.ndarray
    pen: np.ndarray
    wptr: np.ndarray
    wadj: np.ndarray
    w_rep: float
    w_bal: float


def _state(problem: RotationProblem) -> _State:
    n, R = problem.n, problem.rounds
    sizes = [problem.sizes(r) for r in range(R)]
    T = max(len(s) for s in sizes)
    target = np.zeros((R, T), np.int64)
    big = np.zeros((R, T), np.int64)
    for r, s in enumerate(sizes):
        target[r, : len(s)] = s
        big[r, : len(s)] = [1 if x == max(s) else 0 for x in s]
    present = np.zeros((R, n), np.bool_)
    for r in range(R):
        present[r, problem.present(r)] = True
    tab = np.full((R, n), -1, np.int64)
    movable = present.copy()
    for x, t in problem.fixed_seats.items():
        i = problem.index(x)
        tab[present[:, i], i] = t
        movable[:, i] = False
    w = problem.weights
    return _State(
        tab, np.array([len(s) for s in sizes], np.int64), target, big, present, movable,
        _history_meet(problem), *_pair_terms(problem), w.repeat, w.balance,
    )


def _history_meet(problem: RotationProblem) -> np.ndarray:
    meet = np.zeros((problem.n, problem.n), np.int64)
    index = problem._index  # type: ignore[attr-defined]
    for rnd in problem.history:
        for table in rnd:
            idx = [index[x] for x in table if x in index]
            for a in idx:
                for b in idx:
                    if a != b:
                        meet[a, b] += 1
    return meet


def _pair_terms(problem: RotationProblem) -> tuple[np.ndarray, ...]:
    n, w = problem.n, problem.weights
    wish = np.zeros((n, n))
    partners: list[list[int]] = [[] for _ in range(n)]
    for a, b, weight in problem.wishes:
        i, j = problem.index(a), problem.index(b)
        wish[i, j] = wish[j, i] = w.wish * weight
        partners[i].append(j)
        partners[j].append(i)
    pen = np.zeros((n, n))
    for a, b in problem.conflicts:
        i, j = problem.index(a), problem.index(b)
        pen[i, j] = pen[j, i] = w.conflict
    if problem.attributes and w.mix > 0:
        attrs = [set(problem.attributes.get(x, ())) for x in problem.participants]
        for i in range(n):
            for j in range(i + 1, n):
                shared = len(attrs[i] & attrs[j])
                if shared:
                    pen[i, j] += w.mix * shared
                    pen[j, i] += w.mix * shared
    wptr = np.zeros(n + 1, np.int64)
    wptr[1:] = np.cumsum([len(p) for p in partners])
    wadj = np.array([j for p in partners for j in p], np.int64)
    return wish, pen, wptr, wadj


def _lower_bound(problem: RotationProblem, s: _State, min_repeats: int) -> float:
    """Cost no plan can beat: forced repeats, every wish met, short seats spread evenly."""
    total_short = int(sum(s.target[r, t] for r in range(problem.rounds)
                          for t in range(s.n_tables[r]) if not s.big[r, t]))
    q, rem = divmod(total_short, problem.n)
    balance = s.w_bal * (rem * (q + 1) ** 2 + (problem.n - rem) * q * q)
    return s.w_rep * min_repeats + balance - float(np.triu(s.wish, 1).sum())


def _initial(problem: RotationProblem, s: _State, seed: int, use: bool, deadline: float | None
             ) -> tuple[str, bool]:
    """Fill ``s.tab``; return (method, complete construction)."""
    name, schedule, ghosts, complete = (construction_seed(problem, seed, deadline) if use
                                        else ("", [], 0, False))
    todo = np.ones(problem.rounds, np.bool_)
    if schedule:
        place(problem, s.tab, schedule, ghosts, seed)
        todo[: len(schedule)] = False
    if todo.any():
        greedy(s, s.tab, todo, seed)
        name = f"{name} ({len(schedule)} rounds) + greedy seating" if schedule else "greedy seating"
    return name, complete


def _seed_state(seed: int, stream: int) -> int:
    x = (seed * 0x9E3779B97F4A7C15 + stream * 0xBF58476D1CE4E5B9 + 1) % 2**64
    return x or 1


def time_limit(stop: StoppingCriterion) -> float | None:
    """Seconds left on the clocks of ``stop`` (started now if not yet), None without one."""
    if isinstance(stop, MaxRuntime):
        stop(0.0)  # starts its clock: the construction phase counts
        return stop.remaining()
    if isinstance(stop, MultipleCriteria):
        limits = [x for x in map(time_limit, stop.criteria) if x is not None]
        return min(limits) if limits else None
    return None


def solve(
    problem: RotationProblem,
    *,
    seed: int,
    stop: StoppingCriterion,
    params: SearchParams | None = None,
    seconds: float | None = None,
) -> RotationResult:
    """Plan the rounds of ``problem``; same seed and iteration-based stop, same plan.

    ``stop`` is called with the best objective (minus the cost) every ``params.batch``
    iterations of the tabu search; the search also ends at a provably optimal cost.
    The time limit (``seconds``, else the ``MaxRuntime`` inside ``stop``) also bounds the
    construction phase, which gets at most ``params.construction_share`` of it.
    """
    start = time.perf_counter()
    params = params or SearchParams()
    limit = time_limit(stop)
    if seconds is not None:
        limit = seconds if limit is None else min(limit, seconds)
    deadline = None if limit is None else start + params.construction_share * limit
    bound = problem_bound(problem)
    s = _state(problem)
    method, complete = _initial(problem, s, seed, params.constructions, deadline)
    if complete and not problem.has_soft_terms():
        return _result(problem, s.tab, bound, method, seed, start, 0, time.perf_counter() - start)
    # the search ends early enough for the result to be recounted within the limit
    end = None if limit is None else start + limit - min(0.1 * limit, 0.1 + 2e-5 * problem.n * problem.rounds)
    best_tab, iterations, t_zero = _search(problem, s, bound.min_repeats, seed, stop, params, start, end)
    if iterations:
        method += " + tabu search"
    return _result(problem, best_tab, bound, method, seed, start, iterations, t_zero)


def _search(problem, s, min_repeats, seed, stop, params, start, end):
    R, n = s.tab.shape
    T, S = s.target.shape[1], int(s.target.max())
    members = np.zeros((R, T, S), np.int64)
    size = np.zeros((R, T), np.int64)
    pos = np.zeros((R, n), np.int64)
    meet = np.zeros((n, n), np.int64)
    short = np.zeros(n, np.int64)
    K.rebuild(s.tab, s.n_tables, s.base_meet, s.big, members, size, pos, meet, short)
    cost = K.total_cost(meet, s.base_meet, s.wish, s.pen, s.w_rep, short, s.w_bal)
    reps = int(np.triu(np.maximum(meet - 1, 0), 1).sum())
    fstate = np.array([cost, cost, _lower_bound(problem, s, min_repeats)])
    istate = np.array([0, 0, reps, reps, 0], np.int64)
    budget = max(1, params.budget // max(1, n * S))
    kparams = np.array([params.batch, budget, params.tenure_min, params.tenure_max,
                        params.max_stable, params.kicks], np.int64)
    tabu = np.zeros((R, n, T), np.int64)
    rng = np.array([_seed_state(seed, 2)], np.uint64)
    best_tab = s.tab.copy()
    join = np.zeros((R, n, T))
    leave = np.zeros((R, n))
    build_gains(s.tab, s.n_tables, members, size, meet, s.wish, s.pen, s.w_rep, join, leave)
    iterations, t_zero = 0, (time.perf_counter() - start if reps == 0 else None)
    t_search = time.perf_counter()
    while fstate[1] > fstate[2] + K.EPS and not stop(-fstate[1]) and (end is None or time.perf_counter() < end):
        if end is not None:  # a shorter batch when the time left is short: the limit is kept
            kparams[0] = _batch(params.batch, iterations, time.perf_counter() - t_search, end)
        tabu_search(s.tab, s.n_tables, members, size, pos, meet, s.base_meet, short, s.big,
                    s.movable, s.wish, s.pen, s.w_rep, s.w_bal, s.wptr, s.wadj, tabu, rng,
                    best_tab, fstate, istate, kparams, join, leave)
        iterations += int(istate[4])
        if t_zero is None and istate[3] == 0:
            t_zero = time.perf_counter() - start
    return best_tab, iterations, t_zero


def _batch(batch: int, done: int, elapsed: float, end: float) -> int:
    """Iterations for the next batch: at most a quarter of the time left at the pace so far."""
    if done == 0 or elapsed <= 0:
        return min(batch, 20)
    left = end - time.perf_counter()
    return max(1, min(batch, int(0.25 * left * done / elapsed)))


def _result(problem, tab, bound, method, seed, start, iterations, t_zero) -> RotationResult:
    rounds_idx = [
        [[int(i) for i in np.flatnonzero(tab[r] == t)] for t in range(len(problem.sizes(r)))]
        for r in range(problem.rounds)
    ]
    ev = evaluate(problem, rounds_idx)
    ids = problem.participants
    possible = True if ev.repeats == 0 else bound.possible
    if ev.repeats == 0:
        message = "No pair meets twice."
    elif bound.possible is False:
        message = (f"Zero repeats is impossible ({bound.explanation}); "
                   f"this plan has {ev.repeats} repeated meetings (at least {bound.min_repeats} are unavoidable).")
    else:
        message = f"No repeat-free plan found in the time given; {ev.repeats} repeated meetings."
    return RotationResult(
        rounds=[[[ids[i] for i in table] for table in rnd] for rnd in rounds_idx],
        indices=rounds_idx, repeats=ev.repeats, min_repeats=bound.min_repeats,
        wished_met=ev.wished_met, wished_total=len(problem.wishes),
        wished_weight_met=ev.wished_weight_met,
        wished_weight_total=float(sum(w for _, _, w in problem.wishes)),
        conflicts_together=ev.conflicts_together, mixing_pairs=ev.mixing_pairs,
        met={ids[i]: m for i, m in enumerate(ev.met)}, zero_repeat_possible=possible,
        bound=bound.explanation, message=message, method=method, seed=seed,
        runtime=time.perf_counter() - start, iterations=iterations,
        time_to_zero_repeats=t_zero if ev.repeats == 0 else None, first_round=len(problem.history),
    )
