"""The plan returned by the solver, with every figure recounted from the seating."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .problem import RotationProblem

Id = Hashable


@dataclass(frozen=True)
class Evaluation:
    """Figures of a seating (index form), history included."""

    repeats: int
    wished_met: int
    wished_weight_met: float
    conflicts_together: int
    mixing_pairs: int
    met: list[int]


def evaluate(problem: RotationProblem, rounds: list[list[list[int]]]) -> Evaluation:
    """Recount repeats, wishes, conflicts, shared attributes and people met."""
    index = problem._index  # type: ignore[attr-defined]
    counts: Counter[tuple[int, int]] = Counter()
    for rnd in problem.history:
        for table in rnd:
            idx = sorted(index[x] for x in table if x in index)
            counts.update(combinations(idx, 2))
    new: Counter[tuple[int, int]] = Counter()
    for rnd in rounds:
        for table in rnd:
            new.update(combinations(sorted(table), 2))
    counts.update(new)
    wishes = {(index[a], index[b]) if index[a] < index[b] else (index[b], index[a]): w
              for a, b, w in problem.wishes}
    conflicts = {tuple(sorted((index[a], index[b]))) for a, b in problem.conflicts}
    attrs = [set(problem.attributes.get(x, ())) for x in problem.participants]
    met = [0] * problem.n
    for i, j in counts:
        met[i] += 1
        met[j] += 1
    return Evaluation(
        repeats=sum(c - 1 for c in counts.values()),
        wished_met=sum(1 for pair in wishes if counts[pair]),
        wished_weight_met=sum(w for pair, w in wishes.items() if counts[pair]),
        conflicts_together=sum(c for pair, c in new.items() if pair in conflicts),
        mixing_pairs=sum(c * len(attrs[i] & attrs[j]) for (i, j), c in new.items()),
        met=met,
    )


@dataclass(frozen=True)
class RotationResult:
    """A plan: ``rounds[r][t]`` lists the participant ids at table t in round r.

    ``repeats`` counts extra meetings (a pair meeting k times adds k - 1), history
    included; ``met`` is the number of distinct people each participant meets over the
    history and the planned rounds. ``zero_repeat_possible`` is False when a known bound
    proves repeats unavoidable (``bound`` says why), True when this plan has none.
    """

    rounds: list[list[list[Id]]]
    indices: list[list[list[int]]] = field(repr=False)
    repeats: int
    min_repeats: int
    wished_met: int
    wished_total: int
    wished_weight_met: float
    wished_weight_total: float
    conflicts_together: int
    mixing_pairs: int
    met: dict[Id, int] = field(repr=False)
    zero_repeat_possible: bool | None
    bound: str
    message: str
    method: str
    seed: int
    runtime: float
    iterations: int
    time_to_zero_repeats: float | None
    first_round: int = 0

    @property
    def met_min(self) -> int:
        return min(self.met.values(), default=0)

    @property
    def met_max(self) -> int:
        return max(self.met.values(), default=0)

    def schedule(self) -> dict[Id, list[int | None]]:
        """Participant id -> table index per round (None when absent)."""
        out: dict[Id, list[int | None]] = {x: [None] * len(self.rounds) for x in self.met}
        for r, rnd in enumerate(self.rounds):
            for t, table in enumerate(rnd):
                for x in table:
                    out[x][r] = t
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (participant ids kept as given)."""
        return {
            "rounds": self.rounds,
            "repeats": self.repeats,
            "min_repeats": self.min_repeats,
            "wished_met": self.wished_met,
            "wished_total": self.wished_total,
            "conflicts_together": self.conflicts_together,
            "mixing_pairs": self.mixing_pairs,
            "met_min": self.met_min,
            "met_max": self.met_max,
            "zero_repeat_possible": self.zero_repeat_possible,
            "bound": self.bound,
            "message": self.message,
            "method": self.method,
            "seed": self.seed,
            "runtime": round(self.runtime, 4),
            "iterations": self.iterations,
            "time_to_zero_repeats": self.time_to_zero_repeats,
            "first_round": self.first_round,
        }
