"""The iterated tabu search on one weight matrix (a whole problem or one geographic zone)."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from meute.matching.grouping import kernels
from meute.matching.grouping.errors import GroupingInputError


@dataclass(frozen=True)
class SearchParams:
    """Tuning of the iterated tabu search (defaults tuned on MDGPLIB, see the docs).

    * ``depth``: tabu steps without improvement before a tabu phase ends, as a multiple of
      ``n`` (at least ``min_depth``);
    * ``tenure``/``tenure_rand``: an element may not return to a group it left for
      ``tenure + U(0, tenure_rand)`` steps (``tenure_rand`` as a fraction of ``n / G``);
    * ``strength``: random swaps/moves per perturbation, as a fraction of ``n``;
    * ``restart``: rounds without improving the current start's best before a restart
      (0: never); a restart is a fresh start with probability ``fresh``, otherwise a kick of
      ``kick * n`` random swaps/moves applied to the best solution so far;
    * ``extreme``: probability that a (re)start fills groups one by one to their upper
      bound instead of spreading the spare elements at random (matters with unequal bounds);
      groups with the largest ``lo + hi`` first, plus ``jitter * U(0, 1)`` after the first start;
    * ``population``: groupings kept for crossover (:class:`MemeticSearch`; 0 or 1: a
      single iterated tabu search that restarts on its own); a trajectory then ends after
      ``restart`` rounds without improvement;
    * ``fixed_sizes``: search with every group at the size vector with the most pairs
      (``None``: when no weight is negative);
    * ``zone_groups``: large located instances are split into geographic zones of about
      this many groups (0 disables zoning); ``zone_threshold``: minimal ``n`` for zoning.
    """

    depth: float = 1.0
    min_depth: int = 50
    tenure: int = 10
    tenure_rand: float = 1.0
    strength: float = 0.05
    restart: int = 10
    extreme: float = 1.0
    jitter: float = 3.0
    kick: float = 0.3
    fresh: float = 0.5
    zone_groups: int = 24
    zone_threshold: int = 700
    population: int = 8
    fixed_sizes: bool | None = None

    def __post_init__(self) -> None:
        if self.depth <= 0 or self.min_depth < 1 or self.tenure < 0 or self.tenure_rand < 0:
            raise GroupingInputError("Search depth must be positive and tenures non-negative.")
        if not 0 < self.strength <= 1 or self.zone_groups < 0 or self.zone_threshold < 1:
            raise GroupingInputError("Search strength must be in (0, 1]; zone sizes >= 0.")
        if self.restart < 0 or not 0 <= self.kick <= 1 or not 0 <= self.fresh <= 1 or not 0 <= self.extreme <= 1:
            raise GroupingInputError("Restart must be >= 0; kick, fresh and extreme in [0, 1].")
        if self.population < 0:
            raise GroupingInputError("The population size must be >= 0.")


def lowest_weight(w: np.ndarray, cpairs: np.ndarray) -> float:
    """The smallest weight outside the conflict pairs, or 0 if none is negative."""
    normal = np.ones_like(w, dtype=bool)
    normal[cpairs[:, 0], cpairs[:, 1]] = normal[cpairs[:, 1], cpairs[:, 0]] = False
    return float(min(0.0, w[normal].min())) if w.size else 0.0


class TabuSearch:
    """State and loop of the iterated tabu search for one weight matrix ``w``."""

    def __init__(
        self,
        w: np.ndarray,
        bounds: np.ndarray,
        locked: np.ndarray,
        tagm: np.ndarray,
        share: np.ndarray,
        wbal: float,
        params: SearchParams,
        cpairs: np.ndarray | None = None,
        start: np.ndarray | None = None,
        wmin: float | None = None,
        deadline: float = math.inf,
        first_depth: int | None = None,
    ) -> None:
        self.deadline = float(deadline)  # time.perf_counter() value: every tabu phase ends by then
        self.w = np.ascontiguousarray(w, dtype=np.float64)
        self.lo = np.ascontiguousarray(bounds[:, 0], dtype=np.int64)
        self.hi = np.ascontiguousarray(bounds[:, 1], dtype=np.int64)
        self.locked = np.ascontiguousarray(locked, dtype=np.int64)
        self.movable = self.locked < 0
        self.tagm = np.ascontiguousarray(tagm, dtype=np.float64)
        self.share = np.ascontiguousarray(share, dtype=np.float64)
        self.wbal = float(wbal)
        self.cpairs = np.zeros((0, 2), dtype=np.int64) if cpairs is None else np.asarray(cpairs, dtype=np.int64)
        self.wmin = lowest_weight(self.w, self.cpairs) if wmin is None else float(wmin)
        n, g = self.w.shape[0], self.lo.shape[0]
        self.depth = max(params.min_depth, int(params.depth * n))
        self.tenure = params.tenure
        self.tenure_rand = int(params.tenure_rand * n / g)
        self.strength = max(2, int(params.strength * n))
        self.tabu = np.zeros((n, g), dtype=np.int64)
        self.it = 0
        self.restart = params.restart
        self.extreme = params.extreme
        self.jitter = params.jitter
        self.kick = params.kick
        self.fresh = params.fresh
        self.best_f = -np.inf
        depth, self.depth = self.depth, first_depth or self.depth  # a shorter first descent, if asked
        if start is None:
            self.new_trajectory()
        else:
            self.load(start)
        self.depth = depth

    def new_trajectory(self, fresh: bool = False, sizes: np.ndarray | None = None) -> None:
        """A new trajectory: a kick from the best grouping or (always with ``fresh``) a new
        start, whose groups get ``sizes`` members if given."""
        n = self.w.shape[0]
        from_best = not fresh and self.best_f > -np.inf and self.kick > 0 and kernels.uniform() >= self.fresh
        if from_best:
            self.load(self.best, kick=max(2, int(self.kick * n)))  # strong perturbation of the best
        else:
            extreme = self.extreme > 0 and kernels.uniform() < self.extreme
            jitter = 0.0 if self.best_f == -np.inf else self.jitter
            lo, hi = (self.lo, self.hi) if sizes is None else (sizes, sizes)
            self.load(kernels.random_assignment(n, lo, hi, self.locked, extreme, jitter))

    def load(self, assign: np.ndarray, kick: int = 0) -> None:
        """Start a new trajectory from ``assign`` (after ``kick`` random swaps/moves) with a tabu phase."""
        g = self.lo.shape[0]
        self.assign = assign.copy()
        self.gain, self.size, self.cnt = kernels.build_state(self.w, self.assign, g, self.tagm)
        f = kernels.score(self.w, self.assign, self.size, self.cnt, self.share, self.wbal)
        if kick:
            f += kernels.perturb(kick, *self._state())
        self.scratch = self.assign.copy()
        self.f = self._tabu(f)
        self.cur_f = self.run_f = self.f
        self.cur = self.assign.copy()
        self.stall = 0
        if self.f > self.best_f + kernels.EPS:
            self.best_f = self.f
            self.best = self.assign.copy()

    def _tabu(self, f: float) -> float:
        f, self.it = kernels.tabu_search(
            f, self.depth, self.tenure, self.tenure_rand, self.it, *self._state(),
            self.tabu, self.scratch, self.wmin, self.cpairs, self.deadline,
        )  # fmt: skip
        return f

    def _state(self) -> tuple:
        """The arguments every kernel takes, in their order: weights, bounds, solution state."""
        return (self.w, self.lo, self.hi, self.movable, self.assign, self.gain, self.size, self.cnt,
                self.tagm, self.share, self.wbal)  # fmt: skip

    def step(self) -> float:
        """One perturbation + tabu phase; returns the best objective so far."""
        self.f, self.cur_f, self.it = kernels.its_round(
            self.f, self.cur_f, self.strength, self.depth, self.tenure, self.tenure_rand, self.it, *self._state(),
            self.tabu, self.cur, self.scratch, self.wmin, self.cpairs, self.deadline,
        )  # fmt: skip
        self.stall += 1
        if self.f > self.run_f + kernels.EPS:
            self.run_f, self.stall = self.f, 0
        if self.f > self.best_f + kernels.EPS:
            self.best_f = self.f
            self.best[:] = self.assign
        if self.restart and self.stall >= self.restart:
            self.new_trajectory()
        return self.best_f


class MemeticSearch:
    """A population of iterated-tabu trajectories recombined by crossover.

    The first ``population`` trajectories start at random; every later one starts from a
    crossover of two members of the population (:func:`kernels.crossover`). A trajectory
    ends after ``restart`` rounds without improving its own best; its best then competes
    for a place in the population (it replaces the worst member if it is better and not a
    copy of a member). Same interface as :class:`TabuSearch`: ``step()``, ``best``, ``best_f``.
    """

    def __init__(
        self,
        w: np.ndarray,
        bounds: np.ndarray,
        locked: np.ndarray,
        tagm: np.ndarray,
        share: np.ndarray,
        wbal: float,
        params: SearchParams,
        cpairs: np.ndarray | None = None,
        wmin: float | None = None,
        deadline: float = math.inf,
        first_depth: int | None = None,
    ) -> None:
        self.deadline = float(deadline)
        self.capacity = params.population
        self.stall_limit = max(1, params.restart)
        params = dataclasses.replace(params, restart=0)
        bounds = np.asarray(bounds, dtype=np.int64)
        lo = np.maximum(bounds[:, 0], np.bincount(locked[locked >= 0], minlength=len(bounds)))
        sizes = kernels.pair_sizes(len(locked), lo, bounds[:, 1].copy())
        self.sizes = sizes
        target = np.column_stack([sizes, sizes])
        fixed = params.fixed_sizes
        if fixed is None:  # more pairs can only help when no weight is negative
            pairs = np.zeros((0, 2), dtype=np.int64) if cpairs is None else np.asarray(cpairs, dtype=np.int64)
            fixed = (lowest_weight(np.asarray(w, dtype=np.float64), pairs) if wmin is None else wmin) >= 0.0
        self.ts = TabuSearch(w, target if fixed else bounds, locked, tagm, share, wbal, params, cpairs, wmin=wmin,
                             deadline=deadline, first_depth=first_depth)
        self.free: TabuSearch | None = None
        self._free_args = None
        self._wmin = wmin
        if fixed and not np.array_equal(target, bounds):
            self._free_args = (w, bounds, locked, tagm, share, wbal, params, cpairs)
        self.pool: list[tuple[float, np.ndarray]] = []

    @property
    def best(self) -> np.ndarray:
        if self.free is not None and self.free.best_f > self.ts.best_f:
            return self.free.best
        return self.ts.best

    @property
    def best_f(self) -> float:
        return max(self.ts.best_f, -np.inf if self.free is None else self.free.best_f)

    def step(self) -> float:
        ts = self.ts
        before = ts.best_f
        ts.step()
        if ts.stall >= self.stall_limit:
            self._offer(ts.cur_f, ts.cur.copy())
            if len(self.pool) < self.capacity:
                ts.new_trajectory(fresh=True, sizes=self.sizes)
            else:
                a, b = self._parents()
                ts.load(kernels.crossover(a, b, ts.w, self.sizes, ts.locked))
        if self._free_args is not None and len(self.pool) == self.capacity and ts.best_f > before + kernels.EPS:
            self._polish(ts.best)
        return self.best_f

    def _polish(self, assign: np.ndarray) -> None:
        """A tabu phase on the real bounds (moves allowed) from ``assign``: sizes may leave
        the pair-maximising vector when the weights favour it."""
        if self.free is None:
            self.free = TabuSearch(*self._free_args, start=assign, wmin=self._wmin, deadline=self.deadline)
        else:
            self.free.load(assign)

    def _parents(self) -> tuple[np.ndarray, np.ndarray]:
        k = len(self.pool)
        i = int(kernels.uniform() * k)
        j = (i + 1 + int(kernels.uniform() * (k - 1))) % k
        return self.pool[i][1], self.pool[j][1]

    def _offer(self, f: float, assign: np.ndarray) -> None:
        if any(abs(f - g) <= kernels.EPS * max(1.0, abs(f)) for g, _ in self.pool):
            return
        if len(self.pool) < self.capacity:
            self.pool.append((f, assign))
            return
        worst = min(range(len(self.pool)), key=lambda k: self.pool[k][0])
        if f > self.pool[worst][0]:
            self.pool[worst] = (f, assign)


_loaded = False


def load_kernels() -> None:
    """Load (or compile) the search's kernels once per process, on a tiny problem: the first
    call of each kernel then happens here, early in a time budget, not after its deadline."""
    global _loaded
    if _loaded:
        return
    d = np.random.default_rng(0).uniform(0.0, 1.0, (24, 24))
    w = d + d.T
    np.fill_diagonal(w, 0.0)
    bounds = np.array([[5, 7]] * 4)
    for params in (SearchParams(population=0, min_depth=1, restart=1, fresh=0.0),  # kicks from the best
                   SearchParams(population=2, min_depth=1, restart=1)):
        search = (TabuSearch if params.population < 2 else MemeticSearch)(
            w, bounds, np.full(24, -1), np.zeros((24, 0)), np.zeros(0), 0.0, params)
        for _ in range(30):  # enough for the population to fill and a crossover to run
            search.step()
    _loaded = True
