"""What :func:`meute.matching.grouping.solve` returns."""

from __future__ import annotations

from dataclasses import dataclass

from meute.matching.grouping.problem import Conflict, GroupingProblem


@dataclass(frozen=True)
class Breakdown:
    """The objective and its terms: diversity minus the soft penalties."""

    diversity: float
    locality_penalty: float = 0.0
    balance_penalty: float = 0.0

    @property
    def objective(self) -> float:
        return self.diversity - self.locality_penalty - self.balance_penalty


@dataclass(frozen=True)
class Infeasibility:
    """Why no valid grouping was returned: the rule, a message, the candidates involved."""

    rule: str
    message: str
    candidates: tuple[int, ...] = ()
    pairs: tuple[tuple[int, int], ...] = ()

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass(frozen=True)
class LeftOut:
    """A candidate left out of the run: no group can seat them within the hard distance.

    ``nearest_km`` is a radius at which they could be seated (the widest distance inside
    the group of them and their nearest candidates, rounded up to the km)."""

    index: int
    reason: str
    nearest_km: float | None = None
    kind: str = "isolated"  # "isolated" (too few within reach), "surplus" (their area is full), "unseated"
    within: int = 0  # other candidates within the hard distance


@dataclass(frozen=True)
class Result:
    """A grouping (lists of candidate indices), its objective and how it was found.

    When ``feasible`` is False, ``infeasibility`` names the violated rule and the candidates
    involved; ``groups`` then holds the best attempt (possibly empty), never to be used as a
    valid grouping. ``left_out`` lists the candidates the hard distance kept out of the
    groups (every other candidate is in exactly one group).
    """

    groups: list[list[int]]
    objective: float
    breakdown: Breakdown
    feasible: bool
    infeasibility: Infeasibility | None
    runtime: float
    iterations: int
    meeting_places: list[int | None]
    conflicts: tuple[Conflict, ...] = ()
    left_out: tuple[LeftOut, ...] = ()

    def group_ids(self, problem: GroupingProblem) -> list[list[str]]:
        """The groups as candidate ids (``#i`` for matrix instances)."""
        return [[problem.label(i) for i in group] for group in self.groups]
