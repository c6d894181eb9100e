"""Stopping criteria shared by the optimisers.

A criterion is a callable ``stop(best_objective) -> bool`` that the search calls once per
iteration (or per batch of iterations); it returns True when the search must end. The
design follows PyVRP's ``pyvrp.stop``: criteria are small objects, combined with
:class:`MultipleCriteria`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Protocol


class StoppingCriterion(Protocol):
    def __call__(self, best_objective: float) -> bool: ...


@dataclass
class MaxRuntime:
    """Stop once ``seconds`` of wall-clock time have passed since the first call."""

    seconds: float
    _start: float | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.seconds < 0:
            raise ValueError("MaxRuntime needs a non-negative number of seconds.")

    def __call__(self, best_objective: float) -> bool:
        if self._start is None:
            self._start = time.perf_counter()
        return time.perf_counter() - self._start >= self.seconds

    def deadline(self) -> float:
        """The ``time.perf_counter()`` value at which the budget ends (starts the clock)."""
        if self._start is None:
            self._start = time.perf_counter()
        return self._start + self.seconds

    def remaining(self) -> float:
        """Seconds left (the full budget before the first call)."""
        if self._start is None:
            return self.seconds
        return max(0.0, self.seconds - (time.perf_counter() - self._start))


@dataclass
class MaxIterations:
    """Stop after ``iterations`` calls."""

    iterations: int
    _done: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.iterations < 0:
            raise ValueError("MaxIterations needs a non-negative number of iterations.")

    def __call__(self, best_objective: float) -> bool:
        self._done += 1
        return self._done > self.iterations


@dataclass
class TargetObjective:
    """Stop as soon as the best objective reaches ``target`` (maximisation)."""

    target: float

    def __call__(self, best_objective: float) -> bool:
        return best_objective >= self.target


class MultipleCriteria:
    """Stop when any of the given criteria says so."""

    def __init__(self, criteria: list[StoppingCriterion]) -> None:
        if not criteria:
            raise ValueError("MultipleCriteria needs at least one criterion.")
        self.criteria = list(criteria)

    def deadline(self) -> float:
        return min(deadline(criterion) for criterion in self.criteria)

    def __call__(self, best_objective: float) -> bool:
        # Evaluate every criterion so that each keeps its own count.
        results = [criterion(best_objective) for criterion in self.criteria]
        return any(results)


def deadline(stop: StoppingCriterion) -> float:
    """The ``time.perf_counter()`` value by which ``stop`` ends a search, its clock started
    now if not yet (``math.inf`` for criteria without a wall-clock limit). Engines pass it
    to their kernels so that no phase, construction included, runs past the limit."""
    method = getattr(stop, "deadline", None)
    return float(method()) if callable(method) else math.inf
