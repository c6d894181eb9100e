"""The iterated tabu search on one weight matrix (a whole problem or one geographic zone)."""

from __future__ import annotations

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

    def __post_init__(self) -> None:
        if self.depth <= 0 or self.min_depth < 1 or self.tenure < 0 or self.tenure_rand < 0:
            raise GroupingInputError("Search depth must be positive and tenures non-negative.")
        if not 0 < self.strength <= 1 or self.zone_groups < 0 or self.zone_threshold < 1:
            raise GroupingInputError("Search strength must be in (0, 1]; zone sizes >= 0.")
        if self.restart < 0 or not 0 <= self.kick <= 1 or not 0 <= self.fresh <= 1 or not 0 <= self.extreme <= 1:
            raise GroupingInputError("Restart must be >= 0; kick, fresh and extreme in [0, 1].")


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
    ) -> None:
        self.w = np.ascontiguousarray(w, dtype=np.float64)
        self.lo = np.ascontiguousarray(bounds[:, 0], dtype=np.int64)
        self.hi = np.ascontiguousarray(bounds[:, 1], dtype=np.int64)
        self.locked = np.ascontiguousarray(locked, dtype=np.int64)
        self.movable = self.locked < 0
        self.tagm = np.ascontiguousarray(tagm, dtype=np.float64)
        self.share = np.ascontiguousarray(share, dtype=np.float64)
        self.wbal = float(wbal)
        self.cpairs = np.zeros((0, 2), dtype=np.int64) if cpairs is None else np.asarray(cpairs, dtype=np.int64)
        normal = np.ones_like(self.w, dtype=bool)
        normal[self.cpairs[:, 0], self.cpairs[:, 1]] = normal[self.cpairs[:, 1], self.cpairs[:, 0]] = False
        self.wmin = float(min(0.0, self.w[normal].min())) if self.w.size else 0.0
        n, g = self.w.shape[0], self.lo.shape[0]
        self.depth = max(params.min_depth, int(params.depth * n))
        self.tenure = params.tenure
        self.tenure_rand = int(params.tenure_rand * n / g)
        self.strength = max(2, int(params.strength * n))
        self.tabu = np.zeros((n, g), dtype=np.int64)
        self.it = 0
        self.rounds = 0
        self.restart = params.restart
        self.extreme = params.extreme
        self.jitter = params.jitter
        self.kick = params.kick
        self.fresh = params.fresh
        self.best_f = -np.inf
        self._start()

    def _start(self) -> None:
        n, g = self.w.shape[0], self.lo.shape[0]
        from_best = self.best_f > -np.inf and self.kick > 0 and kernels.uniform() >= self.fresh
        if from_best:
            self.assign = self.best.copy()  # strong perturbation of the best solution
        else:
            extreme = self.extreme > 0 and kernels.uniform() < self.extreme
            jitter = 0.0 if self.best_f == -np.inf else self.jitter
            self.assign = kernels.random_assignment(n, self.lo, self.hi, self.locked, extreme, jitter)
        self.gain, self.size, self.cnt = kernels.build_state(self.w, self.assign, g, self.tagm)
        f = kernels.score(self.w, self.assign, self.size, self.cnt, self.share, self.wbal)
        if from_best:
            f += kernels.perturb(
                max(2, int(self.kick * n)),
                self.w,
                self.lo,
                self.hi,
                self.movable,
                self.assign,
                self.gain,
                self.size,
                self.cnt,
                self.tagm,
                self.share,
                self.wbal,
            )
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
            f,
            self.depth,
            self.tenure,
            self.tenure_rand,
            self.it,
            self.w,
            self.lo,
            self.hi,
            self.movable,
            self.assign,
            self.gain,
            self.size,
            self.cnt,
            self.tagm,
            self.share,
            self.wbal,
            self.tabu,
            self.scratch,
            self.wmin,
            self.cpairs,
        )
        return f

    def step(self) -> float:
        """One perturbation + tabu phase; returns the best objective so far."""
        self.f, self.cur_f, self.it = kernels.its_round(
            self.f,
            self.cur_f,
            self.strength,
            self.depth,
            self.tenure,
            self.tenure_rand,
            self.it,
            self.w,
            self.lo,
            self.hi,
            self.movable,
            self.assign,
            self.gain,
            self.size,
            self.cnt,
            self.tagm,
            self.share,
            self.wbal,
            self.tabu,
            self.cur,
            self.scratch,
            self.wmin,
            self.cpairs,
        )
        self.rounds += 1
        self.stall += 1
        if self.f > self.run_f + kernels.EPS:
            self.run_f, self.stall = self.f, 0
        if self.f > self.best_f + kernels.EPS:
            self.best_f = self.f
            self.best[:] = self.assign
        if self.restart and self.stall >= self.restart:
            self._start()
        return self.best_f
