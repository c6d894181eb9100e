"""Re-plan the rounds left after some were held (late arrivals, departures)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from ..stop import StoppingCriterion
from .problem import RotationInputError, RotationProblem
from .result import RotationResult
from .solver import SearchParams, solve

Id = Hashable


def remaining_problem(
    problem: RotationProblem,
    held: Sequence[Sequence[Sequence[Id]]],
    present: Iterable[Id] | None = None,
) -> RotationProblem:
    """The problem of the rounds after ``held``, for the people ``present`` now.

    Pairs that met in ``held`` (or in the problem's own history) must not meet again;
    wishes, conflicts, fixed seats, absences and attributes carry over for those present,
    absences shifted to the new round numbers. New ids (late arrivals) are welcome.
    """
    k = len(held)
    if k >= problem.rounds:
        raise RotationInputError(f"{k} rounds held: no round of the {problem.rounds} is left to plan.")
    ids = tuple(problem.participants if present is None else present)
    keep = set(ids)
    return RotationProblem(
        participants=ids,
        table_size=problem.table_size,
        rounds=problem.rounds - k,
        wishes=[w for w in problem.wishes if w[0] in keep and w[1] in keep],
        conflicts=[c for c in problem.conflicts if c[0] in keep and c[1] in keep],
        fixed_seats={x: t for x, t in problem.fixed_seats.items() if x in keep},
        absent={x: [r - k for r in rs if r >= k] for x, rs in problem.absent.items() if x in keep},
        attributes={x: v for x, v in problem.attributes.items() if x in keep},
        history=[*problem.history, *held],
        weights=problem.weights,
    )


def replan(
    problem: RotationProblem,
    held: Sequence[Sequence[Sequence[Id]]],
    *,
    present: Iterable[Id] | None = None,
    seed: int,
    stop: StoppingCriterion,
    params: SearchParams | None = None,
    seconds: float | None = None,
) -> RotationResult:
    """Plan the remaining rounds; ``result.first_round`` is the index of the first one."""
    return solve(remaining_problem(problem, held, present), seed=seed, stop=stop, params=params,
                 seconds=seconds)
